package io.winipc;

/**
 * A semaphore release would raise the count above its maximum (Windows
 * {@code ERROR_TOO_MANY_POSTS}); the count is left unchanged.
 */
public class WouldExceedMaximumException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public WouldExceedMaximumException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public WouldExceedMaximumException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
