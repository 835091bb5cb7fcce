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
