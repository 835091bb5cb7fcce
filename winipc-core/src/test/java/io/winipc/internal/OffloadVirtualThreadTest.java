package io.winipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.testing.NamedObjects;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link Offload} from virtual threads (JDK 21+; see {@code VirtualThreadSyncTest} for how the
 * build runs these). Virtual-thread APIs are reached reflectively because the test sources compile
 * for Java 17.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class OffloadVirtualThreadTest {

    private static Thread startVirtual(Runnable task) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, task);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void interruptingTheParkedVirtualThreadRunsTheWakeActionThatEndsACallDeafToInterrupts() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch woken = new CountDownLatch(1);
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = startVirtual(() -> {
            try {
                outcome.set(Offload.run(Offload.waitPool(), () -> {
                    ranOn.set(Thread.currentThread().getName());
                    started.countDown();
                    awaitUninterruptibly(woken);
                    return "returned";
                }, woken::countDown));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> started.getCount() == 0);
            caller.interrupt();
            await().atMost(Duration.ofSeconds(30)).until(() -> !caller.isAlive());
            assertThat(outcome.get()).isEqualTo("returned");
            assertThat(interruptKept).isTrue();
            assertThat(ranOn.get()).startsWith("winipc-wait-");
        } finally {
            woken.countDown();
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void backendEventWaitCalledFromAVirtualThreadIsOffloadedAndEndsOnInterruptAndOnClose() throws Exception {
        String name = NamedObjects.unique(OffloadVirtualThreadTest.class);
        try (NativeEvent event = Platforms.get().event(name, OpenMode.CREATE_OR_OPEN, true, false, NamedObjectOptions.defaults())) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread interrupted = startVirtual(() -> {
                try {
                    outcome.set(event.await(Deadline.none()));
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
                interruptKept.set(Thread.currentThread().isInterrupted());
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> NamedObjects.isInsideBackend(interrupted)
                    && interrupted.getState() == Thread.State.WAITING);
            interrupted.interrupt();
            await().atMost(Duration.ofSeconds(30)).until(() -> !interrupted.isAlive());
            assertThat(outcome.get()).isInstanceOf(OperationCanceledException.class);
            assertThat(interruptKept).isTrue();

            AtomicReference<Object> closedOutcome = new AtomicReference<>();
            Thread waiter = startVirtual(() -> {
                try {
                    closedOutcome.set(event.await(Deadline.none()));
                } catch (RuntimeException e) {
                    closedOutcome.set(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> NamedObjects.isInsideBackend(waiter)
                    && waiter.getState() == Thread.State.WAITING);
            event.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !waiter.isAlive());
            assertThat(closedOutcome.get()).isInstanceOf(ObjectClosedException.class);
        }
    }
}
