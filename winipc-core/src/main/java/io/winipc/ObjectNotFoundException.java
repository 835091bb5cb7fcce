package io.winipc;

/**
 * {@code open} of a name that no live object carries, or a connect to a pipe that no server listens on.
 */
public class ObjectNotFoundException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public ObjectNotFoundException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public ObjectNotFoundException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
