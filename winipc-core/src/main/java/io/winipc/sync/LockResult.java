package io.winipc.sync;

/** How {@link Mutex#acquire(java.time.Duration)} ended. */
public enum LockResult {
    /** The mutex is now held by the calling thread. */
    ACQUIRED,
    /**
     * The mutex is now held by the calling thread, and its previous owner died holding it: the data
     * it protects may be inconsistent. The mutex itself works normally again.
     */
    ACQUIRED_ABANDONED,
    /** The timeout passed; the mutex is not held. */
    TIMED_OUT;

    /** @return whether the calling thread now holds the mutex */
    public boolean acquired() {
        return this != TIMED_OUT;
    }
}
