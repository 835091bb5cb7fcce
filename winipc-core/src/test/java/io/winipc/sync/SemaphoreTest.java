package io.winipc.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcTimeoutException;
import io.winipc.WouldExceedMaximumException;
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

class SemaphoreTest {

    private static String name() {
        return NamedObjects.unique(SemaphoreTest.class);
    }

    @AfterAll
    static void leavesNothingInDevShm() {
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(SemaphoreTest.class)).isEmpty();
        }
    }

    @Test
    void aPingPongOfTenThousandRoundsBetweenTwoProcessesLosesNoWakeUp() {
        // Each release in one process wakes the waiter in the other: with the waiter count, a release
        // makes the wake-up call only when it sees a waiter, so a flaw there loses a wake-up here.
        String there = name();
        String back = name();
        try (Semaphore a = Semaphore.create(there, 0, 1); Semaphore b = Semaphore.create(back, 0, 1)) {
            PingPong.run("semaphore", there, back);
        }
    }

    @Test
    void holdersAcrossProcessesNeverExceedTheCount() {
        String semName = name();
        String shmName = name();
        try (Semaphore sem = Semaphore.create(semName, 2, 2); SharedMemory shm = SharedMemory.create(shmName, 64)) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    children.add(ChildJvm.start(SyncChild.class, "semaphore-work", semName, shmName, "2000"));
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
            assertThat(shm.getIntVolatile(4)).isBetween(1, 2);
            assertThat(shm.getIntVolatile(0)).isZero();
            // Every permit came back.
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.tryAcquire()).isFalse();
            sem.release(2);
        }
    }

    @Test
    void releasePastTheMaximumFailsAndLeavesTheCountUnchanged() {
        try (Semaphore sem = Semaphore.create(name(), 1, 3)) {
            assertThat(sem.release(2)).isEqualTo(1);
            assertThatThrownBy(sem::release).isInstanceOf(WouldExceedMaximumException.class);
            assertThat(sem.tryAcquire()).isTrue();
            assertThatThrownBy(() -> sem.release(2)).isInstanceOf(WouldExceedMaximumException.class);
            assertThat(sem.release()).isEqualTo(2);
            for (int i = 0; i < 3; i++) {
                assertThat(sem.tryAcquire()).isTrue();
            }
            assertThat(sem.tryAcquire()).isFalse();
            assertThatThrownBy(() -> sem.release(Integer.MAX_VALUE)).isInstanceOf(WouldExceedMaximumException.class);
            assertThat(sem.release(3)).isZero();
        }
    }

    @Test
    void withPermitHoldsAPermitForTheBlockAndReturnsIt() {
        try (Semaphore sem = Semaphore.create(name(), 1, 1)) {
            assertThat(sem.withPermit(() -> sem.tryAcquire())).isFalse();
            assertThatThrownBy(() -> sem.withPermit(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(sem.withPermit(Duration.ofSeconds(1), () -> "ran")).isEqualTo("ran");
            assertThat(sem.tryAcquire()).isTrue();
            assertThatThrownBy(() -> sem.withPermit(Duration.ofMillis(20), () -> "never"))
                    .isInstanceOf(WinipcTimeoutException.class);
            sem.release();
        }
    }

    @Test
    void openerSharesTheCountAndKeepsTheCreatorsMaximum() {
        String name = name();
        try (Semaphore a = Semaphore.create(name, 0, 1); Semaphore b = Semaphore.create(name, 5, 10)) {
            assertThat(b.tryAcquire()).isFalse();
            a.release();
            assertThatThrownBy(b::release).isInstanceOf(WouldExceedMaximumException.class);
            assertThat(b.tryAcquire(Duration.ofSeconds(1))).isTrue();
        }
    }

    @Test
    void badCountsAreRejected() {
        assertThatThrownBy(() -> Semaphore.create(name(), 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Semaphore.create(name(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Semaphore.create(name(), -1, 1)).isInstanceOf(IllegalArgumentException.class);
        try (Semaphore sem = Semaphore.create(name(), 0, 1)) {
            assertThatThrownBy(() -> sem.release(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sem.release(-3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sem.tryAcquire(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void openRequiresALiveSemaphoreAndExclusiveCreateRefusesOne() {
        String name = name();
        assertThatThrownBy(() -> Semaphore.open(name)).isInstanceOf(ObjectNotFoundException.class);
        try (Semaphore sem = Semaphore.create(name, 1, 1)) {
            assertThatThrownBy(() -> Semaphore.create(name, 1, 1, NamedObjectOptions.defaults().withExclusive(true)))
                    .isInstanceOf(ObjectExistsException.class);
            try (Semaphore opened = Semaphore.open(name)) {
                assertThat(opened.tryAcquire()).isTrue();
                assertThat(sem.tryAcquire()).isFalse();
            }
        }
    }

    @Test
    void closeWakesABlockedAcquire() throws Exception {
        Semaphore sem = Semaphore.create(name(), 0, 1);
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                sem.acquire();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        t.start();
        await().until(() -> NamedObjects.isInsideBackend(t));
        sem.close();
        assertThat(result.get()).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(sem::release).isInstanceOf(ObjectClosedException.class);
    }

    @Test
    void interruptWakesABlockedAcquire() throws Exception {
        try (Semaphore sem = Semaphore.create(name(), 0, 1)) {
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread t = new Thread(() -> {
                try {
                    sem.acquire();
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
            assertThat(sem.release()).isZero();
        }
    }

    @Test
    void waitingAcquireTakesAPermitReleasedByAnotherThread() throws Exception {
        try (Semaphore sem = Semaphore.create(name(), 0, 1)) {
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            Thread t = new Thread(() -> result.complete(sem.tryAcquire(Duration.ofMinutes(1))));
            t.start();
            await().until(() -> NamedObjects.isInsideBackend(t));
            sem.release();
            assertThat(result.get()).isTrue();
            assertThat(sem.tryAcquire()).isFalse();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void createAndCloseLeakNoFileDescriptors() {
        String name = name();
        for (int i = 0; i < 20; i++) {
            Semaphore.create(name, 1, 1).close();
        }
        int before = NamedObjects.openFdCount();
        int shmBefore = NamedObjects.openShmFdCount();
        for (int i = 0; i < 1000; i++) {
            try (Semaphore s = Semaphore.create(name, 1, 1)) {
                s.withPermit(() -> { });
            }
        }
        assertThat(NamedObjects.openShmFdCount()).isEqualTo(shmBefore);
        // Other tests' descriptors may close meanwhile; a leak here would add a thousand or more.
        assertThat(NamedObjects.openFdCount()).isLessThanOrEqualTo(before + 10);
    }
}
