package io.winipc;

/**
 * A blocking operation did not complete before its deadline. For a pipe connect the message says whether
 * the server was absent or every instance stayed busy; see also {@link PipeBusyException}.
 */
public class WinipcTimeoutException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public WinipcTimeoutException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public WinipcTimeoutException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
