package io.winipc;

/**
 * The peer of a pipe connection vanished while a message was only partly transferred, or a write
 * found the peer gone. A peer that closes cleanly between messages is not an error: reads report
 * end-of-stream instead.
 */
public class BrokenPipeException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public BrokenPipeException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public BrokenPipeException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
