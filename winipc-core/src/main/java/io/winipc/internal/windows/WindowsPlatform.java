package io.winipc.internal.windows;

import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.internal.Account;
import io.winipc.internal.ConnectAttempt;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.NativePipe;
import io.winipc.internal.NativePipeServer;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.Offload;
import io.winipc.internal.OpenMode;
import io.winipc.internal.PipeConnectSpec;
import io.winipc.internal.PipeListenSpec;
import io.winipc.internal.Platform;

/**
 * The Windows backend: JNA over kernel32, advapi32 and ntdll.
 *
 * <p>Names: a pipe {@code a/b} is {@code \\.\pipe\a/b} in either scope (the pipe namespace is
 * machine-wide on Windows; the DACL, not the name, keeps other users out). Shared memory,
 * mutexes, events and semaphores live in {@code Local\a/b} (LOCAL: the caller's session) or
 * {@code Global\a/b} (GLOBAL), exactly as a C or .NET peer names them. Kernel objects of every
 * kind share one namespace, so a mutex and an event cannot have the same name.
 */
public final class WindowsPlatform implements Platform {
    private static final String PIPE_PREFIX = "\\\\.\\pipe\\";
    /**
     * What a pipe client asks for: GENERIC_READ (which includes READ_CONTROL, to read the server's
     * owner), FILE_WRITE_DATA to write and FILE_WRITE_ATTRIBUTES to set the read mode. Not
     * GENERIC_WRITE: it includes FILE_CREATE_PIPE_INSTANCE, which a server that grants least
     * privilege refuses.
     */
    static final int PIPE_CLIENT_ACCESS = Win32.GENERIC_READ | Win32.FILE_WRITE_DATA | Win32.FILE_WRITE_ATTRIBUTES;

    /** @return the Win32 path of a pipe name */
    public static String pipePath(String name) {
        return PIPE_PREFIX + name;
    }

    /** @return the kernel object name of a shared memory region, mutex, event or semaphore */
    public static String objectName(String name, Scope scope) {
        return (scope == Scope.GLOBAL ? "Global\\" : "Local\\") + name;
    }

    /** The session this process runs in; 0 for services, where Local\ and Global\ are one namespace. */
    private final int sessionId;

    /** @return the session this process runs in (0 for a service) */
    public int sessionId() {
        return sessionId;
    }

    /**
     * In session 0 the object manager maps {@code Local\} onto the global namespace, so
     * {@code Local\x} and {@code Global\x} are one object: a mutex opened both ways must be
     * one {@code MutexCore}, or a thread's ownership through one handle would not count for the other.
     */
    @Override
    public Scope namespaceOf(Scope scope) {
        return sessionId == 0 ? Scope.GLOBAL : scope;
    }

    public WindowsPlatform() {
        // Before any native call: the bindings pass handles and sizes as 64-bit values and lay out
        // structures for a 64-bit process. Platforms reports the reason.
        String unsupported = unsupportedReason(com.sun.jna.Native.POINTER_SIZE, System.getProperty("os.arch", ""));
        if (unsupported != null) {
            throw new UnsupportedOperationException(unsupported);
        }
        IntByReference session = new IntByReference();
        if (!Win32.Kernel32.INSTANCE.ProcessIdToSessionId(Win32.Kernel32.INSTANCE.GetCurrentProcessId(), session)) {
            int error = Win32.lastError();
            throw WinErrors.exception("ProcessIdToSessionId", error);
        }
        sessionId = session.getValue();
    }

    /**
     * @param pointerSize the JVM's native pointer size in bytes
     * @param osArch its os.arch
     * @return why the Windows backend cannot run in such a JVM, or null if it can (64-bit)
     */
    static String unsupportedReason(int pointerSize, String osArch) {
        if (pointerSize == 8) {
            return null;
        }
        return "the Windows backend needs a 64-bit JVM; this one is " + pointerSize * 8 + "-bit (" + osArch + ")";
    }

    @Override
    public String id() {
        return "windows";
    }

    @Override
    public NativePipeServer listen(String name, PipeListenSpec spec) {
        return new WindowsPipeServer(pipePath(name), spec);
    }

    @Override
    public ConnectAttempt tryConnect(String name, PipeConnectSpec spec) {
        String path = pipePath(name);
        long h = Win32.Kernel32.INSTANCE.CreateFileW(new WString(path), PIPE_CLIENT_ACCESS, 0, null,
                Win32.OPEN_EXISTING, Win32.FILE_FLAG_OVERLAPPED | Win32.SECURITY_SQOS_PRESENT | Win32.SECURITY_IDENTIFICATION, 0);
        if (Handles.isValid(h)) {
            Account owner;
            try {
                // GENERIC_READ includes READ_CONTROL: the owner can be read from the handle just opened.
                owner = WindowsOwners.owner(h, "pipe " + path);
            } catch (RuntimeException e) {
                Handles.close(h);
                throw e;
            }
            return new ConnectAttempt.Connected(connected(h, path, spec), owner);
        }
        int error = Win32.lastError();
        return switch (error) {
            case Win32.ERROR_PIPE_BUSY -> new ConnectAttempt.Busy(error);
            case Win32.ERROR_FILE_NOT_FOUND -> new ConnectAttempt.Absent(error);
            default -> throw WinErrors.exception("CreateFileW(" + path + ")", error);
        };
    }

    /** WaitNamedPipeW returns as soon as an instance is free, or at once if the name has none at all. */
    @Override
    public boolean awaitFreeInstance(String name, long timeoutMillis) {
        WString widePath = new WString(pipePath(name));
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis));
        Offload.run(Offload.waitPool(), () -> Win32.Kernel32.INSTANCE.WaitNamedPipeW(widePath, millis));
        return true;
    }

    private static NativePipe connected(long h, String path, PipeConnectSpec spec) {
        try {
            if (spec.messageMode()) {
                IntByReference mode = new IntByReference(Win32.PIPE_READMODE_MESSAGE);
                if (!Win32.Kernel32.INSTANCE.SetNamedPipeHandleState(h, mode, null, null)) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("SetNamedPipeHandleState(PIPE_READMODE_MESSAGE) on " + path, lastError);
                }
            }
            IoPort.get().associate(h, path);
            return new WindowsPipe(h, path, false, null);
        } catch (RuntimeException e) {
            Handles.close(h);
            throw e;
        }
    }

    @Override
    public NativeSharedMemory sharedMemory(String name, OpenMode openMode, long size, NamedObjectOptions options) {
        return WindowsSharedMemory.obtain(objectName(name, options.scope()), openMode, size, options);
    }

    @Override
    public NativeMutex mutex(String name, OpenMode openMode, NamedObjectOptions options) {
        return WindowsSync.mutex(objectName(name, options.scope()), openMode, options);
    }

    @Override
    public NativeEvent event(String name, OpenMode openMode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options) {
        return WindowsSync.event(objectName(name, options.scope()), openMode, manualReset, initiallySignalled, options);
    }

    @Override
    public NativeSemaphore semaphore(String name, OpenMode openMode, int initialCount, int maximumCount,
            NamedObjectOptions options) {
        return WindowsSync.semaphore(objectName(name, options.scope()), openMode, initialCount, maximumCount, options);
    }
}
