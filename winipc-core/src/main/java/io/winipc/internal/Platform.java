package io.winipc.internal;

import io.winipc.NamedObjectOptions;

/**
 * The narrow boundary between the public API and an operating system. Everything OS-specific
 * (native bindings, name mapping, security) lives behind it, in {@code io.winipc.internal.<os>}.
 * Arguments arrive validated: names by {@link Names}, options by their records.
 */
public interface Platform {

    /** @return a short id: {@code linux} or {@code windows} */
    String id();

    /** Listens on a name; fails with ObjectExistsException if a live server owns it. */
    NativePipeServer listen(String name, PipeListenSpec spec);

    /**
     * Connects, retrying while the server is absent or busy until the deadline.
     *
     * @throws io.winipc.WinipcTimeoutException if no server appeared in time
     * @throws io.winipc.PipeBusyException if the server stayed busy until the deadline
     */
    NativePipe connect(String name, PipeConnectSpec spec, Deadline deadline);

    /**
     * Creates a region exclusively ({@link OpenMode#CREATE_EXCLUSIVE}) or opens a live one
     * ({@link OpenMode#OPEN_EXISTING}; {@code size} is then ignored).
     */
    NativeSharedMemory sharedMemory(String name, OpenMode openMode, long size, NamedObjectOptions options);

    NativeMutex mutex(String name, OpenMode openMode, NamedObjectOptions options);

    NativeEvent event(String name, OpenMode openMode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options);

    NativeSemaphore semaphore(String name, OpenMode openMode, int initialCount, int maximumCount,
            NamedObjectOptions options);
}
