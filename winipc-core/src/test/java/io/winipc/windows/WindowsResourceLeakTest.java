package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.winipc.WinipcAccessDeniedException;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Opening and closing winipc objects many times leaves no kernel handle behind.
 *
 * <p>Wine's GetProcessHandleCount reports 0, so the test counts the handle table itself, which
 * holds on Windows and Wine alike: handle values are multiples of 4, and GetHandleInformation
 * succeeds exactly for the open ones. An exact count, and not the value of a freshly created
 * handle (the lowest free slot): after earlier tests in the same JVM the table has holes, and one
 * long-lived handle the JVM opens meanwhile (a thread) can fill the lowest hole and move that
 * value by hundreds of slots with nothing leaked. A failure names the kinds of handle that grew.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsResourceLeakTest {
    private static final int ROUNDS = 300;
    /** Room for handles the JVM itself opens meanwhile (threads, JIT); far below one per round. */
    private static final int SLACK = 40;
    /** Handle values scanned: far above what a test JVM uses (a few thousand handles at most). */
    private static final long SCAN_LIMIT = 4L * 65_536;
    private static final int OBJECT_TYPE_INFORMATION = 2;

    interface Kernel32 extends Library {
        Kernel32 INSTANCE = Native.load("kernel32", Kernel32.class);

        boolean GetHandleInformation(long handle, IntByReference flags);
    }

    interface Ntdll extends Library {
        Ntdll INSTANCE = Native.load("ntdll", Ntdll.class);

        int NtQueryObject(long handle, int informationClass, Pointer information, int length, IntByReference returned);
    }

    /** @return the open handles of this process, counted by object type ({@code Event}, {@code File}...) */
    private static Map<String, Integer> openHandles() {
        Map<String, Integer> byType = new TreeMap<>();
        IntByReference flags = new IntByReference();
        IntByReference returned = new IntByReference();
        try (Memory info = new Memory(1024)) {
            for (long h = 4; h < SCAN_LIMIT; h += 4) {
                if (Kernel32.INSTANCE.GetHandleInformation(h, flags)) {
                    byType.merge(typeName(h, info, returned), 1, Integer::sum);
                }
            }
        }
        return byType;
    }

    /** OBJECT_TYPE_INFORMATION starts with the type name as a UNICODE_STRING (length, max, buffer). */
    private static String typeName(long handle, Memory info, IntByReference returned) {
        if (Ntdll.INSTANCE.NtQueryObject(handle, OBJECT_TYPE_INFORMATION, info, (int) info.size(), returned) != 0) {
            return "unknown";
        }
        Pointer name = info.getPointer(8);
        int chars = (info.getShort(0) & 0xFFFF) / 2;
        return name == null ? "unknown" : new String(name.getCharArray(0, chars));
    }

    private static int total(Map<String, Integer> byType) {
        return byType.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return the types whose count grew, with before -> after, for the failure message */
    private static Map<String, String> growth(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, String> grown = new TreeMap<>();
        after.forEach((type, n) -> {
            int was = before.getOrDefault(type, 0);
            if (n > was) {
                grown.put(type, was + " -> " + n);
            }
        });
        return grown;
    }

    private static void assertNoHandlesLeftBehind(Map<String, Integer> before) {
        assertThat(total(before)).as("open handles found by the scan").isPositive();
        AtomicReference<Map<String, Integer>> last = new AtomicReference<>(before);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(openHandles());
                return total(last.get()) <= total(before) + SLACK;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("open handles went from " + total(before) + " to " + total(last.get())
                    + " over " + ROUNDS + " rounds (slack " + SLACK + "); grown: " + growth(before, last.get()), e);
        }
    }

    @Test
    void connectionsLeaveNoHandlesBehind() {
        String name = TestNames.unique("leak-pipe");
        try (PipeServer server = PipeServer.listen(name)) {
            exchange(server, name, 20);
            Map<String, Integer> before = openHandles();
            exchange(server, name, ROUNDS);
            assertNoHandlesLeftBehind(before);
        }
    }

    @Test
    void namedObjectsLeaveNoHandlesBehind() {
        cycleObjects(20);
        Map<String, Integer> before = openHandles();
        cycleObjects(ROUNDS);
        assertNoHandlesLeftBehind(before);
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void refusedOpensOfSquattedObjectsLeaveNoHandlesBehind() throws Exception {
        String name = TestNames.unique("leak-squat");
        try (Squatter shm = Squatter.start("shm", name + "-shm", Squatter.STRANGER);
                Squatter mutex = Squatter.start("mutex", name + "-mutex", Squatter.STRANGER);
                Squatter event = Squatter.start("event", name + "-event", Squatter.STRANGER);
                Squatter semaphore = Squatter.start("semaphore", name + "-semaphore", Squatter.STRANGER)) {
            refuseOpens(name, 20);
            Map<String, Integer> before = openHandles();
            // Each refused open had a handle to the object in hand when it read the owner.
            refuseOpens(name, ROUNDS);
            assertNoHandlesLeftBehind(before);
        }
    }

    private static void refuseOpens(String name, int rounds) {
        for (int i = 0; i < rounds; i++) {
            assertThatThrownBy(() -> SharedMemory.open(name + "-shm")).isInstanceOf(WinipcAccessDeniedException.class);
            assertThatThrownBy(() -> Mutex.open(name + "-mutex")).isInstanceOf(WinipcAccessDeniedException.class);
            assertThatThrownBy(() -> Event.open(name + "-event")).isInstanceOf(WinipcAccessDeniedException.class);
            assertThatThrownBy(() -> Semaphore.open(name + "-semaphore")).isInstanceOf(WinipcAccessDeniedException.class);
        }
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
