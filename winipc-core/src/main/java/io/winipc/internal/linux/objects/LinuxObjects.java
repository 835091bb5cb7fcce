package io.winipc.internal.linux.objects;

import io.winipc.NamedObjectOptions;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.OpenMode;

/** Shared memory and named synchronization on Linux. */
public final class LinuxObjects {
    private LinuxObjects() {
    }

    public static NativeSharedMemory sharedMemory(String name, OpenMode openMode, long size, NamedObjectOptions options) {
        throw new UnsupportedOperationException("shared memory on Linux is not implemented yet");
    }

    public static NativeMutex mutex(String name, OpenMode openMode, NamedObjectOptions options) {
        throw new UnsupportedOperationException("mutex on Linux is not implemented yet");
    }

    public static NativeEvent event(String name, OpenMode openMode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options) {
        throw new UnsupportedOperationException("event on Linux is not implemented yet");
    }

    public static NativeSemaphore semaphore(String name, OpenMode openMode, int initialCount, int maximumCount,
            NamedObjectOptions options) {
        throw new UnsupportedOperationException("semaphore on Linux is not implemented yet");
    }
}
