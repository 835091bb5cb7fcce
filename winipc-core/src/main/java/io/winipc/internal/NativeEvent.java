package io.winipc.internal;

/** A named cross-process event (manual or auto reset), as a backend provides it. */
public interface NativeEvent extends AutoCloseable {

    /** @return whether the call that returned this object created it (else it opened a live one) */
    boolean created();

    void signal();

    void reset();

    /**
     * @return true if signalled (an auto-reset event is reset by the release), false on timeout.
     *     Interruptible (OperationCanceledException); close() from another thread wakes it
     *     (ObjectClosedException).
     */
    boolean await(Deadline deadline);

    @Override
    void close();
}
