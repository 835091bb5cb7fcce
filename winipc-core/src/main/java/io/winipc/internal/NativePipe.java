package io.winipc.internal;

import io.winipc.PeerCredentials;
import java.nio.ByteBuffer;

/**
 * One end of a connected pipe, as a backend provides it. Reads and writes may run concurrently
 * with each other; the public layer serialises readers among themselves and writers among
 * themselves. {@link #close()} may be called from any thread, at any time, more than once: it
 * wakes every blocked call, which then throws {@link io.winipc.ObjectClosedException}. An
 * interrupt of a thread blocked here closes the pipe and throws
 * {@link io.winipc.OperationCanceledException} with the interrupt status kept set.
 */
public interface NativePipe extends AutoCloseable {

    /** @return bytes read, at least 1, or -1 at a clean end of stream */
    int read(byte[] buffer, int offset, int length, Deadline deadline);

    /** Writes everything or throws. */
    void write(byte[] buffer, int offset, int length, Deadline deadline);

    /**
     * @param maxMessageSize a larger incoming message is refused with OutOfRangeException and the pipe closed
     * @return the next whole message, or null at a clean end of stream between messages
     */
    byte[] readMessage(int maxMessageSize, Deadline deadline);

    /** Writes one whole message or throws. */
    void writeMessage(byte[] buffer, int offset, int length, Deadline deadline);

    /**
     * Reads at least one byte into a direct buffer's remaining space and advances its position. A
     * backend overrides this to hand the buffer's memory to the OS without staging; the default
     * copies through a heap array.
     *
     * @param dst a direct buffer with at least one byte remaining
     * @return bytes read, at least 1, or -1 at a clean end of stream
     */
    default int read(ByteBuffer dst, Deadline deadline) {
        byte[] staging = new byte[Math.min(dst.remaining(), DEFAULT_STAGING)];
        int n = read(staging, 0, staging.length, deadline);
        if (n > 0) {
            dst.put(staging, 0, n);
        }
        return n;
    }

    /**
     * Writes a direct buffer's remaining bytes, all of them or throws; its position is advanced
     * past what was written. The default copies through a heap array.
     */
    default void write(ByteBuffer src, Deadline deadline) {
        byte[] staging = new byte[Math.min(src.remaining(), DEFAULT_STAGING)];
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), staging.length);
            src.get(src.position(), staging, 0, n);
            write(staging, 0, n, deadline);
            src.position(src.position() + n);
        }
    }

    /**
     * Reads the next whole message into a direct buffer and advances its position past it.
     *
     * @param limit the largest message accepted: the smaller of the buffer's remaining space and
     *     the connection's maximum message size; a larger message is refused with
     *     OutOfRangeException and the pipe closed
     * @return the message's length, or -1 at a clean end of stream between messages
     */
    default int readMessage(ByteBuffer dst, int limit, Deadline deadline) {
        byte[] message = readMessage(limit, deadline);
        if (message == null) {
            return -1;
        }
        dst.put(message);
        return message.length;
    }

    /** Writes a direct buffer's remaining bytes as one whole message, or throws; advances its position. */
    default void writeMessage(ByteBuffer src, Deadline deadline) {
        byte[] message = new byte[src.remaining()];
        src.get(src.position(), message);
        writeMessage(message, 0, message.length, deadline);
        src.position(src.limit());
    }

    /** The largest heap copy the default {@code ByteBuffer} methods make at once. */
    int DEFAULT_STAGING = 1 << 20;

    /** @return who the peer is, as the OS reports it */
    PeerCredentials peer();

    /** @return false once closed */
    boolean isOpen();

    @Override
    void close();
}
