package io.winipc.internal.windows;

import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import io.winipc.NamedObjectOptions;
import io.winipc.OperationCanceledException;
import io.winipc.PipeBusyException;
import io.winipc.Scope;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
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
import java.util.concurrent.TimeUnit;

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
    public NativePipe connect(String name, PipeConnectSpec spec, Deadline deadline) {
        String path = pipePath(name);
        WString widePath = new WString(path);
        long backoffMillis = 5;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationCanceledException("connecting to pipe " + path + " was interrupted", Win32.ERROR_CANCELLED);
            }
            long h = Win32.Kernel32.INSTANCE.CreateFileW(widePath, Win32.GENERIC_READ | Win32.GENERIC_WRITE, 0, null,
                    Win32.OPEN_EXISTING,
                    Win32.FILE_FLAG_OVERLAPPED | Win32.SECURITY_SQOS_PRESENT | Win32.SECURITY_IDENTIFICATION, 0);
            if (Handles.isValid(h)) {
                return connected(h, path, spec);
            }
            int error = Win32.lastError();
            if (error == Win32.ERROR_PIPE_BUSY) {
                if (deadline.hasPassed()) {
                    throw new PipeBusyException("pipe " + path + " stayed busy (every instance connected) until the timeout", error);
                }
                int slice = (int) Math.min(100, Math.max(1, deadline.remainingMillisForPoll() & 0xFFFFFFFFL));
                try {
                    Offload.run(Offload.waitPool(), () -> Win32.Kernel32.INSTANCE.WaitNamedPipeW(widePath, slice));
                } catch (OperationCanceledException e) {
                    // Cancelled before it began: the interrupt status is set, and the check at the top of the loop reports it.
                }
            } else if (error == Win32.ERROR_FILE_NOT_FOUND) {
                if (deadline.hasPassed()) {
                    throw new WinipcTimeoutException("no server appeared on pipe " + path + " before the timeout", error);
                }
                long sleep = Math.min(backoffMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline.remainingNanos())));
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OperationCanceledException("connecting to pipe " + path + " was interrupted", Win32.ERROR_CANCELLED, e);
                }
                backoffMillis = Math.min(100, backoffMillis * 2);
            } else {
                throw WinErrors.exception("CreateFileW(" + path + ")", error);
            }
        }
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
