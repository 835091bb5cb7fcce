package io.winipc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.shm.SharedMemory;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class EventTest {

    private static String name() {
        return NamedObjects.unique(EventTest.class);
    }

    @AfterAll
    static void leavesNothingInDevShm() {
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(EventTest.class)).isEmpty();
        }
    }

    /** Starts {@code count} child processes that each wait once on the event and count themselves at offset 0. */
    private static List<ChildJvm> startWaiters(int count, String eventName, String shmName, SharedMemory shm) {
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            children.add(ChildJvm.start(SyncChild.class, "event-wait", eventName, shmName));
        }
        for (ChildJvm child : children) {
            assertThat(child.readLine()).isEqualTo("waiting");
        }
        assertThat(shm.getIntVolatile(8)).isEqualTo(count);
        return children;
    }

    @Test
    void aPingPongOfTenThousandRoundsBetweenTwoProcessesLosesNoWakeUp() {
        // Each signal in one process wakes the waiter in the other: with the waiter count, a signal
        // makes the wake-up call only when it sees a waiter, so a flaw there loses a wake-up here.
        String there = name();
        String back = name();
        try (Event a = Event.create(there, EventResetMode.AUTO); Event b = Event.create(back, EventResetMode.AUTO)) {
            PingPong.run("event", there, back);
        }
    }

    @Test
    void oneManualResetSignalReleasesWaitersInEveryProcess() {
        String eventName = name();
        String shmName = name();
        try (Event event = Event.create(eventName, EventResetMode.MANUAL); SharedMemory shm = SharedMemory.create(shmName, 64)) {
            List<ChildJvm> children = startWaiters(3, eventName, shmName, shm);
            try {
                event.signal();
                for (ChildJvm child : children) {
                    assertThat(child.readLine()).isEqualTo("released");
                    child.assertSucceeds(60);
                }
                assertThat(shm.getIntVolatile(0)).isEqualTo(3);
                // Manual reset: still signalled until reset.
                assertThat(event.await(Duration.ZERO)).isTrue();
                event.reset();
                assertThat(event.await(Duration.ZERO)).isFalse();
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void eachAutoResetSignalReleasesExactlyOneWaiterAcrossProcesses() {
        String eventName = name();
        String shmName = name();
        try (Event event = Event.create(eventName, EventResetMode.AUTO); SharedMemory shm = SharedMemory.create(shmName, 64)) {
            List<ChildJvm> children = startWaiters(3, eventName, shmName, shm);
            try {
                for (int signal = 1; signal <= 3; signal++) {
                    event.signal();
                    int expected = signal;
                    await().atMost(Duration.ofSeconds(60)).until(() -> shm.getIntVolatile(0) >= expected);
                    // The one release consumed the signal; nobody else goes through on it.
                    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                            .until(() -> shm.getIntVolatile(0) == expected);
                }
                for (ChildJvm child : children) {
                    child.assertSucceeds(60);
                }
                assertThat(event.await(Duration.ZERO)).isFalse();
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void autoResetEventResetsAsItReleasesAWaiter() {
        try (Event event = Event.create(name(), EventResetMode.AUTO, true)) {
            assertThat(event.await(Duration.ZERO)).isTrue();
            assertThat(event.await(Duration.ZERO)).isFalse();
            event.signal();
            event.signal();
            assertThat(event.await(Duration.ofMillis(10))).isTrue();
            assertThat(event.await(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void manualResetEventStaysSignalledUntilReset() {
        String name = name();
        try (Event event = Event.create(name, EventResetMode.MANUAL); Event other = Event.open(name)) {
            assertThat(other.await(Duration.ofMillis(20))).isFalse();
            event.signal();
            assertThat(other.await(Duration.ZERO)).isTrue();
            assertThat(other.await(Duration.ofSeconds(1))).isTrue();
            event.reset();
            assertThat(other.await(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void openerGetsTheCreatorsModeAndState() {
        String name = name();
        try (Event created = Event.create(name, EventResetMode.MANUAL, true);
                Event opened = Event.create(name, EventResetMode.AUTO, false)) {
            assertThat(opened.await(Duration.ZERO)).isTrue();
            assertThat(opened.await(Duration.ZERO)).isTrue();
            assertThat(created.await(Duration.ZERO)).isTrue();
        }
    }

    @Test
    void openRequiresALiveEventAndExclusiveCreateRefusesOne() {
        String name = name();
        assertThatThrownBy(() -> Event.open(name)).isInstanceOf(ObjectNotFoundException.class);
        try (Event event = Event.create(name, EventResetMode.AUTO)) {
            assertThatThrownBy(() -> Event.create(name, EventResetMode.AUTO, false, NamedObjectOptions.defaults().withExclusive(true)))
                    .isInstanceOf(ObjectExistsException.class);
            assertThat(event.name()).isEqualTo(name);
        }
    }

    @Test
    void closeWakesABlockedWait() throws Exception {
        Event event = Event.create(name(), EventResetMode.MANUAL);
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                event.await();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        t.start();
        await().until(() -> NamedObjects.isInsideBackend(t));
        event.close();
        assertThat(result.get()).isInstanceOf(ObjectClosedException.class);
    }

    @Test
    void interruptWakesABlockedWaitAndKeepsTheInterruptStatus() throws Exception {
        try (Event event = Event.create(name(), EventResetMode.AUTO)) {
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread t = new Thread(() -> {
                try {
                    event.await(Duration.ofMinutes(5));
                    result.complete(null);
                } catch (Throwable e) {
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                    result.complete(e);
                }
            });
            t.start();
            await().until(() -> NamedObjects.isInsideBackend(t));
            t.interrupt();
            assertThat(result.get()).isInstanceOf(OperationCanceledException.class);
            assertThat(stillInterrupted).isTrue();
            // The event itself is untouched.
            event.signal();
            assertThat(event.await(Duration.ZERO)).isTrue();
        }
    }

    @Test
    void badInputIsRejected() {
        try (Event event = Event.create(name(), EventResetMode.MANUAL)) {
            assertThatThrownBy(() -> event.await(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Event.create(name(), null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> Event.create("", EventResetMode.AUTO)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyOperationAfterCloseFailsWithClosed() {
        Event event = Event.create(name(), EventResetMode.MANUAL);
        event.close();
        event.close();
        assertThatThrownBy(event::signal).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(event::reset).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(() -> event.await(Duration.ZERO)).isInstanceOf(ObjectClosedException.class);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void globalScopeIsASeparateNamespaceThatWorksTheSame() {
        String name = name();
        NamedObjectOptions global = NamedObjectOptions.defaults().withScope(io.winipc.Scope.GLOBAL);
        try (Event local = Event.create(name, EventResetMode.MANUAL);
                Event g1 = Event.create(name, EventResetMode.MANUAL, false, global);
                Event g2 = Event.open(name, global)) {
            g1.signal();
            assertThat(g2.await(Duration.ZERO)).isTrue();
            assertThat(local.await(Duration.ZERO)).isFalse();
        }
        assertThat(NamedObjects.filesOf(EventTest.class)).isEmpty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void createAndCloseLeakNoFileDescriptors() {
        String name = name();
        for (int i = 0; i < 20; i++) {
            Event.create(name, EventResetMode.AUTO).close();
        }
        int before = NamedObjects.openFdCount();
        int shmBefore = NamedObjects.openShmFdCount();
        for (int i = 0; i < 1000; i++) {
            try (Event e = Event.create(name, EventResetMode.AUTO); Event o = Event.open(name)) {
                e.signal();
                assertThat(o.await(Duration.ZERO)).isTrue();
            }
        }
        assertThat(NamedObjects.openShmFdCount()).isEqualTo(shmBefore);
        // Other tests' descriptors may close meanwhile; a leak here would add a thousand or more.
        assertThat(NamedObjects.openFdCount()).isLessThanOrEqualTo(before + 10);
    }
}
