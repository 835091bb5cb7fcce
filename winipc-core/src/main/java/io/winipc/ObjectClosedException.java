package io.winipc;

/**
 * An operation was attempted on an object that is closed, or the object was closed from another
 * thread while the operation was blocked.
 */
public class ObjectClosedException extends WinipcException {
    private static final long serialVersionUID = 1L;

    /** @param message what was closed, for a person */
    public ObjectClosedException(String message) {
        super(message);
    }
}
