package io.winipc;

/**
 * A mutex's previous owner died while holding it. The OS hands the mutex to the next acquirer,
 * so when this exception is thrown by a lock call the calling thread <em>owns</em> the mutex and
 * must unlock it; the data the mutex protects may be inconsistent.
 */
public class AbandonedMutexException extends WinipcException {
    private static final long serialVersionUID = 1L;

    /** @param message which mutex was abandoned, for a person */
    public AbandonedMutexException(String message) {
        super(message);
    }
}
