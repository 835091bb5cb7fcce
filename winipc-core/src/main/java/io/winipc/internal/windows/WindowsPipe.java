package io.winipc.internal.windows;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.winipc.BrokenPipeException;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.OutOfRangeException;
import io.winipc.PeerCredentials;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * One end of a connected named pipe: an overlapped handle associated with the {@link IoPort}.
 * A read and a write may be in flight at once. {@link #close()} cancels whatever is in flight; the
 * handle itself is closed by the last operation to finish, so that no operation ever runs on a
 * closed (and possibly reused) handle value.
 */
final class WindowsPipe implements NativePipe {
    private static final int CHUNK = 1 << 20;

    private final long handle;
    private final String path;
    private final PeerCredentials peer;
    private final Runnable onClosed;
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean closing;
    private boolean handleClosed;

    WindowsPipe(long handle, String path, boolean serverSide, Runnable onClosed) {
        this.handle = handle;
        this.path = path;
        this.onClosed = onClosed;
        IntByReference pid = new IntByReference();
        boolean ok = serverSide ? Win32.Kernel32.INSTANCE.GetNamedPipeClientProcessId(handle, pid)
                : Win32.Kernel32.INSTANCE.GetNamedPipeServerProcessId(handle, pid);
        this.peer = new PeerCredentials(ok ? Integer.toUnsignedLong(pid.getValue()) : -1, OptionalInt.empty(),
                OptionalInt.empty());
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Deadline deadline) {
        enter();
        try {
            while (true) {
                int n = Math.min(length, CHUNK);
                Memory memory = new Memory(n);
                IoPort.Result r = transfer(memory, n, false, deadline);
                if (r.succeeded() || r.error() == Win32.ERROR_MORE_DATA) {
                    if (r.bytes() == 0) {
                        continue;
                    }
                    memory.read(0, buffer, offset, r.bytes());
                    return r.bytes();
                }
                if (isEndOfStream(r.error())) {
                    return -1;
                }
                throw failure("ReadFile", r);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length, Deadline deadline) {
        enter();
        try {
            int done = 0;
            while (done < length) {
                int n = Math.min(length - done, CHUNK);
                Memory memory = new Memory(n);
                memory.write(0, buffer, offset + done, n);
                IoPort.Result r = transfer(memory, n, true, deadline);
                if (!r.succeeded()) {
                    throw writeFailure(r);
                }
                done += r.bytes();
            }
        } finally {
            exit();
        }
    }

    @Override
    public byte[] readMessage(int maxMessageSize, Deadline deadline) {
        enter();
        try {
            int first = Math.min(maxMessageSize, 64 * 1024);
            Memory memory = new Memory(first);
            IoPort.Result r = transfer(memory, first, false, deadline);
            if (r.succeeded()) {
                return memory.getByteArray(0, r.bytes());
            }
            if (isEndOfStream(r.error())) {
                return null;
            }
            if (r.error() != Win32.ERROR_MORE_DATA) {
                throw failure("ReadFile", r);
            }
            // The message is larger than the first read: ask how much is left before allocating.
            byte[] head = memory.getByteArray(0, r.bytes());
            IntByReference left = new IntByReference();
            long total = -1;
            if (Win32.Kernel32.INSTANCE.PeekNamedPipe(handle, null, 0, null, null, left) && left.getValue() > 0) {
                total = head.length + Integer.toUnsignedLong(left.getValue());
                if (total > maxMessageSize) {
                    close();
                    throw new OutOfRangeException("message of " + total + " bytes on pipe " + path
                            + " exceeds the maximum message size of " + maxMessageSize + " bytes; the connection is closed");
                }
            }
            byte[] message = Arrays.copyOf(head, total > 0 ? (int) total : head.length);
            int filled = head.length;
            while (true) {
                int room = total > 0 ? (int) total - filled : Math.min(CHUNK, maxMessageSize - filled + 1);
                if (room <= 0 || filled > maxMessageSize) {
                    close();
                    throw new OutOfRangeException("message on pipe " + path + " exceeds the maximum message size of "
                            + maxMessageSize + " bytes; the connection is closed");
                }
                Memory part = new Memory(room);
                IoPort.Result rr = transfer(part, room, false, deadline);
                if (!rr.succeeded() && rr.error() != Win32.ERROR_MORE_DATA) {
                    if (isEndOfStream(rr.error())) {
                        throw new BrokenPipeException("pipe " + path + " ended inside a message", rr.error());
                    }
                    throw failure("ReadFile", rr);
                }
                if (message.length < filled + rr.bytes()) {
                    message = Arrays.copyOf(message, filled + rr.bytes());
                }
                part.read(0, message, filled, rr.bytes());
                filled += rr.bytes();
                if (filled > maxMessageSize) {
                    close();
                    throw new OutOfRangeException("message on pipe " + path + " exceeds the maximum message size of "
                            + maxMessageSize + " bytes; the connection is closed");
                }
                if (rr.succeeded()) {
                    return filled == message.length ? message : Arrays.copyOf(message, filled);
                }
            }
        } finally {
            exit();
        }
    }

    @Override
    public void writeMessage(byte[] buffer, int offset, int length, Deadline deadline) {
        enter();
        try {
            Memory memory = new Memory(Math.max(1, length));
            if (length > 0) {
                memory.write(0, buffer, offset, length);
            }
            IoPort.Result r = transfer(memory, length, true, deadline);
            if (!r.succeeded()) {
                throw writeFailure(r);
            }
            if (r.bytes() != length) {
                throw new BrokenPipeException("WriteFile on pipe " + path + " wrote " + r.bytes() + " of " + length
                        + " bytes of a message", 0);
            }
        } finally {
            exit();
        }
    }

    @Override
    public PeerCredentials peer() {
        return peer;
    }

    @Override
    public boolean isOpen() {
        return !closing;
    }

    @Override
    public void close() {
        boolean notify;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            notify = true;
            if (inFlight == 0) {
                closeHandle();
            } else {
                Win32.Kernel32.INSTANCE.CancelIoEx(handle, null);
            }
        }
        if (notify && onClosed != null) {
            onClosed.run();
        }
    }

    /** @return the raw handle, for tests that read back its security */
    long handle() {
        return handle;
    }

    private IoPort.Result transfer(Memory memory, int length, boolean write, Deadline deadline) {
        IoPort.Result r = IoPort.get().run(handle, memory,
                ov -> write ? Win32.Kernel32.INSTANCE.WriteFile(handle, memory, length, null, ov)
                        : Win32.Kernel32.INSTANCE.ReadFile(handle, memory, length, null, ov),
                deadline, () -> closing);
        if (r.succeeded() || r.error() == Win32.ERROR_MORE_DATA && !write) {
            return r;
        }
        if (r.interrupted()) {
            close();
            throw new OperationCanceledException((write ? "write to" : "read from") + " pipe " + path
                    + " was interrupted; the connection is closed", r.error());
        }
        if (closing) {
            throw new ObjectClosedException("pipe connection " + path + " was closed");
        }
        if (r.timedOut()) {
            throw new WinipcTimeoutException((write ? "write to" : "read from") + " pipe " + path + " timed out",
                    Win32.ERROR_TIMEOUT);
        }
        return r;
    }

    private static boolean isEndOfStream(int error) {
        return error == Win32.ERROR_BROKEN_PIPE || error == Win32.ERROR_PIPE_NOT_CONNECTED
                || error == Win32.ERROR_NO_DATA;
    }

    private RuntimeException writeFailure(IoPort.Result r) {
        if (isEndOfStream(r.error())) {
            return new BrokenPipeException("write to pipe " + path + " failed: the peer is gone ("
                    + WinErrors.describe(r.error()) + ")", r.error());
        }
        return failure("WriteFile", r);
    }

    private RuntimeException failure(String call, IoPort.Result r) {
        return WinErrors.exception(call + " on pipe " + path, r.error());
    }

    private void enter() {
        synchronized (lock) {
            if (closing) {
                throw new ObjectClosedException("pipe connection " + path + " is closed");
            }
            inFlight++;
        }
    }

    private void exit() {
        synchronized (lock) {
            inFlight--;
            if (closing && inFlight == 0) {
                closeHandle();
            }
        }
    }

    private void closeHandle() {
        if (!handleClosed) {
            handleClosed = true;
            Handles.close(handle);
        }
    }
}
