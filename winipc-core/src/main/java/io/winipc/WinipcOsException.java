package io.winipc;

/**
 * An operating-system call failed. {@link #nativeCode()} is the code the OS reported:
 * {@code GetLastError()} on Windows, {@code errno} on Linux, or {@code 0} where the failure was
 * detected by winipc itself rather than reported by a call.
 */
public class WinipcOsException extends WinipcException {
    private static final long serialVersionUID = 1L;

    private final int nativeCode;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public WinipcOsException(String message, int nativeCode) {
        super(message);
        this.nativeCode = nativeCode;
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public WinipcOsException(String message, int nativeCode, Throwable cause) {
        super(message, cause);
        this.nativeCode = nativeCode;
    }

    /** @return the OS error code ({@code GetLastError()} or {@code errno}), or 0 if there was none */
    public int nativeCode() {
        return nativeCode;
    }
}
