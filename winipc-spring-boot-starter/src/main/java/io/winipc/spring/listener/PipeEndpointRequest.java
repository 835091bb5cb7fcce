package io.winipc.spring.listener;

import io.winipc.PeerCredentials;
import java.lang.reflect.Method;
import org.springframework.messaging.Message;

/**
 * A request that failed, for a {@link PipeEndpointErrorHandler} or a
 * {@code @MessageExceptionHandler} method (which may declare it as a parameter).
 *
 * @param endpointId the endpoint's id
 * @param pipeName the pipe's name
 * @param method the endpoint's handler method
 * @param message the request as the handler saw it: the raw payload bytes and the winipc headers
 *     (empty for a streaming endpoint, which reads its own messages)
 * @param peer the client process, as the operating system reports it
 * @param clientCaused whether the client's input was at fault (its payload could not be
 *     converted) rather than the handler
 */
public record PipeEndpointRequest(String endpointId, String pipeName, Method method, Message<byte[]> message,
        PeerCredentials peer, boolean clientCaused) {

    /** @return the raw bytes the client sent */
    public byte[] payload() {
        return message.getPayload();
    }
}
