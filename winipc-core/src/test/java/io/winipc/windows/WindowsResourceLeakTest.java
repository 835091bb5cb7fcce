package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeServer;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import io.winipc.testing.TestNames;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Opening and closing winipc objects many times leaves no kernel handle behind.
 *
 * <p>Wine's GetProcessHandleCount reports 0, so the handle table is measured another way that
 * holds on Windows and Wine alike: a new handle takes the lowest free slot, so the value of a
 * freshly created handle grows by 4 for every handle leaked meanwhile.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsResourceLeakTest {
    private static final int ROUNDS = 300;
    /** Room for handles the JVM itself opens meanwhile (threads, JIT); far below one per round. */
    private static final int SLACK = 40;

    interface Kernel32 extends Library {
        Kernel32 INSTANCE = Native.load("kernel32", Kernel32.class);

        long CreateEventW(Pointer securityAttributes, boolean manualReset, boolean initialState, Pointer name);

        boolean CloseHandle(long handle);
    }

    /** @return the value the next handle gets: the lowest free slot of the handle table */
    private static long handleHighWater() {
        long h = Kernel32.INSTANCE.CreateEventW(null, true, false, null);
        assertThat(h).isPositive();
        Kernel32.INSTANCE.CloseHandle(h);
        return h;
    }

    @Test
    void connectionsLeaveNoHandlesBehind() {
        String name = TestNames.unique("leak-pipe");
        try (PipeServer server = PipeServer.listen(name)) {
            exchange(server, name, 20);
            long before = handleHighWater();
            exchange(server, name, ROUNDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> handleHighWater() <= before + 4L * SLACK);
        }
    }

    @Test
    void namedObjectsLeaveNoHandlesBehind() {
        cycleObjects(20);
        long before = handleHighWater();
        cycleObjects(ROUNDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> handleHighWater() <= before + 4L * SLACK);
    }

    private static void exchange(PipeServer server, String name, int rounds) {
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<PipeConnection> accepted = CompletableFuture.supplyAsync(() -> server.accept(Duration.ofSeconds(30)));
            try (PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(30)); PipeConnection c = accepted.join()) {
                client.write(new byte[] {(byte) i});
                assertThat(c.readFully(1)[0]).isEqualTo((byte) i);
            }
        }
    }

    private static void cycleObjects(int rounds) {
        for (int i = 0; i < rounds; i++) {
            String name = TestNames.unique("leak-objects");
            try (SharedMemory shm = SharedMemory.create(name + "-shm", 4096);
                    Event event = Event.create(name + "-event", EventResetMode.MANUAL);
                    Mutex mutex = Mutex.create(name + "-mutex");
                    Semaphore semaphore = Semaphore.create(name + "-semaphore", 1, 1)) {
                shm.putInt(0, i);
                event.signal();
                assertThat(event.await(Duration.ZERO)).isTrue();
                mutex.withLock(() -> null);
                assertThat(semaphore.tryAcquire()).isTrue();
                semaphore.release();
            }
        }
    }
}
