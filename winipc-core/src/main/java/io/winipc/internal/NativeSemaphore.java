package io.winipc.internal;

/** A named cross-process counting semaphore, as a backend provides it. */
public interface NativeSemaphore extends AutoCloseable {

    /** @return whether the call that returned this object created it (else it opened a live one) */
    boolean created();

    /**
     * @return true if a permit was taken, false on timeout. Interruptible
     *     (OperationCanceledException); close() from another thread wakes it (ObjectClosedException).
     */
    boolean acquire(Deadline deadline);

    /**
     * @return the count before the release
     * @throws io.winipc.WouldExceedMaximumException if the count would pass the maximum; it is left unchanged
     */
    int release(int permits);

    @Override
    void close();
}
