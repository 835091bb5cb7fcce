package io.winipc.internal.linux;

import io.winipc.NamedObjectOptions;
import io.winipc.internal.ConnectAttempt;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.NativePipeServer;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.OpenMode;
import io.winipc.internal.PipeConnectSpec;
import io.winipc.internal.PipeListenSpec;
import io.winipc.internal.Platform;
import io.winipc.internal.linux.objects.LinuxObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Linux backend: Unix domain sockets for pipes; /dev/shm and futexes for the rest. */
public final class LinuxPlatform implements Platform {

    /**
     * Loads and initialises the classes on the blocking paths up front. A virtual thread that waits
     * for another to load or initialise a class pins its carrier, so the first burst of virtual
     * threads through the backend must find them ready.
     */
    public LinuxPlatform() {
        // Before any native call: on an architecture whose numbers and layouts are not verified,
        // refuse (Platforms reports the reason) rather than make calls that mean something else there.
        String unsupported = LinuxArchitecture.unsupportedReason(System.getProperty("os.arch", ""));
        if (unsupported != null) {
            throw new UnsupportedOperationException(unsupported);
        }
        Poller.preload();
        for (Class<?> c : new Class<?>[] {UnixSocket.class, LinuxPipe.class, LinuxPipeClient.class, LinuxPipeServer.class,
                Errno.class, SocketAddresses.class, RuntimeDirectories.class}) {
            initialize(c);
        }
    }

    /**
     * The process's start in milliseconds since boot, from field 22 of /proc/PID/stat. The JDK's
     * start instant adds a boot time each JVM reads once, which moves when the wall clock is
     * stepped (an NTP correction, a virtual machine restored or migrated): two processes that read
     * it on either side of a step see the same process start seconds apart.
     */
    @Override
    public long processStartStamp(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return startStampFromStat(stat);
    }

    /** @return field 22 of a /proc/PID/stat line in milliseconds, or 0 if the line is not one */
    static long startStampFromStat(String stat) {
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return 0;
        }
        String[] fields = stat.substring(end + 1).trim().split(" ");
        // fields[0] is field 3 (the state), so field 22 is fields[19].
        if (fields.length < 20) {
            return 0;
        }
        try {
            return Long.parseLong(fields[19]) * (1000 / LinuxArchitecture.USER_HZ);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void initialize(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public String id() {
        return "linux";
    }

    @Override
    public NativePipeServer listen(String name, PipeListenSpec spec) {
        return LinuxPipeServer.listen(name, spec);
    }

    @Override
    public ConnectAttempt tryConnect(String name, PipeConnectSpec spec) {
        return LinuxPipeClient.tryConnect(name, spec);
    }

    @Override
    public NativeSharedMemory sharedMemory(String name, OpenMode openMode, long size, NamedObjectOptions options) {
        return LinuxObjects.sharedMemory(name, openMode, size, options);
    }

    @Override
    public NativeMutex mutex(String name, OpenMode openMode, NamedObjectOptions options) {
        return LinuxObjects.mutex(name, openMode, options);
    }

    @Override
    public NativeEvent event(String name, OpenMode openMode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options) {
        return LinuxObjects.event(name, openMode, manualReset, initiallySignalled, options);
    }

    @Override
    public NativeSemaphore semaphore(String name, OpenMode openMode, int initialCount, int maximumCount,
            NamedObjectOptions options) {
        return LinuxObjects.semaphore(name, openMode, initialCount, maximumCount, options);
    }
}
