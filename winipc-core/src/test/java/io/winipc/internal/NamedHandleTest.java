package io.winipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.ObjectClosedException;
import io.winipc.Scope;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The open/closed state shared by SharedMemory, Event, Semaphore and Mutex. */
class NamedHandleTest {

    @Test
    void closeMarksTheHandleClosedBeforeReleasingAndReleasesOnlyOnce() {
        AtomicInteger releases = new AtomicInteger();
        AtomicBoolean closedWhileReleasing = new AtomicBoolean();
        NamedHandle[] holder = new NamedHandle[1];
        Object owner = new Object();
        holder[0] = new NamedHandle(owner, "event", "app/ready", Scope.LOCAL, true, () -> {
            releases.incrementAndGet();
            closedWhileReleasing.set(holder[0].isClosed());
        });
        NamedHandle handle = holder[0];
        assertThat(handle.isOpen()).isTrue();
        assertThat(handle.name()).isEqualTo("app/ready");
        assertThat(handle.describe("Event", "")).isEqualTo("Event[app/ready]");
        handle.ensureOpen();

        handle.close();
        handle.close();

        assertThat(releases).hasValue(1);
        assertThat(closedWhileReleasing).isTrue();
        assertThat(handle.isOpen()).isFalse();
        assertThat(handle.describe("SharedMemory", ", 64 bytes")).isEqualTo("SharedMemory[app/ready, 64 bytes, closed]");
        assertThatThrownBy(handle::ensureOpen).isInstanceOf(ObjectClosedException.class)
                .hasMessage("event 'app/ready' is closed");
        assertThat(owner).isNotNull();
    }

    @Test
    void aForgottenOwnerIsReleasedByTheCleaner() {
        AtomicInteger releases = new AtomicInteger();
        NamedHandle handle = new NamedHandle(new Object(), "semaphore", "app/slots", Scope.LOCAL, true, releases::incrementAndGet);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return releases.get() == 1;
        });
        assertThat(handle.isClosed()).isTrue();
    }
}
