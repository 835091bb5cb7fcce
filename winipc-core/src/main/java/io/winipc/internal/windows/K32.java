package io.winipc.internal.windows;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The kernel32 calls on the hot paths (every pipe transfer, every wait, signal and release),
 * bound with JNA's direct mapping: a registered native method per function, no proxy, no
 * reflection and no argument conversion per call, where {@link Win32.Kernel32}'s interface
 * mapping costs microseconds a call. Pointers are raw addresses ({@code long}, 0 for NULL) so
 * that no JNA object is created per call. JNA keeps each call's GetLastError for the calling
 * thread (its default "preserve last error" mode), so {@link Win32#lastError()} reads it right
 * after a failed call exactly as after an interface-mapped one. The rest of kernel32 (setup
 * calls, names, security) stays in {@link Win32.Kernel32}.
 */
final class K32 {
    static {
        Native.register(K32.class, NativeLibrary.getInstance("kernel32"));
    }

    private K32() {
    }

    static native boolean CloseHandle(long handle);

    static native boolean ReadFile(long file, long buffer, int length, long read, long overlapped);

    static native boolean WriteFile(long file, long buffer, int length, long written, long overlapped);

    static native boolean CancelIoEx(long file, long overlapped);

    static native boolean GetOverlappedResult(long file, long overlapped, long transferred, boolean wait);

    static native boolean PeekNamedPipe(long pipe, long buffer, int size, long read, long available, long leftThisMessage);

    static native long CreateEventW(long securityAttributes, boolean manualReset, boolean initialState, long name);

    static native boolean SetEvent(long event);

    static native boolean ResetEvent(long event);

    static native boolean ReleaseMutex(long mutex);

    static native boolean ReleaseSemaphore(long semaphore, int releaseCount, long previousCount);

    static native int WaitForSingleObject(long handle, int timeoutMillis);

    static native int WaitForMultipleObjects(int count, long[] handles, boolean waitAll, int timeoutMillis);

    static native boolean GetQueuedCompletionStatus(long port, long bytes, long key, long overlapped, int timeoutMillis);
}
