package io.winipc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Unique names for named-object tests, and on Linux the files they leave in /dev/shm. A test
 * class's names all start with {@code t-<ClassName>/}, which the Linux backend encodes as
 * {@code t-<ClassName>%2F} in its file names.
 */
public final class NamedObjects {
    private NamedObjects() {
    }

    /**
     * The encoded forms ({@code t-<ClassName>%2F<id>}) of the names this JVM handed out. Another JVM
     * may run the same test class at the same time (other builds on the machine): its files carry
     * the same class marker, and are live while it runs.
     */
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    /** @return a fresh name private to this test class */
    public static String unique(Class<?> testClass) {
        String id = UUID.randomUUID().toString().substring(0, 12);
        ISSUED.add("t-" + testClass.getSimpleName() + "%2F" + id);
        return "t-" + testClass.getSimpleName() + "/" + id;
    }

    /**
     * @return the /dev/shm entries (file names) that carry names this JVM handed out for this test
     *     class, whichever process made the files; files of other JVMs running the same class are
     *     not counted
     */
    public static List<String> filesOf(Class<?> testClass) {
        String marker = "t-" + testClass.getSimpleName() + "%2F";
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(marker) && ISSUED.contains(n.substring(n.indexOf(marker))))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return how many of this process's file descriptors refer to files in /dev/shm (Linux). Unlike
     *     the total, this is not disturbed by other tests' descriptors closing in the background.
     */
    public static int openShmFdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("/dev/shm/");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return how many file descriptors this process has open (Linux) */
    public static int openFdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return whether {@code t} is inside a backend call (a frame of {@code io.winipc.internal}
     *     below the public API), that is, blocked in or about to enter a native wait
     */
    public static boolean isInsideBackend(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("io.winipc.internal.") && !c.startsWith("io.winipc.internal.Offload")
                    && !c.startsWith("io.winipc.internal.Deadline")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code t} is blocked waiting inside winipc: in a backend call, or parked in
     *     the in-process part of a mutex wait
     */
    public static boolean isWaitingInWinipc(Thread t) {
        if (isInsideBackend(t)) {
            return true;
        }
        Thread.State state = t.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("io.winipc.sync.MutexCore")) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the test JVM runs on Linux */
    public static boolean onLinux() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("linux");
    }
}
