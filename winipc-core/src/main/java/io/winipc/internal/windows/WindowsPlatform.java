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
    /**
     * What a pipe client asks for: GENERIC_READ (which includes READ_CONTROL, to check the
     * server's owner), FILE_WRITE_DATA to write and FILE_WRITE_ATTRIBUTES to set the read mode.
     * Not GENERIC_WRITE: it includes FILE_CREATE_PIPE_INSTANCE, which a server that grants least
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
    private final int sessionId = querySessionId();

    private static int querySessionId() {
        IntByReference session = new IntByReference();
        if (!Win32.Kernel32.INSTANCE.ProcessIdToSessionId(Win32.Kernel32.INSTANCE.GetCurrentProcessId(), session)) {
            int error = Win32.lastError();
            throw WinErrors.exception("ProcessIdToSessionId", error);
        }
        return session.getValue();
    }

    /** @return the session this process runs in (0 for a service) */
    public int sessionId() {
        return sessionId;
    }

    /**
     * In session 0 the object manager maps {@code Local\} onto the global namespace, so
     * {@code Local\x} and {@code Global\x} are one object there: a mutex opened both ways must be
     * one {@code MutexCore}, or a thread's ownership through one handle would not count for the other.
     */
    @Override
    public Scope namespaceOf(Scope scope) {
        return sessionId == 0 ? Scope.GLOBAL : scope;
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
            long h = Win32.Kernel32.INSTANCE.CreateFileW(widePath, PIPE_CLIENT_ACCESS, 0, null,
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
