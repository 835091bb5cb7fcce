package io.winipc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Whether the kernel marks a robust mutex whose owner died. QEMU's user-mode emulator (the aarch64
 * test run) does not implement robust futex lists ({@code set_robust_list} and
 * {@code get_robust_list} return ENOSYS on purpose), so an owner that ends never releases its
 * mutex there: the tests of abandoned mutexes are skipped under it, with that reason.
 */
public final class RobustMutexes {
    private static final int ENOSYS = 38;

    /** The C library's syscall(), as a C program calls it. */
    private interface RawC extends Library {
        long syscall(long number, long pid, Pointer head, Pointer length);
    }

    private static final boolean SUPPORTED = probe();

    private RobustMutexes() {
    }

    /** Skips the calling test where robust mutexes do not work (Linux under QEMU user mode). */
    public static void assumeSupported() {
        assumeTrue(SUPPORTED, "robust mutexes are unavailable: set_robust_list returns ENOSYS"
                + " (QEMU user-mode emulation), so the kernel never marks a dead owner and no mutex is abandoned");
    }

    private static boolean probe() {
        if (!System.getProperty("os.name", "").toLowerCase().startsWith("linux")) {
            return true;
        }
        // get_robust_list(0, &head, &length) only reads this thread's registration: harmless anywhere.
        long number = System.getProperty("os.arch").equals("aarch64") ? 100 : 274;
        RawC c = Native.load("c", RawC.class);
        try (com.sun.jna.Memory head = new com.sun.jna.Memory(8); com.sun.jna.Memory length = new com.sun.jna.Memory(8)) {
            return c.syscall(number, 0, head, length) == 0 || Native.getLastError() != ENOSYS;
        }
    }
}
