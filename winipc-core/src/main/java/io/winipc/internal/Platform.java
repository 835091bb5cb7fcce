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

    /**
     * @param scope a scope as the caller gave it
     * @return the scope whose namespace a name in {@code scope} really lives in: the same one,
     *     except where the OS folds two together (a Windows service, in session 0, has one
     *     namespace for {@code Local\} and {@code Global\})
     */
    default io.winipc.Scope namespaceOf(io.winipc.Scope scope) {
        return scope;
    }

    /**
     * A stamp of when a process started that any process reads alike and that no later change of
     * the wall clock moves, so that two processes can tell whether a pid still names the process
     * that recorded it. This default is the start time the JDK reports, in milliseconds since the
     * epoch: on Windows the creation time the kernel keeps for the process.
     *
     * @return the stamp, or 0 if the process does not exist or its start cannot be read
     */
    default long processStartStamp(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** Listens on a name; fails with ObjectExistsException if a live server owns it. */
    NativePipeServer listen(String name, PipeListenSpec spec);

    /**
     * Makes one attempt to connect, without waiting: {@code PipeClient} retries.
     *
     * @return connected (with the server's account), busy, or absent
     */
    ConnectAttempt tryConnect(String name, PipeConnectSpec spec);

    /**
     * Waits up to {@code timeoutMillis} for an instance of a busy pipe to become free, where the OS
     * offers such a wait (WaitNamedPipeW on Windows); returns at once where it does not. Interruptible.
     *
     * @return true if the wait happened here (the caller then does not sleep), false if the OS has no such wait
     */
    default boolean awaitFreeInstance(String name, long timeoutMillis) {
        return false;
    }

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
