package io.winipc.internal.linux.objects;

import io.winipc.NamedObjectOptions;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.OpenMode;

/**
 * Shared memory and named synchronization on Linux: files in /dev/shm (see {@link NamedFiles}
 * for the name mapping and lifetime protocol), mapped shared; a robust process-shared pthread
 * mutex, and futex words for events and semaphores (see {@link SyncFile} for the layout).
 */
public final class LinuxObjects {
    private LinuxObjects() {
    }

    public static NativeSharedMemory sharedMemory(String name, OpenMode openMode, long size, NamedObjectOptions options) {
        return LinuxSharedMemory.obtain(name, openMode, size, options);
    }

    public static NativeMutex mutex(String name, OpenMode openMode, NamedObjectOptions options) {
        return LinuxMutex.obtain(name, openMode, options);
    }

    public static NativeEvent event(String name, OpenMode openMode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options) {
        return LinuxEvent.obtain(name, openMode, manualReset, initiallySignalled, options);
    }

    public static NativeSemaphore semaphore(String name, OpenMode openMode, int initialCount, int maximumCount,
            NamedObjectOptions options) {
        return LinuxSemaphore.obtain(name, openMode, initialCount, maximumCount, options);
    }
}
