package io.winipc.internal;

/**
 * A named cross-process mutex, as a backend provides it. The public layer serialises threads of
 * this process and handles reentrancy, so the backend sees at most one lock at a time per
 * object, and {@link #unlock()} always from the thread that locked.
 */
public interface NativeMutex extends AutoCloseable {

    /** The outcome of a lock call. */
    enum LockResult { ACQUIRED, ACQUIRED_ABANDONED, TIMED_OUT }

    /** @return whether the call that returned this object created it (else it opened a live one) */
    boolean created();

    /**
     * Interruptible (OperationCanceledException, interrupt status kept); close() from another
     * thread wakes it (ObjectClosedException).
     */
    LockResult lock(Deadline deadline);

    /** @throws io.winipc.NotOwnerException if the calling thread does not own it */
    void unlock();

    /**
     * The platform thread that held the mutex ended without unlocking it, and the public layer is
     * about to close the last handle: forget the hold (the OS marked the mutex abandoned when the
     * thread ended), so that {@link #close()} lets the OS object go as if it had been unlocked.
     */
    default void ownerThreadEnded() {
    }

    /**
     * Releases the OS object. The public layer ({@code io.winipc.sync.MutexCore}) calls it only
     * when no thread of this process holds the mutex or is inside {@link #lock}; it calls
     * {@link #lock} with deadlines of at most 100 ms and repeats, checking close and interrupt in
     * between, so a backend need not wake a blocked lock on close.
     */
    @Override
    void close();
}
