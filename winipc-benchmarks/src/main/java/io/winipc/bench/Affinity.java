package io.winipc.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the two ends of a measured exchange on different CPUs (Linux only), so that every round
 * pays the same cross-CPU wake-up instead of whatever placement the scheduler picked: the
 * measuring thread of the harness on the first CPU, server processes on the second (started under
 * {@code taskset}), C clients on the first. Off when the machine has fewer than two CPUs, without
 * taskset, under Wine, or with BENCH_PIN=0.
 */
final class Affinity {
    static final int CLIENT_CPU = 0;
    static final int SERVER_CPU = 1;

    private static final boolean ENABLED = enabled();

    private Affinity() {
    }

    private static boolean enabled() {
        if (Peer.isWindows() || "0".equals(System.getenv("BENCH_PIN"))) {
            return false;
        }
        if (Runtime.getRuntime().availableProcessors() < 2 || !Files.isExecutable(java.nio.file.Path.of("/usr/bin/taskset"))) {
            return false;
        }
        try {
            Native.register(Affinity.class, NativeLibrary.getInstance("c"));
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    static boolean enabled(boolean wanted) {
        return wanted && ENABLED;
    }

    /** @return the command prefix that starts a process on one CPU, or nothing if pinning is off */
    static List<String> prefix(boolean pin, int cpu) {
        List<String> prefix = new ArrayList<>();
        if (enabled(pin)) {
            prefix.add("/usr/bin/taskset");
            prefix.add("-c");
            prefix.add(Integer.toString(cpu));
        }
        return prefix;
    }

    /**
     * Pins the calling thread (only this thread: on Linux the affinity of pid 0 is the caller's)
     * to one CPU until {@link Pin#close()} restores what it had.
     */
    static Pin pinCurrentThread(boolean pin, int cpu) {
        if (!enabled(pin)) {
            return () -> { };
        }
        long[] before = new long[16];
        if (sched_getaffinity(0, before.length * 8L, before) != 0) {
            return () -> { };
        }
        long[] one = new long[16];
        one[cpu / 64] = 1L << (cpu % 64);
        sched_setaffinity(0, one.length * 8L, one);
        return () -> sched_setaffinity(0, before.length * 8L, before);
    }

    interface Pin extends AutoCloseable {
        @Override
        void close();
    }

    private static native int sched_getaffinity(int pid, long size, long[] mask);

    private static native int sched_setaffinity(int pid, long size, long[] mask);
}
