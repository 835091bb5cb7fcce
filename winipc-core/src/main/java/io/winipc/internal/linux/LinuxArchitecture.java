package io.winipc.internal.linux;

import java.util.Locale;

/**
 * The per-architecture numbers and layouts of the Linux backend, for the architectures whose values
 * have been checked against the kernel's and glibc's headers and tested: x86_64 and aarch64. On
 * any other architecture the backend does not start (see {@link #unsupportedReason(String)}):
 * calling a system call by the wrong number, or reading a structure with another architecture's
 * layout, does something unrelated instead of failing.
 *
 * <p>What differs between the two: the {@code futex} system call number (202 and 98), the open
 * flags of the older x86 ABI ({@code O_NOFOLLOW}, {@code O_DIRECTORY} and so {@code O_TMPFILE}),
 * the packing of {@code struct epoll_event} (12 bytes on x86_64, 16 elsewhere), and the sizes of
 * glibc's {@code pthread_mutex_t} (40 and 48 bytes) and {@code pthread_mutexattr_t} (4 and 8).
 * File metadata is read with glibc's {@code statx}, whose {@code struct statx} is the same on every
 * architecture. Everything else the backend uses (errno values, socket options, mmap flags,
 * {@code struct timespec}, {@code msghdr}, {@code ucred}) is the same on both 64-bit ABIs.
 */
public final class LinuxArchitecture {
    /** The architecture of this JVM, as the backend names it: "x86_64", "aarch64" or os.arch as is. */
    public static final String NAME = normalize(System.getProperty("os.arch", ""));
    static final boolean X86_64 = "x86_64".equals(NAME);

    /** {@code SYS_futex}: 202 on x86_64, 98 in the generic table aarch64 uses. */
    public static final long SYS_FUTEX = X86_64 ? 202 : 98;
    /** {@code O_NOFOLLOW}: x86_64 keeps the i386 value; aarch64 uses the generic one. */
    public static final int O_NOFOLLOW = X86_64 ? 0400000 : 0100000;
    /** {@code O_DIRECTORY}, as O_NOFOLLOW. */
    public static final int O_DIRECTORY = X86_64 ? 0200000 : 040000;
    /** {@code O_TMPFILE}: {@code __O_TMPFILE | O_DIRECTORY}. */
    public static final int O_TMPFILE = 020000000 | O_DIRECTORY;
    /** {@code struct epoll_event} is packed on x86_64 only. */
    static final boolean PACKED_EPOLL_EVENT = X86_64;
    /** {@code USER_HZ}, the unit of the times in /proc/PID/stat: 100 on x86_64 and aarch64 alike (a fixed ABI value). */
    public static final int USER_HZ = 100;
    /** {@code sizeof(pthread_mutex_t)} in glibc. */
    public static final int PTHREAD_MUTEX_SIZE = X86_64 ? 40 : 48;
    /** {@code sizeof(pthread_mutexattr_t)} in glibc. */
    public static final int PTHREAD_MUTEXATTR_SIZE = X86_64 ? 4 : 8;

    private LinuxArchitecture() {
    }

    /** @return the architecture name for a value of os.arch ("amd64" is x86_64) */
    static String normalize(String osArch) {
        String a = osArch.trim().toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> a;
        };
    }

    /**
     * @param osArch a value of the os.arch property
     * @return why the Linux backend cannot run on it, or null for x86_64 and aarch64
     */
    public static String unsupportedReason(String osArch) {
        String name = normalize(osArch);
        if (name.equals("x86_64") || name.equals("aarch64")) {
            return null;
        }
        return "the Linux backend supports the x86_64 and aarch64 architectures only; this JVM runs on '"
                + (name.isEmpty() ? "(os.arch not set)" : name) + "', whose system call numbers and structure"
                + " layouts winipc has not verified";
    }
}
