package io.winipc.internal;

/**
 * The outcome of one attempt to connect to a pipe, as a backend reports it; {@code PipeClient}
 * owns the retry policy.
 */
public sealed interface ConnectAttempt {

    /**
     * Connected. Nothing has been written yet.
     *
     * @param pipe the connection, owned by the caller from here on
     * @param server the account the server runs as (Linux) or that owns the pipe (Windows)
     */
    record Connected(NativePipe pipe, Account server) implements ConnectAttempt {
    }

    /** @param nativeCode the OS error that said every instance is busy */
    record Busy(int nativeCode) implements ConnectAttempt {
    }

    /** @param nativeCode the OS error that said no server listens on the name */
    record Absent(int nativeCode) implements ConnectAttempt {
    }
}
