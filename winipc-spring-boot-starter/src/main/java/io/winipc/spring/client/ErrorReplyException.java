package io.winipc.spring.client;

/**
 * The server answered with an error reply the application defined (for example from a
 * {@code @MessageExceptionHandler} method or a {@code PipeEndpointErrorHandler}), as recognised by
 * {@link PipeTemplate#request(String, Object, Class, Class, java.util.function.Predicate)}.
 */
public class ErrorReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object errorReply;

    /**
     * @param pipeName the pipe that answered
     * @param errorReply the converted error reply
     */
    public ErrorReplyException(String pipeName, Object errorReply) {
        super("pipe '" + pipeName + "' answered with an error reply: " + errorReply);
        this.errorReply = errorReply;
    }

    /**
     * @param type the error reply's type, as given to the request
     * @param <E> that type
     * @return the converted error reply
     */
    public <E> E getErrorReply(Class<E> type) {
        return type.cast(errorReply);
    }
}
