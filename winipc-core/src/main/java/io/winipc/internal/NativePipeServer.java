package io.winipc.internal;

/**
 * A listening pipe server, as a backend provides it. {@link #close()} may be called from any
 * thread and wakes a blocked {@link #accept}, which then throws
 * {@link io.winipc.ObjectClosedException}; it also releases the name.
 */
public interface NativePipeServer extends AutoCloseable {

    /**
     * Waits for the next client the access policy admits; clients it refuses are dropped
     * silently and waiting goes on.
     *
     * @throws io.winipc.WinipcTimeoutException when the deadline passes first
     */
    NativePipe accept(Deadline deadline);

    /** @return the OS object clients reach: the socket file on Linux, the {@code \\.\pipe\...} path on Windows */
    String address();

    @Override
    void close();
}
