package io.winipc.spring.listener;

import io.winipc.PeerCredentials;
import io.winipc.pipe.PipeConnection;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeName;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Checks at start-up that the converter can handle a handler's payload and return types, so that
 * a POJO without a JSON converter fails start-up instead of every call.
 */
final class PayloadTypes {
    private static final byte[] PROBE = "{}".getBytes(StandardCharsets.UTF_8);

    private PayloadTypes() {
    }

    static void check(PipeEndpointDefinition definition, MessageConverter converter) {
        if (definition.kind() == PipeEndpointDefinition.Kind.STREAMING) {
            return;
        }
        String where = InvalidPipeEndpointException.describe(definition.method());
        for (int i = 0; i < definition.method().getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(definition.method(), i);
            Class<?> type = parameter.getParameterType();
            if (parameter.hasParameterAnnotation(PeerPid.class) || parameter.hasParameterAnnotation(PipeName.class)
                    || PeerCredentials.class.isAssignableFrom(type) || PipeConnection.class.isAssignableFrom(type)) {
                continue;
            }
            if (!handles(converter, type)) {
                throw new InvalidPipeEndpointException(null, where, "no message converter turns bytes into its "
                        + "payload type " + type.getName(), fix(type));
            }
        }
        Class<?> returned = definition.method().getReturnType();
        if (definition.kind() == PipeEndpointDefinition.Kind.REQUEST_REPLY && !handles(converter, returned)) {
            throw new InvalidPipeEndpointException(null, where, "no message converter turns its return type "
                    + returned.getName() + " into bytes", fix(returned));
        }
    }

    private static String fix(Class<?> type) {
        return "use String or byte[], or put Jackson (tools.jackson.core:jackson-databind, as in"
                + " spring-boot-starter-json) on the class path so that " + type.getSimpleName()
                + " is converted as JSON, or define a 'winipcMessageConverter' bean that handles it";
    }

    /**
     * Asks the converter to read a small JSON document as {@code type}: a converter that does not
     * handle the type answers null; one that handles it returns a value or fails on the content.
     */
    private static boolean handles(MessageConverter converter, Class<?> type) {
        if (type == byte[].class || type == String.class || type == Object.class || Message.class.isAssignableFrom(type)) {
            return true;
        }
        try {
            return converter.fromMessage(MessageBuilder.withPayload(PROBE).build(), type) != null;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
