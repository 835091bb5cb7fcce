package io.winipc.internal.linux.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.NamedObjectOptions;
import io.winipc.internal.linux.LibC;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Semaphore;
import io.winipc.sync.SyncChild;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The /dev/shm layout of events and semaphores (version 2) and the waiter protocol that a
 * non-Java peer follows: this test maps the file itself and plays such a peer against winipc in
 * another process. The child JVMs run with a wait slice of ten minutes, so a wake-up that the
 * protocol failed to deliver shows as a hang (and a failed test), not as a 100 ms delay.
 */
@EnabledOnOs(OS.LINUX)
class SyncLayoutTest {
    private static final List<String> LONG_SLICE = List.of("-D" + SyncFile.SLICE_PROPERTY + "=600000");
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int STATE = 64;
    private static final int WAITERS = 68;

    /** The futex call, as a C peer makes it. */
    interface RawC extends Library {
        RawC INSTANCE = Native.load("c", RawC.class);

        long syscall(long number, Pointer uaddr, int op, int val, Pointer timeout, Pointer uaddr2, int val3);
    }

    private static String name() {
        return NamedObjects.unique(SyncLayoutTest.class);
    }

    @AfterAll
    static void leavesNothingInDevShm() {
        assertThat(NamedObjects.filesOf(SyncLayoutTest.class)).isEmpty();
    }

    private static MappedByteBuffer map(String kind, String name) throws IOException {
        Path path = Path.of(NamedFiles.path(kind, name, NamedObjectOptions.defaults()));
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, SyncFile.FILE_SIZE);
            m.order(ByteOrder.nativeOrder());
            return m;
        }
    }

    private static int get(MappedByteBuffer m, int offset) {
        return (int) INTS.getVolatile(m, offset);
    }

    private static void futexWake(MappedByteBuffer m) {
        RawC.INSTANCE.syscall(LibC.SYS_FUTEX, Native.getDirectBufferPointer(m).share(STATE), LibC.FUTEX_WAKE,
                Integer.MAX_VALUE, null, null, 0);
    }

    @Test
    void theHeaderSaysLayoutVersionTwoAndTheWaiterCountStartsAtZero() throws IOException {
        String name = name();
        try (Semaphore sem = Semaphore.create(name, 1, 5)) {
            MappedByteBuffer m = map("sem", name);
            assertThat(m.getInt(0)).isEqualTo(0x43504957);
            assertThat(m.getInt(4)).isEqualTo(3);
            assertThat(m.getInt(8)).isEqualTo(2);
            assertThat(m.getInt(12)).isEqualTo(5);
            assertThat(get(m, STATE)).isEqualTo(1);
            assertThat(get(m, WAITERS)).isZero();
        }
    }

    @Test
    void aSemaphoreWaiterInAnotherProcessIsCountedAndARawReleaseByTheProtocolWakesIt() throws IOException {
        String name = name();
        try (Semaphore sem = Semaphore.create(name, 0, 1);
                ChildJvm child = ChildJvm.start(LONG_SLICE, SyncChild.class, "semaphore-acquire", name)) {
            MappedByteBuffer m = map("sem", name);
            assertThat(child.readLine()).isEqualTo("waiting");
            await().atMost(Duration.ofSeconds(60)).until(() -> get(m, WAITERS) == 1);
            // Release as a C peer does: CAS the count, then wake only if someone announced a wait.
            assertThat(INTS.compareAndSet(m, STATE, 0, 1)).isTrue();
            assertThat(get(m, WAITERS)).isNotZero();
            futexWake(m);
            assertThat(child.readLine()).isEqualTo("acquired");
            child.assertSucceeds(60);
            assertThat(get(m, STATE)).isZero();
            assertThat(get(m, WAITERS)).isZero();
        }
    }

    @Test
    void aRawWaiterByTheProtocolIsWokenByAReleaseInAnotherProcess() throws IOException {
        String name = name();
        try (Semaphore sem = Semaphore.create(name, 0, 1)) {
            MappedByteBuffer m = map("sem", name);
            Pointer word = Native.getDirectBufferPointer(m).share(STATE);
            // Wait as a C peer does: announce, re-check, FUTEX_WAIT without timeout, withdraw.
            CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> {
                while (true) {
                    int c = get(m, STATE);
                    if (c > 0) {
                        if (INTS.compareAndSet(m, STATE, c, c - 1)) {
                            return c;
                        }
                        continue;
                    }
                    INTS.getAndAdd(m, WAITERS, 1);
                    try {
                        if (get(m, STATE) == 0) {
                            RawC.INSTANCE.syscall(LibC.SYS_FUTEX, word, LibC.FUTEX_WAIT, 0, null, null, 0);
                        }
                    } finally {
                        INTS.getAndAdd(m, WAITERS, -1);
                    }
                }
            });
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> get(m, WAITERS) == 1);
                try (ChildJvm child = ChildJvm.start(SyncChild.class, "semaphore-release", name)) {
                    assertThat(child.readLine()).isEqualTo("released from 0");
                    child.assertSucceeds(60);
                }
                await().atMost(Duration.ofSeconds(60)).until(taken::isDone);
                assertThat(taken.join()).isEqualTo(1);
                assertThat(get(m, WAITERS)).isZero();
            } finally {
                if (!taken.isDone()) {
                    // Failed: let the raw waiter go, so that no thread stays blocked.
                    INTS.getAndAdd(m, STATE, 1);
                    futexWake(m);
                }
            }
        }
    }

    @Test
    void anAutoResetEventWaiterInAnotherProcessIsCountedWhileItSleepsAndWokenBySignal() throws IOException {
        String eventName = name();
        String shmName = name();
        try (Event event = Event.create(eventName, EventResetMode.AUTO);
                io.winipc.shm.SharedMemory shm = io.winipc.shm.SharedMemory.create(shmName, 64);
                ChildJvm child = ChildJvm.start(LONG_SLICE, SyncChild.class, "event-wait", eventName, shmName)) {
            MappedByteBuffer m = map("event", eventName);
            assertThat(m.getInt(8)).isEqualTo(2);
            assertThat(child.readLine()).isEqualTo("waiting");
            await().atMost(Duration.ofSeconds(60)).until(() -> get(m, WAITERS) == 1);
            event.signal();
            assertThat(child.readLine()).isEqualTo("released");
            child.assertSucceeds(60);
            assertThat(get(m, WAITERS)).isZero();
            // The signal was taken by the waiter: the word is back to not signalled, one signal counted.
            assertThat(get(m, STATE)).isEqualTo(1 << 1);
        }
    }
}
