package io.winipc.pipe;

import io.winipc.ObjectClosedException;
import io.winipc.PeerCredentials;
import io.winipc.PipeModeException;
import io.winipc.internal.Cleaners;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One connected end of a pipe, on the server side (from {@link PipeServer#accept()}) or the client
 * side (from {@link PipeClient#connect}).
 *
 * <p>Thread safety: one thread may read while another writes. Concurrent readers are served one
 * after the other, and so are concurrent writers, so messages never interleave.
 *
 * <p>Blocking: reads wait for data, writes wait for buffer space. Both honour the read and write
 * timeouts (none by default), and both wake when the connection is closed from another thread
 * ({@link ObjectClosedException}). Interrupting a thread blocked here closes the connection and
 * throws {@link io.winipc.OperationCanceledException}, as interruptible NIO channels do.
 */
public final class PipeConnection implements AutoCloseable {
    private final NativePipe pipe;
    private final String name;
    private final PipeMode mode;
    private final int maxMessageSize;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile @Nullable Duration readTimeout;
    private volatile @Nullable Duration writeTimeout;
    private volatile boolean closed;

    PipeConnection(NativePipe pipe, String name, PipeMode mode, int maxMessageSize) {
        this.pipe = pipe;
        this.name = name;
        this.mode = mode;
        this.maxMessageSize = maxMessageSize;
        this.cleanable = Cleaners.register(this, pipe::close);
    }

    /** @return the pipe's name */
    public String name() {
        return name;
    }

    /** @return the mode this connection was opened in */
    public PipeMode mode() {
        return mode;
    }

    /** @return the largest message this end accepts, in bytes */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** @return the peer's process (and on Linux user and group) as the OS reports it */
    public PeerCredentials peer() {
        ensureOpen();
        return pipe.peer();
    }

    /** @param timeout how long a read may wait; null for no limit (the default) */
    public void setReadTimeout(@Nullable Duration timeout) {
        requireNotNegative(timeout);
        this.readTimeout = timeout;
    }

    /** @param timeout how long a write may wait for buffer space; null for no limit (the default) */
    public void setWriteTimeout(@Nullable Duration timeout) {
        requireNotNegative(timeout);
        this.writeTimeout = timeout;
    }

    /** @return the read timeout, or null for none */
    public @Nullable Duration readTimeout() {
        return readTimeout;
    }

    /** @return the write timeout, or null for none */
    public @Nullable Duration writeTimeout() {
        return writeTimeout;
    }

    /**
     * Reads at least one byte in byte mode, waiting until some arrive.
     *
     * @return bytes read, or -1 at a clean end of stream (the peer closed)
     * @throws PipeModeException on a message-mode connection
     * @throws io.winipc.BrokenPipeException if the peer vanished
     * @throws io.winipc.WinipcTimeoutException if the read timeout passed first
     */
    public int read(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        requireMode(PipeMode.BYTE, "read", "readMessage()");
        if (length == 0) {
            ensureOpen();
            return 0;
        }
        readLock.lock();
        try {
            ensureOpen();
            return pipe.read(buffer, offset, length, Deadline.after(readTimeout));
        } finally {
            readLock.unlock();
        }
    }

    /** @return bytes read into the whole buffer, or -1 at a clean end of stream; see {@link #read(byte[], int, int)} */
    public int read(byte[] buffer) {
        return read(buffer, 0, buffer.length);
    }

    /**
     * Reads exactly {@code length} bytes in byte mode.
     *
     * @return the bytes
     * @throws io.winipc.BrokenPipeException if the stream ends first
     */
    public byte[] readFully(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        byte[] out = new byte[length];
        int n = 0;
        while (n < length) {
            int r = read(out, n, length - n);
            if (r < 0) {
                throw new io.winipc.BrokenPipeException("pipe '" + name + "' ended after " + n + " of " + length
                        + " expected bytes", 0);
            }
            n += r;
        }
        return out;
    }

    /**
     * Writes all the bytes in byte mode, waiting for buffer space as needed.
     *
     * @throws PipeModeException on a message-mode connection
     * @throws io.winipc.BrokenPipeException if the peer is gone
     */
    public void write(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        requireMode(PipeMode.BYTE, "write", "writeMessage()");
        writeLock.lock();
        try {
            ensureOpen();
            if (length > 0) {
                pipe.write(buffer, offset, length, Deadline.after(writeTimeout));
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes the whole buffer in byte mode; see {@link #write(byte[], int, int)}. */
    public void write(byte[] buffer) {
        write(buffer, 0, buffer.length);
    }

    /**
     * Reads the next whole message in message mode.
     *
     * @return the message, or null at a clean end of stream between messages
     * @throws PipeModeException on a byte-mode connection
     * @throws io.winipc.OutOfRangeException if the message is larger than {@link #maxMessageSize()};
     *     nothing is allocated for it and the connection is closed
     * @throws io.winipc.BrokenPipeException if the peer vanished inside a message
     */
    public byte @Nullable [] readMessage() {
        requireMode(PipeMode.MESSAGE, "readMessage", "read()");
        readLock.lock();
        try {
            ensureOpen();
            return pipe.readMessage(maxMessageSize, Deadline.after(readTimeout));
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Writes one whole message in message mode. An empty message is allowed.
     *
     * @throws PipeModeException on a byte-mode connection
     * @throws io.winipc.BrokenPipeException if the peer is gone
     */
    public void writeMessage(byte[] message, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, message.length);
        requireMode(PipeMode.MESSAGE, "writeMessage", "write()");
        writeLock.lock();
        try {
            ensureOpen();
            pipe.writeMessage(message, offset, length, Deadline.after(writeTimeout));
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes the whole array as one message; see {@link #writeMessage(byte[], int, int)}. */
    public void writeMessage(byte[] message) {
        writeMessage(message, 0, message.length);
    }

    /**
     * Reads at least one byte in byte mode into the buffer's remaining space, waiting until some
     * arrive, and advances its position, as {@link java.nio.channels.ReadableByteChannel#read}
     * does. A direct buffer is filled by the OS without an intermediate copy, which is what makes
     * large transfers cheap; a heap buffer behaves like {@link #read(byte[], int, int)}.
     *
     * @return bytes read, 0 if the buffer has no space remaining, or -1 at a clean end of stream
     * @throws IllegalArgumentException if the buffer is read-only
     * @throws PipeModeException on a message-mode connection
     * @throws io.winipc.BrokenPipeException if the peer vanished
     * @throws io.winipc.WinipcTimeoutException if the read timeout passed first
     */
    public int read(ByteBuffer dst) {
        requireWritable(dst);
        if (dst.hasArray()) {
            int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        requireMode(PipeMode.BYTE, "read", "readMessage()");
        if (!dst.hasRemaining()) {
            ensureOpen();
            return 0;
        }
        readLock.lock();
        try {
            ensureOpen();
            return pipe.read(dst, Deadline.after(readTimeout));
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Writes all of the buffer's remaining bytes in byte mode and advances its position to its
     * limit. A direct buffer is handed to the OS without an intermediate copy.
     *
     * @throws PipeModeException on a message-mode connection
     * @throws io.winipc.BrokenPipeException if the peer is gone
     */
    public void write(ByteBuffer src) {
        if (src.hasArray()) {
            write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        requireMode(PipeMode.BYTE, "write", "writeMessage()");
        writeLock.lock();
        try {
            ensureOpen();
            if (src.hasRemaining()) {
                pipe.write(src, Deadline.after(writeTimeout));
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Reads the next whole message in message mode into the buffer's remaining space and advances
     * its position past it; nothing is allocated per message. A direct buffer is filled by the OS
     * without an intermediate copy.
     *
     * @return the message's length (0 for an empty message), or -1 at a clean end of stream
     *     between messages
     * @throws IllegalArgumentException if the buffer is read-only
     * @throws PipeModeException on a byte-mode connection
     * @throws io.winipc.OutOfRangeException if the message is larger than the buffer's remaining
     *     space or than {@link #maxMessageSize()}: a message is never truncated, so it is refused
     *     and the connection closed
     * @throws io.winipc.BrokenPipeException if the peer vanished inside a message
     */
    public int readMessage(ByteBuffer dst) {
        requireWritable(dst);
        requireMode(PipeMode.MESSAGE, "readMessage", "read()");
        int limit = Math.min(dst.remaining(), maxMessageSize);
        readLock.lock();
        try {
            ensureOpen();
            Deadline deadline = Deadline.after(readTimeout);
            try {
                if (dst.isDirect()) {
                    return pipe.readMessage(dst, limit, deadline);
                }
                byte[] message = pipe.readMessage(limit, deadline);
                if (message == null) {
                    return -1;
                }
                dst.put(message);
                return message.length;
            } catch (io.winipc.OutOfRangeException e) {
                if (limit < maxMessageSize) {
                    throw new io.winipc.OutOfRangeException("a message on pipe '" + name + "' is larger than the "
                            + limit + " bytes remaining in the buffer; the connection is closed", e);
                }
                throw e;
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Writes the buffer's remaining bytes as one whole message in message mode and advances its
     * position to its limit. An empty message is allowed. A direct buffer is handed to the OS
     * without an intermediate copy.
     *
     * @throws PipeModeException on a byte-mode connection
     * @throws io.winipc.BrokenPipeException if the peer is gone
     */
    public void writeMessage(ByteBuffer src) {
        if (src.hasArray()) {
            writeMessage(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        requireMode(PipeMode.MESSAGE, "writeMessage", "write()");
        writeLock.lock();
        try {
            ensureOpen();
            pipe.writeMessage(src, Deadline.after(writeTimeout));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * @return an InputStream over this byte-mode connection; closing it closes the connection.
     *     winipc's unchecked exceptions surface from it as {@link IOException}s, except that the
     *     end of stream reads as -1.
     */
    public InputStream inputStream() {
        requireMode(PipeMode.BYTE, "inputStream", "readMessage()");
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return PipeConnection.this.read(b, off, len);
                } catch (io.winipc.WinipcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                PipeConnection.this.close();
            }
        };
    }

    /**
     * @return an OutputStream over this byte-mode connection; closing it closes the connection.
     *     winipc's unchecked exceptions surface from it as {@link IOException}s.
     */
    public OutputStream outputStream() {
        requireMode(PipeMode.BYTE, "outputStream", "writeMessage()");
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    PipeConnection.this.write(b, off, len);
                } catch (io.winipc.WinipcException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                PipeConnection.this.close();
            }
        };
    }

    /** @return false once closed, by this end or after a failure that closed it */
    public boolean isOpen() {
        return !closed && pipe.isOpen();
    }

    /**
     * Closes the connection: the peer reads end-of-stream, and calls blocked on this connection in
     * other threads throw {@link ObjectClosedException}. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    private void ensureOpen() {
        if (closed || !pipe.isOpen()) {
            throw new ObjectClosedException("pipe connection '" + name + "' is closed");
        }
    }

    private void requireMode(PipeMode wanted, String operation, String alternative) {
        if (mode != wanted) {
            throw new PipeModeException(operation + "() needs a " + wanted + "-mode pipe, but pipe '" + name
                    + "' is in " + mode + " mode; use " + alternative + " instead");
        }
    }

    private static void requireWritable(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
    }

    private static void requireNotNegative(@Nullable Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
    }

    @Override
    public String toString() {
        return "PipeConnection[" + name + ", " + mode + (isOpen() ? "" : ", closed") + "]";
    }
}
