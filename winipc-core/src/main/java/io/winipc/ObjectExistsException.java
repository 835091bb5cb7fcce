package io.winipc;

/**
 * Exclusive creation of a name that is already live: a second pipe server on a name, an existing
 * shared-memory region, or a sync object created with {@code exclusive}.
 */
public class ObjectExistsException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public ObjectExistsException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public ObjectExistsException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
