package io.winipc.internal.windows;

/** Small helpers around handles. */
final class Handles {
    private Handles() {
    }

    static boolean isValid(long handle) {
        return handle != 0 && handle != Win32.INVALID_HANDLE_VALUE;
    }

    static void close(long handle) {
        if (isValid(handle)) {
            K32.CloseHandle(handle);
        }
    }
}
