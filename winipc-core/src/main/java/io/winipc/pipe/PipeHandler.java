package io.winipc.pipe;

/**
 * Handles one accepted connection for {@link PipeServer#serve(PipeHandler)}. The server closes the
 * connection when the handler returns or throws.
 */
@FunctionalInterface
public interface PipeHandler {
    /**
     * @param connection the accepted connection, open for the duration of the call
     * @throws Exception anything; it is reported to the server's error handler and the server keeps serving
     */
    void handle(PipeConnection connection) throws Exception;
}
