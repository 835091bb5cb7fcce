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

    @Override
    void close();
}
