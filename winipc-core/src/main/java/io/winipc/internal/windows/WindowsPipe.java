package io.winipc.internal.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.winipc.BrokenPipeException;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.OutOfRangeException;
import io.winipc.PeerCredentials;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.InterruptHook;
import io.winipc.internal.NativePipe;
import io.winipc.internal.VirtualThreads;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One end of a connected named pipe: an overlapped handle associated with the {@link IoPort}.
 * A platform thread runs its transfers itself (an event per direction, no completion packet); a
 * virtual thread goes through the port and parks. A read and a write may be in flight at once. {@link #close()} cancels whatever is in flight; the
 * handle itself is closed by the last operation to finish, so that no operation ever runs on a
 * closed (and possibly reused) handle value.
 */
final class WindowsPipe implements NativePipe {
    private static final int CHUNK = 1 << 20;
    private static final int MIN_STAGING = 4096;
    private static final int FIRST_MESSAGE_READ = 64 * 1024;

    private final long handle;
    private final String path;
    private final PeerCredentials peer;
    private final Runnable onClosed;
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean closing;
    private boolean handleClosed;
    private final Direction reading = new Direction();
    private final Direction writing = new Direction();

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
                Staged staged = stage(reading, n);
                try {
                    IoPort.Result r = transfer(staged, n, false, deadline);
                    if (r.succeeded() || r.error() == Win32.ERROR_MORE_DATA) {
                        if (r.bytes() == 0) {
                            continue;
                        }
                        staged.memory.read(0, buffer, offset, r.bytes());
                        return r.bytes();
                    }
                    if (isEndOfStream(r.error())) {
                        return -1;
                    }
                    throw failure("ReadFile", r);
                } finally {
                    staged.release();
                }
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
                Staged staged = stage(writing, n);
                try {
                    staged.memory.write(0, buffer, offset + done, n);
                    IoPort.Result r = transfer(staged, n, true, deadline);
                    if (!r.succeeded()) {
                        throw writeFailure(r);
                    }
                    done += r.bytes();
                } finally {
                    staged.release();
                }
            }
        } finally {
            exit();
        }
    }

    @Override
    public byte[] readMessage(int maxMessageSize, Deadline deadline) {
        enter();
        try {
            // A reader that saw large messages before asks for as much at once: one ReadFile per message.
            int first = Math.min(maxMessageSize, Math.max(FIRST_MESSAGE_READ, reading.capacity()));
            byte[] message;
            int filled;
            long total = -1;
            Staged staged = stage(reading, Math.max(1, first));
            try {
                IoPort.Result r = transfer(staged, first, false, deadline);
                if (r.succeeded()) {
                    return staged.memory.getByteArray(0, r.bytes());
                }
                if (isEndOfStream(r.error())) {
                    return null;
                }
                if (r.error() != Win32.ERROR_MORE_DATA) {
                    throw failure("ReadFile", r);
                }
                // The message is larger than the first read: ask how much is left before allocating.
                int left = leftInMessage();
                if (left > 0) {
                    total = r.bytes() + Integer.toUnsignedLong(left);
                    if (total > maxMessageSize) {
                        close();
                        throw new OutOfRangeException("message of " + total + " bytes on pipe " + path
                                + " exceeds the maximum message size of " + maxMessageSize + " bytes; the connection is closed");
                    }
                }
                message = new byte[total > 0 ? (int) total : r.bytes()];
                staged.memory.read(0, message, 0, r.bytes());
                filled = r.bytes();
                if (total > 0 && staged.direction != null) {
                    staged.direction.grow((int) Math.min(total, CHUNK));
                }
            } finally {
                staged.release();
            }
            while (true) {
                int room = total > 0 ? (int) total - filled : Math.min(CHUNK, maxMessageSize - filled + 1);
                if (room <= 0 || filled > maxMessageSize) {
                    close();
                    throw new OutOfRangeException("message on pipe " + path + " exceeds the maximum message size of "
                            + maxMessageSize + " bytes; the connection is closed");
                }
                int n = Math.min(room, CHUNK);
                Staged part = stage(reading, n);
                try {
                    IoPort.Result rr = transfer(part, n, false, deadline);
                    if (!rr.succeeded() && rr.error() != Win32.ERROR_MORE_DATA) {
                        if (isEndOfStream(rr.error())) {
                            throw new BrokenPipeException("pipe " + path + " ended inside a message", rr.error());
                        }
                        throw failure("ReadFile", rr);
                    }
                    if (message.length < filled + rr.bytes()) {
                        message = Arrays.copyOf(message, filled + rr.bytes());
                    }
                    part.memory.read(0, message, filled, rr.bytes());
                    filled += rr.bytes();
                    if (filled > maxMessageSize) {
                        close();
                        throw new OutOfRangeException("message on pipe " + path + " exceeds the maximum message size of "
                                + maxMessageSize + " bytes; the connection is closed");
                    }
                    if (rr.succeeded()) {
                        return filled == message.length ? message : Arrays.copyOf(message, filled);
                    }
                } finally {
                    part.release();
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
            Staged staged = stage(writing, Math.max(1, length));
            try {
                if (length > 0) {
                    staged.memory.write(0, buffer, offset, length);
                }
                IoPort.Result r = transfer(staged, length, true, deadline);
                if (!r.succeeded()) {
                    throw writeFailure(r);
                }
                if (r.bytes() != length) {
                    throw new BrokenPipeException("WriteFile on pipe " + path + " wrote " + r.bytes() + " of " + length
                            + " bytes of a message", 0);
                }
            } finally {
                staged.release();
            }
        } finally {
            exit();
        }
    }

    @Override
    public int read(ByteBuffer dst, Deadline deadline) {
        if (!dst.isDirect()) {
            return NativePipe.super.read(dst, deadline);
        }
        enter();
        try {
            while (true) {
                IoPort.Result r = transferDirect(dst, dst.remaining(), false, deadline);
                if (r.succeeded() || r.error() == Win32.ERROR_MORE_DATA) {
                    if (r.bytes() == 0) {
                        continue;
                    }
                    dst.position(dst.position() + r.bytes());
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
    public void write(ByteBuffer src, Deadline deadline) {
        if (!src.isDirect()) {
            NativePipe.super.write(src, deadline);
            return;
        }
        enter();
        try {
            while (src.hasRemaining()) {
                IoPort.Result r = transferDirect(src, src.remaining(), true, deadline);
                if (!r.succeeded()) {
                    throw writeFailure(r);
                }
                src.position(src.position() + r.bytes());
            }
        } finally {
            exit();
        }
    }

    @Override
    public int readMessage(ByteBuffer dst, int limit, Deadline deadline) {
        if (!dst.isDirect()) {
            return NativePipe.super.readMessage(dst, limit, deadline);
        }
        enter();
        try {
            IoPort.Result r = transferDirect(dst, limit, false, deadline);
            if (r.succeeded()) {
                dst.position(dst.position() + r.bytes());
                return r.bytes();
            }
            if (isEndOfStream(r.error())) {
                return -1;
            }
            if (r.error() == Win32.ERROR_MORE_DATA) {
                // Never truncated: what was read of it is not handed out, and the rest is never read.
                close();
                throw new OutOfRangeException("a message on pipe " + path + " exceeds the limit of " + limit
                        + " bytes; the connection is closed");
            }
            throw failure("ReadFile", r);
        } finally {
            exit();
        }
    }

    @Override
    public void writeMessage(ByteBuffer src, Deadline deadline) {
        if (!src.isDirect()) {
            NativePipe.super.writeMessage(src, deadline);
            return;
        }
        enter();
        try {
            int length = src.remaining();
            IoPort.Result r = transferDirect(src, length, true, deadline);
            if (!r.succeeded()) {
                throw writeFailure(r);
            }
            if (r.bytes() != length) {
                throw new BrokenPipeException("WriteFile on pipe " + path + " wrote " + r.bytes() + " of " + length
                        + " bytes of a message", 0);
            }
            src.position(src.limit());
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
        boolean handleNowClosed = false;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            if (inFlight == 0) {
                handleNowClosed = closeHandle();
            } else {
                K32.CancelIoEx(handle, 0);
            }
        }
        if (handleNowClosed) {
            notifyClosed();
        }
    }

    /**
     * Tells the server an instance is free. Only once the handle is closed: before that a waiting
     * accept would find the instance still counted, get ERROR_PIPE_BUSY and wait again with nothing
     * left to wake it.
     */
    private void notifyClosed() {
        if (onClosed != null) {
            onClosed.run();
        }
    }

    /** @return the raw handle, for tests that read back its security */
    long handle() {
        return handle;
    }

    /** @return the transfer events made so far (reads, writes; 0 if none yet), for tests */
    long[] transferEvents() {
        return new long[] {reading.event, writing.event};
    }

    /** @return bytes left in the message being read (PeekNamedPipe), 0 if unknown */
    private int leftInMessage() {
        Memory out = new Memory(4);
        out.setInt(0, 0);
        return K32.PeekNamedPipe(handle, 0, 0, 0, 0, Pointer.nativeValue(out)) ? out.getInt(0) : 0;
    }

    /**
     * @return the direction's staging buffer and OVERLAPPED, or, if another call of the same
     *     direction is using them (the public layer serialises each direction, so only a direct
     *     backend caller can get here) or the transfer is larger than a staging buffer may grow,
     *     a buffer of its own that goes through the completion port
     */
    private Staged stage(Direction direction, int length) {
        if (length <= CHUNK && direction.tryAcquire()) {
            direction.grow(length);
            return direction.staged;
        }
        return new Staged(new Memory(Math.max(1, length)), null);
    }

    /**
     * Runs one ReadFile or WriteFile to its end. A platform thread issues it itself and waits on
     * its direction's event; a virtual thread goes through the {@link IoPort} and parks.
     */
    private IoPort.Result transfer(Staged staged, int length, boolean write, Deadline deadline) {
        long buffer = Pointer.nativeValue(staged.memory);
        IoPort.Result r = staged.direction != null && !VirtualThreads.isCurrentThreadVirtual()
                ? transferHere(staged.direction, buffer, length, write, deadline)
                : transferThroughPort(buffer, staged.memory, length, write, deadline);
        return checked(r, write);
    }

    /**
     * A transfer straight from or into a direct buffer's memory at its position: no staging copy.
     * The buffer stays reachable until the operation has ended (held here, or by the port's
     * operation), so its memory is never freed under the system's I/O.
     */
    private IoPort.Result transferDirect(ByteBuffer buffer, int length, boolean write, Deadline deadline) {
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer)) + buffer.position();
        Direction d = write ? writing : reading;
        boolean here = !VirtualThreads.isCurrentThreadVirtual() && d.tryAcquire();
        try {
            IoPort.Result r = here ? transferHere(d, address, length, write, deadline)
                    : transferThroughPort(address, buffer, length, write, deadline);
            return checked(r, write);
        } finally {
            if (here) {
                d.release();
            }
            Reference.reachabilityFence(buffer);
        }
    }

    private IoPort.Result checked(IoPort.Result r, boolean write) {
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

    private IoPort.Result transferThroughPort(long buffer, Object keepAlive, int length, boolean write, Deadline deadline) {
        return IoPort.get().run(handle, keepAlive,
                ov -> write ? K32.WriteFile(handle, buffer, length, 0, Pointer.nativeValue(ov))
                        : K32.ReadFile(handle, buffer, length, 0, Pointer.nativeValue(ov)),
                deadline, () -> closing);
    }

    /**
     * The calling thread's own overlapped transfer. The OVERLAPPED's event handle has its low-order
     * bit set, which tells the system not to queue a completion packet to the port the handle is
     * associated with (documented for GetQueuedCompletionStatus), so the completion is seen only
     * here: no hand-off to the port thread. The wait ends with the deadline, an interrupt
     * (InterruptHook cancels this operation with CancelIoEx) or close() (which cancels every
     * operation on the handle); after a cancel the operation is still waited for, so that its
     * buffer and OVERLAPPED are never reused while the system may still write them. An operation
     * that completed before its cancel took effect keeps its result.
     */
    private IoPort.Result transferHere(Direction d, long buffer, int length, boolean write, Deadline deadline) {
        long ov = d.prepareOverlapped();
        boolean ok = write ? K32.WriteFile(handle, buffer, length, 0, ov) : K32.ReadFile(handle, buffer, length, 0, ov);
        if (!ok) {
            int error = Win32.lastError();
            // ERROR_MORE_DATA is a warning status: the read completed with part of a message.
            if (error != Win32.ERROR_IO_PENDING && error != Win32.ERROR_MORE_DATA) {
                return new IoPort.Result(error, 0, false, false);
            }
            if (error == Win32.ERROR_IO_PENDING) {
                return awaitHere(d, ov, deadline);
            }
        }
        return d.result(handle, false, false);
    }

    private IoPort.Result awaitHere(Direction d, long ov, Deadline deadline) {
        if (closing) {
            K32.CancelIoEx(handle, ov);
        }
        boolean timedOut = false;
        boolean interrupted;
        // Armed after the start, so that an interrupt before it (status already set) cancels a started operation.
        InterruptHook hook = InterruptHook.begin(() -> K32.CancelIoEx(handle, ov));
        try {
            while (true) {
                // Once cancelled, the end of the operation is near and certain: wait for it without a timeout.
                int millis = deadline.isInfinite() || timedOut ? Win32.INFINITE
                        : Math.min(deadline.remainingMillisForPoll(), 0x7FFFFFFE);
                int w = K32.WaitForSingleObject(d.event, millis);
                if (w == Win32.WAIT_OBJECT_0) {
                    break;
                }
                if (w == Win32.WAIT_TIMEOUT) {
                    if (!timedOut && deadline.hasPassed()) {
                        timedOut = true;
                        K32.CancelIoEx(handle, ov);
                    }
                    continue;
                }
                // The event cannot be waited on (never expected): cancel, and let the system wait for the end.
                K32.CancelIoEx(handle, ov);
                K32.GetOverlappedResult(handle, ov, d.transferredAddress(), true);
                break;
            }
        } finally {
            interrupted = hook.end();
        }
        return d.result(handle, timedOut, interrupted);
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
        boolean handleNowClosed = false;
        synchronized (lock) {
            inFlight--;
            if (closing && inFlight == 0) {
                handleNowClosed = closeHandle();
            }
        }
        if (handleNowClosed) {
            notifyClosed();
        }
    }

    /** @return whether this call closed the handle (the first one does) */
    private boolean closeHandle() {
        if (handleClosed) {
            return false;
        }
        handleClosed = true;
        Handles.close(handle);
        reading.dispose();
        writing.dispose();
        return true;
    }

    /** A buffer for one transfer: a direction's staging buffer (direction set) or one of its own. */
    private static final class Staged {
        final Memory memory;
        final Direction direction;

        Staged(Memory memory, Direction direction) {
            this.memory = memory;
            this.direction = direction;
        }

        void release() {
            if (direction != null) {
                direction.release();
            }
        }
    }

    /**
     * What one direction (reads, or writes) of a pipe reuses from one transfer to the next: the
     * staging buffer (grown on demand, up to {@link #CHUNK}), an OVERLAPPED and a manual-reset
     * event, both made on first use. Only the holder of {@link #tryAcquire()} touches them, and a
     * transfer always waits for its operation to end, so the system never writes into a buffer or
     * OVERLAPPED that another transfer uses.
     */
    private static final class Direction {
        private static final int OVERLAPPED_SIZE = 32;
        private static final int HEVENT_OFFSET = 24;

        private final AtomicBoolean busy = new AtomicBoolean();
        /** OVERLAPPED (32 bytes), then the DWORD GetOverlappedResult fills in. */
        private Memory overlapped;
        private long event;
        Staged staged;

        boolean tryAcquire() {
            return busy.compareAndSet(false, true);
        }

        void release() {
            busy.set(false);
        }

        int capacity() {
            return staged == null ? 0 : (int) staged.memory.size();
        }

        /** Called by the holder only. */
        void grow(int length) {
            if (staged == null || staged.memory.size() < length) {
                int size = Math.max(MIN_STAGING, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
                staged = new Staged(new Memory(Math.min(CHUNK, size)), this);
            }
        }

        long transferredAddress() {
            return Pointer.nativeValue(overlapped) + OVERLAPPED_SIZE;
        }

        /** @return the OVERLAPPED's address, zeroed, its event the direction's own with the low-order bit set */
        long prepareOverlapped() {
            if (overlapped == null) {
                long e = K32.CreateEventW(0, true, false, 0);
                if (!Handles.isValid(e)) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("CreateEventW (pipe transfer event)", lastError);
                }
                event = e;
                overlapped = new Memory(OVERLAPPED_SIZE + 8);
            }
            overlapped.clear();
            overlapped.setLong(HEVENT_OFFSET, event | 1L);
            return Pointer.nativeValue(overlapped);
        }

        /** @return the finished operation's status and byte count */
        IoPort.Result result(long handle, boolean timedOut, boolean interrupted) {
            long ov = Pointer.nativeValue(overlapped);
            boolean ok = K32.GetOverlappedResult(handle, ov, transferredAddress(), false);
            int error = ok ? Win32.ERROR_SUCCESS : Win32.lastError();
            return new IoPort.Result(error, overlapped.getInt(OVERLAPPED_SIZE), timedOut, interrupted);
        }

        /**
         * Lets go of the event and frees the native buffers at once (a staging buffer may be 1 MiB,
         * and a closed connection the application still references would otherwise keep it until
         * it is collected). Only with the handle closed: no operation is in flight any more.
         */
        void dispose() {
            if (event != 0) {
                Handles.close(event);
                event = 0;
            }
            if (overlapped != null) {
                overlapped.close();
                overlapped = null;
            }
            if (staged != null) {
                staged.memory.close();
                staged = null;
            }
        }
    }
}
