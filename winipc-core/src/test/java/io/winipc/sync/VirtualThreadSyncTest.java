package io.winipc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import io.winipc.testing.RobustMutexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Sync objects used from virtual threads (JDK 21+; the build runs this class on Temurin 25 where
 * it is installed, see the {@code jdk25} profile). Pinning is detected with JFR's
 * {@code jdk.VirtualThreadPinned} event. Virtual-thread APIs are reached reflectively because the
 * test sources compile for Java 17.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadSyncTest {

    private static String name() {
        return NamedObjects.unique(VirtualThreadSyncTest.class);
    }

    @AfterAll
    static void leavesNothingInDevShm() {
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(VirtualThreadSyncTest.class)).isEmpty();
        }
    }

    private static ExecutorService virtualThreads() throws Exception {
        return (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static Thread startVirtual(Runnable task) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, task);
    }

    /** Runs {@code body} under a JFR recording and returns the pinned-carrier events it produced. */
    private static List<RecordedEvent> pinnedDuring(ThrowingRunnable body) throws Exception {
        Path file = Files.createTempFile("winipc-pinning-", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.enable("jdk.VirtualThreadPinned").withStackTrace();
                recording.start();
                body.run();
                recording.stop();
                recording.dump(file);
            }
            return RecordingFile.readAllEvents(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void warmUp(Event event) throws Exception {
        // Loads the wait pool and the native bindings outside the recording: class initialisation
        // by many threads at once is not what this test is about.
        startVirtual(() -> event.await(Duration.ZERO)).join();
    }

    @Test
    void thousandVirtualThreadsWaitingOnOneEventAllWakeOnOneManualResetSignalWithoutPinning() throws Exception {
        int count = 1000;
        try (Event event = Event.create(name(), EventResetMode.MANUAL)) {
            warmUp(event);
            AtomicInteger waiting = new AtomicInteger();
            AtomicInteger woken = new AtomicInteger();
            List<RecordedEvent> pinned = pinnedDuring(() -> {
                ExecutorService vts = virtualThreads();
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        futures.add(vts.submit(() -> {
                            waiting.incrementAndGet();
                            event.await();
                            woken.incrementAndGet();
                        }));
                    }
                    await().atMost(Duration.ofSeconds(60)).until(() -> waiting.get() == count);
                    // With every waiter parked the carriers are free: another virtual thread still runs.
                    CompletableFuture<String> other = new CompletableFuture<>();
                    startVirtual(() -> other.complete("ran"));
                    assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo("ran");
                    assertThat(woken.get()).isZero();
                    event.signal();
                    for (Future<?> f : futures) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    vts.shutdownNow();
                }
            });
            assertThat(woken.get()).isEqualTo(count);
            assertThat(pinned).as("pinned virtual threads").isEmpty();
        }
    }

    @Test
    void virtualThreadsShareTheMutexAndMayUnlockOnAnotherCarrier() throws Exception {
        int threads = 50;
        int rounds = 20;
        try (Mutex mutex = Mutex.create(name())) {
            // Class loading contends on the class loader's monitor, which pins in the JDK itself: load first.
            startVirtual(() -> {
                mutex.lock();
                mutex.unlock();
            }).join();
            long[] counter = new long[1];
            AtomicBoolean overlap = new AtomicBoolean();
            AtomicBoolean inside = new AtomicBoolean();
            List<RecordedEvent> pinned = pinnedDuring(() -> {
                ExecutorService vts = virtualThreads();
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        futures.add(vts.submit(() -> {
                            for (int r = 0; r < rounds; r++) {
                                mutex.lock();
                                try {
                                    if (!inside.compareAndSet(false, true)) {
                                        overlap.set(true);
                                    }
                                    // Unmount while holding the mutex, so the unlock may run on another carrier.
                                    CompletableFuture.runAsync(() -> { }).join();
                                    Thread.yield();
                                    counter[0]++;
                                    inside.set(false);
                                } finally {
                                    mutex.unlock();
                                }
                            }
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    vts.shutdownNow();
                }
            });
            assertThat(overlap).isFalse();
            assertThat(counter[0]).isEqualTo((long) threads * rounds);
            assertThat(pinned).as("pinned virtual threads").isEmpty();
            assertThat(mutex.tryLock()).isTrue();
            mutex.unlock();
        }
        // The platform thread that served this Mutex's virtual threads ends with it.
        await().atMost(Duration.ofSeconds(30)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("winipc-mutex-t-VirtualThreadSyncTest/")));
    }

    @Test
    void virtualThreadThatEndsHoldingTheMutexAbandonsItToOtherThreadsAndProcesses() throws Exception {
        RobustMutexes.assumeSupported();
        String name = name();
        try (Mutex mutex = Mutex.create(name)) {
            startVirtual(mutex::lock).join();
            CompletableFuture<LockResult> next = new CompletableFuture<>();
            startVirtual(() -> {
                LockResult r = mutex.acquire(Duration.ofSeconds(30));
                if (r.acquired()) {
                    mutex.unlock();
                }
                next.complete(r);
            });
            assertThat(next.get(60, TimeUnit.SECONDS)).isEqualTo(LockResult.ACQUIRED_ABANDONED);
            assertThat(mutex.acquire(Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED);
            mutex.unlock();
        }
    }

    @Test
    void virtualThreadThatEndsHoldingTheMutexAbandonsItToAnotherProcessWithoutContentionHere() throws Exception {
        String name = name();
        try (Mutex mutex = Mutex.create(name)) {
            startVirtual(mutex::lock).join();
            // No thread of this process contends: only the watchdog can notice the owner has ended.
            // Before it, the dedicated thread kept the OS mutex and the child timed out.
            try (ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-acquire", name, "30")) {
                assertThat(child.readLine()).isEqualTo("ACQUIRED_ABANDONED");
                child.assertSucceeds(60);
            }
            assertThat(mutex.acquire(Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED);
            mutex.unlock();
        }
    }

    @Test
    void virtualThreadThatUnlocksWithItsInterruptStatusSetReleasesTheMutexForOtherProcesses() throws Exception {
        String name = name();
        try (Mutex mutex = Mutex.create(name)) {
            CompletableFuture<Throwable> unlocked = new CompletableFuture<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            startVirtual(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        mutex.lock();
                        Thread.currentThread().interrupt();
                        mutex.unlock();
                        stillInterrupted.set(Thread.interrupted());
                    }
                    unlocked.complete(null);
                } catch (Throwable t) {
                    unlocked.complete(t);
                }
            }).join();
            assertThat(unlocked.get(60, TimeUnit.SECONDS)).isNull();
            assertThat(stillInterrupted).isTrue();
            // The OS-level mutex must be free too, not kept by the thread that served the virtual thread.
            try (ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-try", name, "30")) {
                assertThat(child.readLine()).isEqualTo("locked");
                child.assertSucceeds(60);
            }
        }
    }

    @Test
    void interruptAndCloseWakeAVirtualThreadWaitingForAMutexHeldByAnotherProcess() throws Exception {
        String name = name();
        try (Mutex mutex = Mutex.create(name);
                io.winipc.testing.ChildJvm child = io.winipc.testing.ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
            assertThat(child.readLine()).isEqualTo("locked");
            CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
            Thread vt = startVirtual(() -> {
                try {
                    mutex.lock();
                    interrupted.complete(null);
                } catch (Throwable e) {
                    interrupted.complete(e);
                }
            });
            await().until(() -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("winipc-mutex-" + name) && NamedObjects.isInsideBackend(t)));
            vt.interrupt();
            assertThat(interrupted.get(30, TimeUnit.SECONDS)).isInstanceOf(OperationCanceledException.class);

            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            startVirtual(() -> {
                try {
                    mutex.lock();
                    closed.complete(null);
                } catch (Throwable e) {
                    closed.complete(e);
                }
            });
            await().until(() -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("winipc-mutex-" + name) && NamedObjects.isInsideBackend(t)));
            mutex.close();
            assertThat(closed.get(30, TimeUnit.SECONDS)).isInstanceOf(ObjectClosedException.class);
            child.send("release");
            child.assertSucceeds(60);
        }
    }

    @Test
    void semaphoreWaitsOnVirtualThreadsParkAndWake() throws Exception {
        int waiters = 200;
        try (Semaphore sem = Semaphore.create(name(), 0, waiters)) {
            sem.release();
            startVirtual(() -> sem.withPermit(() -> { })).join();
            startVirtual(sem::acquire).join();
            AtomicInteger acquired = new AtomicInteger();
            List<RecordedEvent> pinned = pinnedDuring(() -> {
                ExecutorService vts = virtualThreads();
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int i = 0; i < waiters; i++) {
                        futures.add(vts.submit(() -> {
                            sem.acquire();
                            acquired.incrementAndGet();
                        }));
                    }
                    sem.release(waiters);
                    for (Future<?> f : futures) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    vts.shutdownNow();
                }
            });
            assertThat(acquired.get()).isEqualTo(waiters);
            assertThat(sem.tryAcquire()).isFalse();
            assertThat(pinned).as("pinned virtual threads").isEmpty();
        }
    }

    @Test
    void interruptAndCloseWakeAVirtualThreadWaitingOnAnEvent() throws Exception {
        Event event = Event.create(name(), EventResetMode.AUTO);
        try {
            CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
            AtomicBoolean statusKept = new AtomicBoolean();
            Thread vt = startVirtual(() -> {
                try {
                    event.await();
                    interrupted.complete(null);
                } catch (Throwable e) {
                    statusKept.set(Thread.currentThread().isInterrupted());
                    interrupted.complete(e);
                }
            });
            await().until(() -> vt.getState() == Thread.State.WAITING);
            vt.interrupt();
            assertThat(interrupted.get(30, TimeUnit.SECONDS)).isInstanceOf(OperationCanceledException.class);
            assertThat(statusKept).isTrue();

            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            Thread vt2 = startVirtual(() -> {
                try {
                    event.await();
                    closed.complete(null);
                } catch (Throwable e) {
                    closed.complete(e);
                }
            });
            await().until(() -> vt2.getState() == Thread.State.WAITING);
            event.close();
            assertThat(closed.get(30, TimeUnit.SECONDS)).isInstanceOf(ObjectClosedException.class);
        } finally {
            event.close();
        }
    }

    @Test
    void interruptWakesAVirtualThreadWaitingForAMutexHeldElsewhere() throws Exception {
        String name = name();
        try (Mutex holder = Mutex.create(name); Mutex other = Mutex.open(name)) {
            holder.lock();
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            Thread vt = startVirtual(() -> {
                try {
                    other.lock();
                    result.complete(null);
                } catch (Throwable e) {
                    result.complete(e);
                }
            });
            await().until(() -> vt.getState() == Thread.State.WAITING || vt.getState() == Thread.State.TIMED_WAITING);
            vt.interrupt();
            assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(OperationCanceledException.class);
            holder.unlock();
            CompletableFuture<Boolean> later = new CompletableFuture<>();
            startVirtual(() -> {
                boolean got = other.tryLock(Duration.ofSeconds(10));
                if (got) {
                    other.unlock();
                }
                later.complete(got);
            });
            assertThat(later.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
