package io.winipc;

/**
 * Every instance of a pipe server stayed busy until the connect deadline passed (Windows
 * {@code ERROR_PIPE_BUSY}). It is a {@link WinipcTimeoutException}'s sibling, thrown instead of it
 * when the server existed but had no free instance.
 */
public class PipeBusyException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public PipeBusyException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public PipeBusyException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
