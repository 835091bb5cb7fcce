package io.winipc;

/**
 * A blocking operation was cancelled: its thread was interrupted (the interrupt status is kept set)
 * or the operation was cancelled by the OS (Windows {@code ERROR_OPERATION_ABORTED}).
 */
public class OperationCanceledException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public OperationCanceledException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public OperationCanceledException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
