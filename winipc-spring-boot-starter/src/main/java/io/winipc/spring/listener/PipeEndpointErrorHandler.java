package io.winipc.spring.listener;

import org.jspecify.annotations.Nullable;

/**
 * Decides what a {@link io.winipc.spring.PipeEndpoint} answers when its handler throws or the
 * client's payload cannot be converted to the handler's parameter type, in the shape of
 * spring-kafka's {@code KafkaListenerErrorHandler}.
 *
 * <p>Which handler applies, first match wins:
 * <ol>
 * <li>a {@link org.springframework.messaging.handler.annotation.MessageExceptionHandler
 *     &#64;MessageExceptionHandler} method of the endpoint's bean whose exception type matches;</li>
 * <li>the bean named by {@link io.winipc.spring.PipeEndpoint#errorHandler()};</li>
 * <li>the global handler: the only {@code PipeEndpointErrorHandler} bean, or the
 *     {@code @Primary} one when there are several;</li>
 * <li>none: the failure is logged and the connection is closed without a reply.</li>
 * </ol>
 *
 * <p>A request-reply endpoint sends what the handler returns as the reply, converted like a
 * normal return value ({@code null} sends an empty message), and keeps serving the connection. A
 * one-way endpoint drops the return value and keeps serving. A streaming endpoint's connection is
 * closed either way. Throwing (the same or another exception) closes the connection without a
 * reply; the exception is logged then, and only then.
 */
@FunctionalInterface
public interface PipeEndpointErrorHandler {

    /**
     * @param exception what the handler threw; a
     *     {@link org.springframework.messaging.converter.MessageConversionException} when the
     *     client's payload could not be converted ({@link PipeEndpointRequest#clientCaused()})
     * @param request the request and the connection it came on
     * @return the reply to send
     * @throws Exception to close the connection without a reply
     */
    @Nullable Object handleError(Exception exception, PipeEndpointRequest request) throws Exception;
}
