package io.winipc.spring.listener;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.winipc.ObjectNames;
import io.winipc.OutOfRangeException;
import io.winipc.PeerCredentials;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeHandler;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeName;
import io.winipc.spring.observation.DefaultPipeServerObservationConvention;
import io.winipc.spring.observation.PipeServerObservationContext;
import io.winipc.spring.observation.PipeServerObservationConvention;
import io.winipc.spring.observation.WinipcObservationDocumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.AnnotationExceptionHandlerMethodResolver;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Adapts a {@link io.winipc.spring.PipeEndpoint} method to a {@link PipeHandler}, using
 * spring-messaging's {@link InvocableHandlerMethod}: each pipe message becomes a {@link Message}
 * whose payload is the raw bytes and whose headers carry the connection's metadata, so that
 * argument resolution and payload conversion are Spring's own (the same {@link MessageConverter}s
 * a {@code @MessageMapping} method uses). The {@link PipeConnection} and {@link PeerCredentials}
 * are supplied as provided arguments.
 */
final class PipeEndpointHandler implements PipeHandler {
    /** Header holding the client's process id ({@code Long}). */
    static final String PEER_PID_HEADER = "winipc_peerPid";
    /** Header holding the pipe's name. */
    static final String PIPE_NAME_HEADER = "winipc_pipeName";

    private final PipeEndpointDefinition definition;
    private final InvocableHandlerMethod invocable;
    private final HandlerMethodArgumentResolverComposite resolvers;
    private final AnnotationExceptionHandlerMethodResolver exceptionHandlers;
    private final Map<Method, InvocableHandlerMethod> exceptionHandlerMethods = new ConcurrentHashMap<>();
    private final MessageConverter converter;
    private final PipeEndpointObserver observer;
    private final PipeListenerContainer container;
    /** Null while observation is off. */
    private volatile @Nullable ObservationRegistry observationRegistry;
    private volatile @Nullable PipeServerObservationConvention observationConvention;

    PipeEndpointHandler(PipeEndpointDefinition definition, MessageConverter converter, PipeEndpointObserver observer,
            PipeListenerContainer container) {
        this.definition = definition;
        this.converter = converter;
        this.observer = observer;
        this.container = container;
        this.invocable = new InvocableHandlerMethod(definition.bean(), definition.method());
        this.resolvers = new HandlerMethodArgumentResolverComposite();
        resolvers.addResolver(new HeaderResolver(PeerPid.class, PEER_PID_HEADER));
        resolvers.addResolver(new HeaderResolver(PipeName.class, PIPE_NAME_HEADER));
        resolvers.addResolver(new BytesPayloadResolver(converter));
        this.invocable.setMessageMethodArgumentResolvers(resolvers);
        this.exceptionHandlers = new AnnotationExceptionHandlerMethodResolver(AopUtils.getTargetClass(definition.bean()));
    }

    /**
     * @param registry where to record an observation per handled message (per connection for a
     *     streaming endpoint); null to record none
     * @param convention names and tags them; null for the default
     */
    void setObservation(@Nullable ObservationRegistry registry, @Nullable PipeServerObservationConvention convention) {
        this.observationConvention = convention;
        this.observationRegistry = registry;
    }

    @Override
    public void handle(PipeConnection connection) {
        boolean failed = false;
        try {
            PeerCredentials peer = connection.peer();
            switch (definition.kind()) {
                case STREAMING -> observed(message(new byte[0], peer), connection, peer);
                case REQUEST_REPLY, ONE_WAY -> exchangeMessages(connection, peer);
            }
        } catch (ConnectionAbandoned e) {
            failed = true;
        } catch (OutOfRangeException e) {
            // The core refuses a message above max-message-size before reading it, and closes the connection.
            failed = true;
            container.clientRejectionCounted();
            observer.messageRejected(definition.id(), "too-large");
            container.clientRejected("a client sent a message above the endpoint's maximum size ("
                    + connection.maxMessageSize() + " bytes): " + e.getMessage());
        } catch (RuntimeException e) {
            // The peer misbehaved or vanished (broken pipe, timeout): not the handler's fault.
            failed = true;
            container.peerFailed(e);
        } finally {
            observer.connectionEnded(definition.id(), failed && !container.wasCutOff(connection));
        }
    }

