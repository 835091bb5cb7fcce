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

    /** @return the Win32 path of a pipe name */
    public static String pipePath(String name) {
        return PIPE_PREFIX + name;
    }

    /** @return the kernel object name of a shared memory region, mutex, event or semaphore */
    public static String objectName(String name, Scope scope) {
        return (scope == Scope.GLOBAL ? "Global\\" : "Local\\") + name;
    }

    public WindowsPlatform() {
        // Fail fast (Platforms reports why) if this is not a 64-bit Windows process.
        Win32.Kernel32.INSTANCE.GetCurrentProcessId();
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
        long h = Win32.Kernel32.INSTANCE.CreateFileW(new WString(path), Win32.GENERIC_READ | Win32.GENERIC_WRITE, 0, null,
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
                    throw WinErrors.last("SetNamedPipeHandleState(PIPE_READMODE_MESSAGE) on " + path);
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
