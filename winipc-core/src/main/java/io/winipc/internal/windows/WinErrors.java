package io.winipc.internal.windows;

import io.winipc.BrokenPipeException;
import io.winipc.NotOwnerException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.PipeBusyException;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import io.winipc.WinipcTimeoutException;
import io.winipc.WouldExceedMaximumException;

/** Turns GetLastError codes into winipc's exception tree, keeping the code and the system's text. */
final class WinErrors {
    private WinErrors() {
    }

    /**
     * @param what what was attempted, for a person (for example {@code "CreateNamedPipeW(\\.\pipe\x)"})
     * @param code the GetLastError code
     * @return the exception for this code; unmapped codes give a plain WinipcOsException
     */
    static WinipcOsException exception(String what, int code) {
        String message = what + " failed: " + describe(code);
        return switch (code) {
            case Win32.ERROR_FILE_NOT_FOUND, Win32.ERROR_PATH_NOT_FOUND -> new ObjectNotFoundException(message, code);
            case Win32.ERROR_ACCESS_DENIED, Win32.ERROR_PRIVILEGE_NOT_HELD -> new WinipcAccessDeniedException(message, code);
            case Win32.ERROR_BROKEN_PIPE, Win32.ERROR_NO_DATA, Win32.ERROR_PIPE_NOT_CONNECTED ->
                    new BrokenPipeException(message, code);
            case Win32.ERROR_SEM_TIMEOUT, Win32.WAIT_TIMEOUT_CODE, Win32.ERROR_TIMEOUT ->
                    new WinipcTimeoutException(message, code);
            case Win32.ERROR_ALREADY_EXISTS, Win32.ERROR_FILE_EXISTS -> new ObjectExistsException(message, code);
            case Win32.ERROR_PIPE_BUSY -> new PipeBusyException(message, code);
            case Win32.ERROR_NOT_OWNER -> new NotOwnerException(message, code);
            case Win32.ERROR_TOO_MANY_POSTS -> new WouldExceedMaximumException(message, code);
            case Win32.ERROR_OPERATION_ABORTED, Win32.ERROR_CANCELLED -> new OperationCanceledException(message, code);
            default -> new WinipcOsException(message, code);
        };
    }

    /** @return the system's text for a code, with the code: {@code "Access denied. (error 5)"} */
    static String describe(int code) {
        String text = null;
        try {
            char[] buffer = new char[512];
            int n = Win32.Kernel32.INSTANCE.FormatMessageW(
                    Win32.FORMAT_MESSAGE_FROM_SYSTEM | Win32.FORMAT_MESSAGE_IGNORE_INSERTS, null, code, 0, buffer,
                    buffer.length, null);
            if (n > 0) {
                text = new String(buffer, 0, n).trim();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // the code alone still identifies the failure
        }
        return (text == null || text.isEmpty() ? "Windows error" : text) + " (error " + code + ")";
    }
}
