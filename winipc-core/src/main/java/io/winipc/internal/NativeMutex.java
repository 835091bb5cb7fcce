package io.winipc.internal;

/**
 * A named cross-process mutex, as a backend provides it. The public layer serialises threads of
 * this process and handles reentrancy, so the backend sees at most one lock at a time per
 * object, and {@link #unlock()} always from the thread that locked.
 */
public interface NativeMutex extends AutoCloseable {

    /** The outcome of a lock call. */
    enum LockResult { ACQUIRED, ACQUIRED_ABANDONED, TIMED_OUT }

    /**
     * Interruptible (OperationCanceledException, interrupt status kept); close() from another
     * thread wakes it (ObjectClosedException).
     */
    LockResult lock(Deadline deadline);

    /** @throws io.winipc.NotOwnerException if the calling thread does not own it */
    void unlock();

    /**
     * Wakes a blocked {@link #lock} (ObjectClosedException). If this process holds the mutex, or a
     * lock call is in flight and may still succeed, the OS object must stay usable until the
     * matching {@link #unlock()}: the public layer calls unlock() after close() in that case (a
     * lock granted while closing is given back at once), and only then may the handle/mapping go.
     */
    @Override
    void close();
}