    private void exchangeMessages(PipeConnection connection, PeerCredentials peer) {
        boolean reply = definition.kind() == PipeEndpointDefinition.Kind.REQUEST_REPLY;
        while (true) {
            byte[] request = connection.readMessage();
            if (request == null) {
                return;
            }
            observer.messageReceived(definition.id(), request.length);
            Object result = observed(message(request, peer), connection, peer);
            if (reply) {
                byte[] out = toBytes(result);
                connection.writeMessage(out);
                observer.messageSent(definition.id(), out.length);
            }
        }
    }

    /** Calls {@link #invoke} inside an observation, when observation is on. */
    private Object observed(Message<byte[]> message, PipeConnection connection, PeerCredentials peer) {
        ObservationRegistry registry = observationRegistry;
        if (registry == null) {
            return invoke(message, connection, peer);
        }
        PipeEndpointDefinition.Kind kind = definition.kind();
        PipeServerObservationContext context = new PipeServerObservationContext(definition.id(), definition.name(),
                kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), peer.pid(),
                kind == PipeEndpointDefinition.Kind.STREAMING ? -1 : message.getPayload().length);
        Observation observation = WinipcObservationDocumentation.PIPE_SERVER.observation(observationConvention,
                DefaultPipeServerObservationConvention.INSTANCE, () -> context, registry).start();
        try (Observation.Scope scope = observation.openScope()) {
            return invoke(message, connection, peer);
        } finally {
            observation.stop();
        }
    }

    /** Marks the observation in scope, if it is this endpoint's, as failed with the handler's exception. */
    private void observationFailed(Throwable cause) {
        ObservationRegistry registry = observationRegistry;
        Observation current = registry == null ? null : registry.getCurrentObservation();
        if (current != null && current.getContext() instanceof PipeServerObservationContext) {
            current.error(cause);
        }
    }

    /**
     * Calls the handler; when it fails, the error handlers in their order of precedence.
     *
     * @return what the handler, or an error handler in its place, returned
     * @throws ConnectionAbandoned if nothing answered the failure; it is logged and counted
     */
    private Object invoke(Message<byte[]> message, PipeConnection connection, PeerCredentials peer) {
        long start = System.nanoTime();
        try {
            Object result = invocable.invoke(message, connection, peer);
            observer.handlerInvoked(definition.id(), Duration.ofNanos(System.nanoTime() - start), null);
            return result;
        } catch (PayloadConversionException e) {
            // The handler never ran: the client's bytes do not fit its parameter.
            observationFailed(e);
            container.clientRejectionCounted();
            observer.messageRejected(definition.id(), "conversion");
            return handleError(e, true, message, connection, peer);
        } catch (Exception | Error e) {
            if (container.wasCutOff(connection)) {
                // The drain closed the connection or interrupted the handler at shutdown: not a handler failure.
                throw new ConnectionAbandoned();
            }
            Throwable cause = unwrap(e);
            observationFailed(cause);
            observer.handlerInvoked(definition.id(), Duration.ofNanos(System.nanoTime() - start), cause);
            container.handlerErrorCounted(cause);
            if (!(cause instanceof Exception exception)) {
                container.handlerFailed(cause);
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new ConnectionAbandoned();
            }
            return handleError(exception, false, message, connection, peer);
        }
    }

    private Object handleError(Exception exception, boolean clientCaused, Message<byte[]> message,
            PipeConnection connection, PeerCredentials peer) {
        PipeEndpointRequest request = new PipeEndpointRequest(definition.id(), definition.name(), definition.method(),
                message, peer, clientCaused);
        Exception failure = exception;
        try {
            Method method = exceptionHandlers.resolveMethod(exception);
            if (method != null) {
                return exceptionHandler(method).invoke(message, exception, request, connection, peer);
            }
            PipeEndpointErrorHandler handler = definition.errorHandler() != null ? definition.errorHandler()
                    : container.getDefaultErrorHandler();
            if (handler != null) {
                return handler.handleError(exception, request);
            }
        } catch (Exception e) {
            failure = (Exception) unwrap(e);
        }
        if (clientCaused && failure == exception) {
            container.clientRejected("the payload of a client (pid " + peer.pid() + ") does not convert to "
                    + definition.method().getName() + "'s parameter: " + firstLine(exception.getMessage()));
        } else {
            container.handlerFailed(failure);
        }
        throw new ConnectionAbandoned();
    }

    private InvocableHandlerMethod exceptionHandler(Method method) {
        return exceptionHandlerMethods.computeIfAbsent(method, m -> {
            InvocableHandlerMethod handler = new InvocableHandlerMethod(definition.bean(),
                    AopUtils.selectInvocableMethod(m, definition.bean().getClass()));
            handler.setMessageMethodArgumentResolvers(resolvers);
            return handler;
        });
    }

    /** The start of a message that may quote the client's bytes, with nothing unprintable written raw. */
    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return ObjectNames.printable(line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }

    private byte[] toBytes(Object result) {
        if (result == null) {
            return new byte[0];
        }
        if (result instanceof byte[] bytes) {
            return bytes;
        }
        Message<?> converted = converter.toMessage(result, null);
        if (converted == null || !(converted.getPayload() instanceof byte[] bytes)) {
            MessageConversionException e = new MessageConversionException("no converter turns the "
                    + result.getClass().getName() + " returned by " + definition.method().getName() + " into bytes");
            container.handlerErrorCounted(e);
            container.handlerFailed(e);
            throw new ConnectionAbandoned();
        }
        return bytes;
    }

    private Message<byte[]> message(byte[] payload, PeerCredentials peer) {
        return MessageBuilder.withPayload(payload)
                .setHeader(PEER_PID_HEADER, peer.pid())
                .setHeader(PIPE_NAME_HEADER, definition.name())
                .build();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Marks a failure already logged and counted, so the connection is closed without recording it twice. */
    private static final class ConnectionAbandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionAbandoned() {
            super(null, null, false, false);
        }
    }

    /** The client's payload does not convert to the handler's parameter: the client's fault, not the handler's. */
    static final class PayloadConversionException extends MessageConversionException {
        private static final long serialVersionUID = 1L;

        PayloadConversionException(MessageConversionException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Binds an annotated parameter to one message header. */
    private static final class HeaderResolver implements HandlerMethodArgumentResolver {
        private final Class<? extends java.lang.annotation.Annotation> annotation;
        private final String header;

        HeaderResolver(Class<? extends java.lang.annotation.Annotation> annotation, String header) {
            this.annotation = annotation;
            this.header = header;
        }

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.hasParameterAnnotation(annotation);
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            MessageHeaders headers = message.getHeaders();
            Object value = headers.get(header);
            Class<?> type = parameter.getParameterType();
            if (value instanceof Long pid && (type == int.class || type == Integer.class)) {
                return Math.toIntExact(pid);
            }
            if (value != null && !org.springframework.util.ClassUtils.isAssignableValue(type, value)) {
                throw new MessageConversionException("@" + annotation.getSimpleName() + " parameter "
                        + parameter.getParameterName() + " must be of type " + value.getClass().getSimpleName());
            }
            return value;
        }
    }

    /**
     * Spring's payload resolver, except that an empty message is a valid payload (an empty string
     * or byte array) rather than a missing one.
     */
    private static final class BytesPayloadResolver extends PayloadMethodArgumentResolver {
        BytesPayloadResolver(MessageConverter converter) {
            super(converter, null, true);
        }

        @Override
        protected boolean isEmptyPayload(Object payload) {
            return payload == null;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
            try {
                return super.resolveArgument(parameter, message);
            } catch (MessageConversionException e) {
                throw new PayloadConversionException(e);
            }
        }
    }
}
