package io.winipc;

/**
 * An offset and length fell outside a shared-memory region, or a value fell outside what the
 * operation accepts (for example a message larger than the connection's maximum message size).
 */
public class OutOfRangeException extends WinipcException {
    private static final long serialVersionUID = 1L;

    /** @param message what was out of range, for a person */
    public OutOfRangeException(String message) {
        super(message);
    }

    /**
     * @param message what was out of range, for a person
     * @param cause the lower-level report of the same problem
     */
    public OutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
