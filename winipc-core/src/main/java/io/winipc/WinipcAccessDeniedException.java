package io.winipc;

/**
 * The OS refused access, or winipc refused to use a location that another user could control
 * (for example a runtime directory owned by someone else or open to others).
 */
public class WinipcAccessDeniedException extends WinipcOsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     */
    public WinipcAccessDeniedException(String message, int nativeCode) {
        super(message, nativeCode);
    }

    /**
     * @param message what failed, for a person
     * @param nativeCode the OS error code, or 0 if none
     * @param cause the underlying failure
     */
    public WinipcAccessDeniedException(String message, int nativeCode, Throwable cause) {
        super(message, nativeCode, cause);
    }
}
