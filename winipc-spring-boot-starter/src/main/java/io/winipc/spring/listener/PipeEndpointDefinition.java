package io.winipc.spring.listener;

import io.winipc.Scope;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One pipe endpoint as declared, with placeholders already resolved: the handler method and the
 * settings given on it. Settings left out ({@code null}) take the {@code winipc.pipe.*} defaults
 * when the {@link PipeListenerContainerFactory} builds the container.
 *
 * @param id the endpoint's id in the registry, health and metrics
 * @param name the pipe's bare name
 * @param mode byte or message mode
 * @param scope where the name lives
 * @param concurrency connections served at once (the pipe's maximum instances), or null for the default
 * @param maxMessageSize the largest message accepted from a client in bytes, or null for the default
 * @param autoStartup whether the container starts with the context, or null for the default
 * @param bean the bean whose method handles connections
 * @param method the handler method, invocable on {@code bean}
 * @param errorHandler answers this endpoint's failures, or null for the global handler
 */
public record PipeEndpointDefinition(String id, String name, PipeMode mode, Scope scope, @Nullable Integer concurrency,
        @Nullable Long maxMessageSize, @Nullable Boolean autoStartup, Object bean, Method method,
        @Nullable PipeEndpointErrorHandler errorHandler) {

    /** An endpoint that uses the global error handler. */
    public PipeEndpointDefinition(String id, String name, PipeMode mode, Scope scope, @Nullable Integer concurrency,
            @Nullable Long maxMessageSize, @Nullable Boolean autoStartup, Object bean, Method method) {
        this(id, name, mode, scope, concurrency, maxMessageSize, autoStartup, bean, method, null);
    }

    /** Validates what can be checked without the defaults. */
    public PipeEndpointDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(bean, "bean");
        Objects.requireNonNull(method, "method");
        if (id.isBlank() || id.contains("/")) {
            throw new IllegalArgumentException("endpoint id must be non-blank and free of '/': '" + id + "'");
        }
        if (kindOf(method) != Kind.STREAMING && mode != PipeMode.MESSAGE) {
            throw new IllegalArgumentException("@PipeEndpoint " + method.toGenericString() + " on pipe '" + name
                    + "': request-reply and one-way handlers need MESSAGE mode; only a handler taking a"
                    + " PipeConnection (streaming) may use BYTE mode");
        }
    }

    /** How a handler method exchanges data. */
    public enum Kind {
        /** Each message in gets one message back: the converted return value. */
        REQUEST_REPLY,
        /** Messages in, nothing back: a {@code void} method with a payload. */
        ONE_WAY,
        /** The method takes the {@link PipeConnection} and is called once per connection. */
        STREAMING
    }

    /** @return how this endpoint's handler exchanges data */
    public Kind kind() {
        return kindOf(method);
    }

    static Kind kindOf(Method method) {
        if (Arrays.stream(method.getParameterTypes()).anyMatch(PipeConnection.class::isAssignableFrom)) {
            return Kind.STREAMING;
        }
        Class<?> returned = method.getReturnType();
        return returned == void.class || returned == Void.class ? Kind.ONE_WAY : Kind.REQUEST_REPLY;
    }
}
