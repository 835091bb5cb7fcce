package io.winipc.internal;

import io.winipc.PeerCredentials;

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

    /** @return who the peer is, as the OS reports it */
    PeerCredentials peer();

    /** @return false once closed */
    boolean isOpen();

    @Override
    void close();
}
