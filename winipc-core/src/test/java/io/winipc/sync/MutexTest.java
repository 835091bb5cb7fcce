package io.winipc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.AbandonedMutexException;
import io.winipc.NamedObjectOptions;
import io.winipc.NotOwnerException;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcTimeoutException;
import io.winipc.shm.SharedMemory;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import io.winipc.testing.RobustMutexes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class MutexTest {

    private static String name() {
        return NamedObjects.unique(MutexTest.class);
    }

    @AfterAll
    static void leavesNothingInDevShm() {
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(MutexTest.class)).isEmpty();
        }
    }

    /** Runs {@code action} on a new platform thread and returns what it threw, or null. */
    private static CompletableFuture<Throwable> onOtherThread(Runnable action) {
        return onOtherThread(action, new AtomicReference<>());
    }

    private static CompletableFuture<Throwable> onOtherThread(Runnable action, AtomicReference<Thread> started) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
                f.complete(null);
            } catch (Throwable e) {
                f.complete(e);
            }
        });
        started.set(t);
        t.start();
        return f;
    }

    @Test
    void counterIncrementedUnderTheMutexByFourProcessesIsExact() {
        String mutexName = name();
        String shmName = name();
        int perProcess = 10_000;
        try (Mutex mutex = Mutex.create(mutexName); SharedMemory shm = SharedMemory.create(shmName, 64)) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    children.add(ChildJvm.start(SyncChild.class, "mutex-count", mutexName, shmName, Integer.toString(perProcess)));
                }
                for (ChildJvm child : children) {
                    assertThat(child.readLine()).isEqualTo("ready");
                }
                for (ChildJvm child : children) {
                    assertThat(child.awaitLine("done")).isEqualTo("done");
                    child.assertSucceeds(120);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            mutex.lock();
            try {
                assertThat(shm.getLong(0)).isEqualTo(4L * perProcess);
            } finally {
                mutex.unlock();
            }
        }
    }

    @Test
    void nextAcquirerIsToldWhenTheHolderWasKilled() {
        RobustMutexes.assumeSupported();
        String name = name();
        try (Mutex mutex = Mutex.create(name)) {
            try (ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
                assertThat(child.readLine()).isEqualTo("locked");
                assertThat(mutex.tryLock()).isFalse();
                child.kill();
            }
            assertThat(mutex.acquire(Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED_ABANDONED);
            mutex.unlock();
            // Made consistent: it works normally afterwards, for this process and others.
            assertThat(mutex.acquire(Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED);
            mutex.unlock();
            try (ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
                assertThat(child.readLine()).isEqualTo("locked");
                child.send("release");
                child.assertSucceeds(60);
            }
            assertThat(mutex.tryLock(Duration.ofSeconds(30))).isTrue();
            mutex.unlock();
        }
    }

    @Test
    void lockReportsAbandonmentAsAnExceptionWithTheMutexHeld() {
        RobustMutexes.assumeSupported();
        String name = name();
        try (Mutex mutex = Mutex.create(name)) {
            try (ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
                assertThat(child.readLine()).isEqualTo("locked");
                child.kill();
            }
            assertThatThrownBy(mutex::lock).isInstanceOf(AbandonedMutexException.class);
            assertThat(mutex.isHeldByCurrentThread()).isTrue();
            mutex.unlock();
            assertThat(mutex.isHeldByCurrentThread()).isFalse();
        }
    }

    @Test
    void withLockReleasesAndThrowsOnAbandonmentWithoutRunningTheBlock() {
        RobustMutexes.assumeSupported();
        String name = name();
        try (Mutex mutex = Mutex.create(name)) {
            try (ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
                assertThat(child.readLine()).isEqualTo("locked");
                child.kill();
            }
            AtomicReference<String> ran = new AtomicReference<>();
            assertThatThrownBy(() -> mutex.withLock(() -> ran.set("yes"))).isInstanceOf(AbandonedMutexException.class);
            assertThat(ran.get()).isNull();
            assertThat(mutex.isHeldByCurrentThread()).isFalse();
            assertThat(mutex.withLock(() -> "next")).isEqualTo("next");
        }
    }

    @Test
    void ownerMayLockAgainAndMustUnlockAsOften() throws Exception {
        try (Mutex mutex = Mutex.create(name())) {
            mutex.lock();
            assertThat(mutex.tryLock()).isTrue();
            assertThat(mutex.holdCount()).isEqualTo(2);
            mutex.unlock();
            assertThat(onOtherThread(() -> assertThat(mutex.tryLock()).isFalse()).get()).isNull();
            mutex.unlock();
            assertThat(mutex.holdCount()).isZero();
            assertThat(onOtherThread(() -> {
                assertThat(mutex.tryLock()).isTrue();
                mutex.unlock();
            }).get()).isNull();
        }
    }

    @Test
    void unlockByAThreadThatDoesNotOwnItFailsWithNotOwner() throws Exception {
        try (Mutex mutex = Mutex.create(name())) {
            assertThatThrownBy(mutex::unlock).isInstanceOf(NotOwnerException.class);
            mutex.lock();
            assertThat(onOtherThread(mutex::unlock).get()).isInstanceOf(NotOwnerException.class);
            mutex.unlock();
        }
    }

    @Test
    void createOpensTheLiveMutexAndExclusiveCreateRefusesIt() throws Exception {
        String name = name();
        try (Mutex a = Mutex.create(name); Mutex b = Mutex.create(name); Mutex c = Mutex.open(name)) {
            a.lock();
            assertThat(onOtherThread(() -> assertThat(b.tryLock()).isFalse()).get()).isNull();
            assertThat(onOtherThread(() -> assertThat(c.tryLock()).isFalse()).get()).isNull();
            a.unlock();
            assertThatThrownBy(() -> Mutex.create(name, NamedObjectOptions.defaults().withExclusive(true)))
                    .isInstanceOf(ObjectExistsException.class);
        }
        assertThatThrownBy(() -> Mutex.open(name)).isInstanceOf(ObjectNotFoundException.class);
        Mutex.create(name, NamedObjectOptions.defaults().withExclusive(true)).close();
    }

    @Test
    void tryLockTimesOutWhileAnotherProcessHoldsIt() {
        String name = name();
        try (Mutex mutex = Mutex.create(name); ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
            assertThat(child.readLine()).isEqualTo("locked");
            assertThat(mutex.tryLock(Duration.ofMillis(200))).isFalse();
            assertThat(mutex.acquire(Duration.ZERO)).isEqualTo(LockResult.TIMED_OUT);
            assertThatThrownBy(() -> mutex.withLock(Duration.ofMillis(50), () -> 1)).isInstanceOf(WinipcTimeoutException.class);
            child.send("release");
            child.assertSucceeds(60);
            assertThat(mutex.tryLock(Duration.ofSeconds(30))).isTrue();
            mutex.unlock();
        }
    }

    @Test
    void closeWakesAThreadWaitingForTheMutexHeldInThisProcess() throws Exception {
        String name = name();
        try (Mutex holder = Mutex.create(name)) {
            holder.lock();
            Mutex waiterHandle = Mutex.open(name);
            AtomicReference<Thread> thread = new AtomicReference<>();
            CompletableFuture<Throwable> waiter = onOtherThread(waiterHandle::lock, thread);
            await().until(() -> NamedObjects.isWaitingInWinipc(thread.get()));
            waiterHandle.close();
            assertThat(waiter.get()).isInstanceOf(ObjectClosedException.class);
            holder.unlock();
        }
    }

    @Test
    void closeWakesAThreadWaitingForTheMutexHeldByAnotherProcess() throws Exception {
        String name = name();
        try (Mutex mutex = Mutex.create(name); ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
            assertThat(child.readLine()).isEqualTo("locked");
            AtomicReference<Thread> thread = new AtomicReference<>();
            CompletableFuture<Throwable> waiter = onOtherThread(mutex::lock, thread);
            await().until(() -> NamedObjects.isInsideBackend(thread.get()));
            mutex.close();
            assertThat(waiter.get()).isInstanceOf(ObjectClosedException.class);
            child.send("release");
            child.assertSucceeds(60);
        }
    }

    @Test
    void interruptWakesAThreadWaitingForTheMutexHeldInThisProcess() throws Exception {
        String name = name();
        try (Mutex holder = Mutex.create(name); Mutex other = Mutex.open(name)) {
            holder.lock();
            assertInterruptEndsTheWait(other, false);
            holder.unlock();
            assertThat(onOtherThread(() -> {
                other.lock();
                other.unlock();
            }).get()).isNull();
        }
    }

    @Test
    void interruptWakesAThreadWaitingForTheMutexHeldByAnotherProcess() throws Exception {
        String name = name();
        try (Mutex mutex = Mutex.create(name); ChildJvm child = ChildJvm.start(SyncChild.class, "mutex-hold", name)) {
            assertThat(child.readLine()).isEqualTo("locked");
            assertInterruptEndsTheWait(mutex, true);
            child.send("release");
            child.assertSucceeds(60);
            assertThat(mutex.tryLock(Duration.ofSeconds(30))).isTrue();
            mutex.unlock();
        }
    }

    private static void assertInterruptEndsTheWait(Mutex mutex, boolean inBackend) throws Exception {
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                mutex.lock();
                result.complete(null);
            } catch (Throwable e) {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                result.complete(e);
            }
        });
        t.start();
        await().until(() -> inBackend ? NamedObjects.isInsideBackend(t) : NamedObjects.isWaitingInWinipc(t));
        t.interrupt();
        assertThat(result.get()).isInstanceOf(OperationCanceledException.class);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void ownershipBelongsToTheThreadAcrossHandlesOfOneName() throws Exception {
        String name = name();
        try (Mutex a = Mutex.create(name); Mutex b = Mutex.open(name)) {
            a.lock();
            assertThat(b.tryLock()).isTrue();
            assertThat(b.holdCount()).isEqualTo(2);
            b.unlock();
            assertThat(onOtherThread(() -> assertThat(b.tryLock()).isFalse()).get()).isNull();
            a.unlock();
            assertThat(onOtherThread(() -> {
                assertThat(b.tryLock()).isTrue();
                b.unlock();
            }).get()).isNull();
        }
    }

    @Test
    void threadThatEndsHoldingTheMutexAbandonsIt() throws Exception {
        RobustMutexes.assumeSupported();
        try (Mutex mutex = Mutex.create(name())) {
            Thread t = new Thread(mutex::lock);
            t.start();
            t.join();
            assertThat(mutex.acquire(Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED_ABANDONED);
            mutex.unlock();
            assertThat(mutex.acquire(Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED);
            mutex.unlock();
        }
    }

    /**
     * As on Windows, where a mutex goes with its last handle whoever owned it: a platform thread that
     * ended holding the mutex does not keep the OS object (on Linux its mapping and /dev/shm file)
     * alive after every handle is closed.
     */
    @Test
    void aMutexHeldByAThreadThatEndedGoesWithItsLastHandle() throws Exception {
        String name = name();
        String file = name.substring(name.indexOf('/') + 1);
        int shmFdsBefore = NamedObjects.onLinux() ? NamedObjects.openShmFdCount() : 0;
        Mutex mutex = Mutex.create(name);
        Thread t = new Thread(mutex::lock);
        t.start();
        t.join();
        mutex.close();
        assertThatThrownBy(() -> Mutex.open(name)).isInstanceOf(ObjectNotFoundException.class);
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(MutexTest.class)).noneMatch(f -> f.endsWith(file));
            assertThat(NamedObjects.openShmFdCount()).isEqualTo(shmFdsBefore);
        }
    }

    @Test
    void everyOperationAfterCloseFailsWithClosed() {
        Mutex mutex = Mutex.create(name());
        mutex.close();
        mutex.close();
        assertThat(mutex.isOpen()).isFalse();
        assertThatThrownBy(mutex::lock).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(mutex::tryLock).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(mutex::unlock).isInstanceOf(ObjectClosedException.class);
    }

    @Test
    void holderMayUnlockAfterCloseAndTheMutexIsThenFree() throws Exception {
        String name = name();
        try (Mutex other = Mutex.create(name)) {
            Mutex mutex = Mutex.open(name);
            mutex.lock();
            mutex.close();
            assertThat(onOtherThread(() -> assertThat(other.tryLock()).isFalse()).get()).isNull();
            mutex.unlock();
            assertThat(onOtherThread(() -> {
                assertThat(other.tryLock()).isTrue();
                other.unlock();
            }).get()).isNull();
        }
    }

    @Test
    void negativeTimeoutIsRejected() {
        try (Mutex mutex = Mutex.create(name())) {
            assertThatThrownBy(() -> mutex.tryLock(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Mutex.create("bad\\name")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void createAndCloseLeakNoFileDescriptors() {
        String name = name();
        for (int i = 0; i < 20; i++) {
            Mutex.create(name).close();
        }
        int before = NamedObjects.openFdCount();
        int shmBefore = NamedObjects.openShmFdCount();
        for (int i = 0; i < 1000; i++) {
            try (Mutex m = Mutex.create(name)) {
                m.lock();
                m.unlock();
            }
        }
        assertThat(NamedObjects.openShmFdCount()).isEqualTo(shmBefore);
        // Other tests' descriptors may close meanwhile; a leak here would add a thousand or more.
        assertThat(NamedObjects.openFdCount()).isLessThanOrEqualTo(before + 10);
    }
}
