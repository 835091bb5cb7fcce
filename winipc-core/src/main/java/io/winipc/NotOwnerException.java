package io.winipc;

/**
 * A mutex was released by a thread that does not own it (Windows {@code ERROR_NOT_OWNER}).
 */
public class NotOwnerException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public NotOwnerException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public NotOwnerException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
