package io.winipc.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.ObjectClosedException;
import io.winipc.testing.NamedObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Closing a region while threads use it, through the API and through ByteBuffer views: no access
 * may fault (the JVM would die, as it did on Windows before), no view may reach memory mapped at
 * that address later, and a closed region must leave nothing mapped, reserved or committed once
 * no view is left. Runs on Linux and on the Windows JVM under Wine.
 */
class SharedMemoryCloseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ROUNDS = Integer.getInteger("winipc.test.closeRounds", 2000);
    private static final int REGION_SIZE = 64 * 1024;
    private static final int WORKERS = 3;

    @AfterAll
    static void leavesNothingInDevShm() {
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(SharedMemoryCloseTest.class)).isEmpty();
        }
    }

    /** One round's region, the value every long of it holds, and a view taken before the close. */
    private record Round(SharedMemory shm, ByteBuffer view, long marker, CountDownLatch started) {
    }

    @Test
    void threadsUsingARegionWhileAnotherClosesItNeverFaultNorSeeAnotherRegion() throws Exception {
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong viewAccessesAfterClose = new AtomicLong();
        AtomicLong closedExceptions = new AtomicLong();
        Round[] current = new Round[1];
        Object lock = new Object();
        Thread[] workers = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            workers[w] = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!Thread.currentThread().isInterrupted()) {
                    Round r;
                    synchronized (lock) {
                        r = current[0];
                    }
                    if (r == null) {
                        continue;
                    }
                    for (int i = 0; i < 64; i++) {
                        int at = random.nextInt(REGION_SIZE / 8) * 8;
                        // Every write of this round writes the round's marker, so every read must see it:
                        // zero would be a replacement page, anything else another region.
                        r.view.putLong(at, r.marker);
                        long fromView = r.view.getLong(random.nextInt(REGION_SIZE / 8) * 8);
                        if (fromView != r.marker) {
                            failures.add("a view of round " + Long.toHexString(r.marker) + " read " + Long.toHexString(fromView));
                        }
                        if (!r.shm.isOpen()) {
                            viewAccessesAfterClose.incrementAndGet();
                        }
                        try {
                            long fromApi = r.shm.getLong(random.nextInt(REGION_SIZE / 8) * 8);
                            r.shm.putLong(at, r.marker);
                            if (fromApi != r.marker) {
                                failures.add("round " + Long.toHexString(r.marker) + " read " + Long.toHexString(fromApi));
                            }
                        } catch (ObjectClosedException expected) {
                            closedExceptions.incrementAndGet();
                        }
                    }
                    r.started.countDown();
                }
            }, "shm-close-worker-" + w);
            workers[w].setDaemon(true);
            workers[w].start();
        }
        try {
            for (int round = 0; round < ROUNDS && failures.isEmpty(); round++) {
                long marker = 0x5EED_0000_0000_0000L | (round + 1);
                SharedMemory shm = SharedMemory.create(NamedObjects.unique(SharedMemoryCloseTest.class), REGION_SIZE);
                ByteBuffer all = shm.asByteBuffer();
                for (int at = 0; at < REGION_SIZE; at += 8) {
                    all.putLong(at, marker);
                }
                Round r = new Round(shm, shm.slice(0, REGION_SIZE), marker, new CountDownLatch(WORKERS));
                synchronized (lock) {
                    current[0] = r;
                }
                // The workers are inside this round's region before it closes under them.
                assertThat(r.started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                shm.close();
            }
        } finally {
            for (Thread w : workers) {
                w.interrupt();
            }
            for (Thread w : workers) {
                w.join(TIMEOUT.toMillis());
            }
        }
        System.out.printf("[close-race] %d rounds, %d view accesses after close, %d ObjectClosedExceptions%n", ROUNDS,
                viewAccessesAfterClose.get(), closedExceptions.get());
        assertThat(failures).isEmpty();
        // The race was reached: views were used, and calls refused, after their region was closed.
        assertThat(viewAccessesAfterClose.get()).isPositive();
        assertThat(closedExceptions.get()).isPositive();
    }

    @Test
    void aViewKeepsTheRegionMappedAfterCloseUntilItIsUnreachable() {
        SharedMemory shm = SharedMemory.create(NamedObjects.unique(SharedMemoryCloseTest.class), REGION_SIZE);
        long address = shm.mappedAddress();
        // A derived buffer (read-only, so byte order must be set again) holds its root view, and that the region.
        ByteBuffer view = shm.slice(8, 64).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        shm.putLong(8, 42);
        shm.close();
        assertThat(shm.isUnmapped()).isFalse();
        assertThat(MemoryProbe.isMapped(address)).isTrue();
        assertThat(view.getLong(0)).isEqualTo(42);
        view = null;
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return shm.isUnmapped();
        });
        assertThat(MemoryProbe.isMapped(address)).isFalse();
    }

    @Test
    void creatingAndClosingLargeRegionsLeavesNothingMappedOrCommitted() {
        int cycles = 16;
        long size = 64L << 20;
        long before = MemoryProbe.commitCharge();
        for (int i = 0; i < cycles; i++) {
            SharedMemory shm = SharedMemory.create(NamedObjects.unique(SharedMemoryCloseTest.class), size);
            for (long at = 0; at < size; at += 1 << 20) {
                shm.putLong(at, at);
            }
            long address = shm.mappedAddress();
            shm.close();
            assertThat(shm.isUnmapped()).isTrue();
            assertThat(MemoryProbe.isMapped(address)).as("range of cycle %d after close", i).isFalse();
        }
        long after = MemoryProbe.commitCharge();
        System.out.printf("[close-commit] %s before %d MiB, after %d MiB over %d cycles of %d MiB%n", MemoryProbe.COMMIT_NAME,
                before >> 20, after >> 20, cycles, size >> 20);
        // Re-reserving each closed range (the old close) left cycles * size behind: 1 GiB here on
        // Windows (PrivateUsage) and in VmSize on Linux. Wine reports only touched private pages
        // in PrivateUsage, so there the range check above is what shows it; real Windows shows both.
        assertThat(after - before).isLessThan(cycles * size / 4);
    }

    /** What the OS says about an address and about the process's commit (Windows) or address space (Linux). */
    static final class MemoryProbe {
        private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");
        static final String COMMIT_NAME = WINDOWS ? "PrivateUsage" : "VmSize";
        private static final int MEM_FREE = 0x10000;

        interface Kernel32 extends Library {
            long VirtualQuery(Pointer address, Pointer info, long length);

            long GetCurrentProcess();

            boolean K32GetProcessMemoryInfo(long process, Pointer counters, int size);
        }

        private static Kernel32 kernel32() {
            return Native.load("kernel32", Kernel32.class);
        }

        /** @return whether anything allocated at {@code address} is still there (our view, or memory left in its place) */
        static boolean isMapped(long address) {
            if (WINDOWS) {
                Memory info = new Memory(48);
                info.clear();
                assertThat(kernel32().VirtualQuery(new Pointer(address), info, info.size())).isPositive();
                // The old close left MEM_COMMIT|MEM_PRIVATE allocated at this very base.
                return info.getInt(32) != MEM_FREE && info.getLong(8) == address;
            }
            for (String line : lines(Path.of("/proc/self/maps"))) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)) {
                    return true;
                }
            }
            return false;
        }

        /** @return PrivateUsage on Windows (PROCESS_MEMORY_COUNTERS_EX), VmSize on Linux, in bytes */
        static long commitCharge() {
            if (WINDOWS) {
                Memory counters = new Memory(80);
                counters.clear();
                counters.setInt(0, 80);
                assertThat(kernel32().K32GetProcessMemoryInfo(kernel32().GetCurrentProcess(), counters, 80)).isTrue();
                System.out.printf("[close-commit] PagefileUsage %d MiB, PrivateUsage %d MiB%n", counters.getLong(56) >> 20,
                        counters.getLong(72) >> 20);
                return counters.getLong(72);
            }
            for (String line : lines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmSize:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new AssertionError("no VmSize in /proc/self/status");
        }

        private static List<String> lines(Path path) {
            try {
                return Files.readAllLines(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
