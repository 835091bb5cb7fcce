package io.winipc.pipe;

/** How a pipe carries data. Both ends must agree. */
public enum PipeMode {
    /**
     * A stream of bytes with no boundaries, like a TCP socket: use {@link PipeConnection#read},
     * {@link PipeConnection#write} and the stream adapters.
     */
    BYTE,
    /**
     * Whole messages whose boundaries are preserved: use {@link PipeConnection#readMessage()} and
     * {@link PipeConnection#writeMessage(byte[])}. On Windows this is a native message-type pipe;
     * on Linux each message is framed as a 4-byte big-endian signed length followed by the
     * payload (for payloads of 2^31-1 bytes or more: -1 followed by an 8-byte big-endian length),
     * which is the framing of Python's {@code multiprocessing.connection}.
     */
    MESSAGE
}
