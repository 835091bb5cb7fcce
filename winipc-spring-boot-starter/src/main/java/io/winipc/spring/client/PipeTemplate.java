package io.winipc.spring.client;

import io.micrometer.observation.ObservationRegistry;
import io.winipc.BrokenPipeException;
import io.winipc.OperationCanceledException;
import io.winipc.PipeBusyException;
import io.winipc.WinipcTimeoutException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.observation.DefaultPipeClientObservationConvention;
import io.winipc.spring.observation.PipeClientObservationContext;
import io.winipc.spring.observation.PipeClientObservationConvention;
import io.winipc.spring.observation.WinipcObservationDocumentation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.ReflectionUtils;

/**
 * Talks to pipe servers, such as {@code @PipeEndpoint}s, with the same payload conversions:
 * {@code String} as UTF-8, {@code byte[]} as is, other objects as JSON when Jackson is present.
 *
 * <pre>{@code
 * String reply = pipeTemplate.request("myapp/echo", "hello", String.class);
 * Quote quote = pipeTemplate.request("myapp/quotes", new QuoteRequest("ACME"), Quote.class);
 * pipeTemplate.send("myapp/events", new Event(...));
 * }</pre>
 *
 * <p>Each call opens a connection in message mode, exchanges its messages and closes it. Opening
 * retries while the server is absent or busy, every {@code winipc.client.retry-interval}, until the
 * connect timeout; then it throws {@link WinipcTimeoutException} or {@link PipeBusyException}.
 * A reply is awaited for at most the read timeout. A request ends in one of three ways: a reply;
 * an error reply the application defined, thrown as {@link ErrorReplyException} when the caller
 * says how to recognise it; or {@link NoReplyException} with the reason the exchange ended.
 * Thread-safe.
 */
public class PipeTemplate {
    private final PipeClientOptions options;
    private final Duration retryInterval;
    private final @Nullable Duration readTimeout;
    private final MessageConverter converter;
    private final PipeClientObserver observer;
    private final String namePrefix;
    /** Null while observation is off. */
    private volatile @Nullable ObservationRegistry observationRegistry;
    private volatile @Nullable PipeClientObservationConvention observationConvention;

    /**
     * @param options mode, scope, connect timeout and maximum message size for every connection
     * @param retryInterval how long one connect attempt may take before the template tries again
     * @param readTimeout how long a request waits for its reply; null for no limit
     * @param converter converts payloads to and from bytes
     * @param observer hears about connects, retries and messages
     */
    public PipeTemplate(PipeClientOptions options, Duration retryInterval, @Nullable Duration readTimeout,
            MessageConverter converter, PipeClientObserver observer) {
        this(options, retryInterval, readTimeout, converter, observer, "");
    }

    /**
     * @param options mode, scope, connect timeout and maximum message size for every connection
     * @param retryInterval how long one connect attempt may take before the template tries again
     * @param readTimeout how long a request waits for its reply; null for no limit
     * @param converter converts payloads to and from bytes
     * @param observer hears about connects, retries and messages
     * @param namePrefix put in front of every name the template connects to ({@code winipc.name-prefix}),
     *     so that it reaches the endpoints of an application run with the same prefix; empty for none
     */
    public PipeTemplate(PipeClientOptions options, Duration retryInterval, Duration readTimeout,
            MessageConverter converter, PipeClientObserver observer, String namePrefix) {
        this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
        this.options = Objects.requireNonNull(options, "options");
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("retryInterval must be positive: " + retryInterval);
        }
        this.readTimeout = readTimeout;
        this.converter = Objects.requireNonNull(converter, "converter");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** @return how long one connect attempt may take before the template tries again */
    public Duration getRetryInterval() {
        return retryInterval;
    }

    /** @return how long a request waits for its reply, or null for no limit */
    public @Nullable Duration getReadTimeout() {
        return readTimeout;
    }

    /** @return what the template puts in front of every name it connects to; empty for nothing */
    public String getNamePrefix() {
        return namePrefix;
    }

    /**
     * Records a Micrometer observation per {@link #request} and {@link #send}.
     *
     * @param registry where to record; null to record none
     */
    public void setObservationRegistry(@Nullable ObservationRegistry registry) {
        this.observationRegistry = registry;
    }

    /** @param convention names and tags the observations; null for the default */
    public void setObservationConvention(@Nullable PipeClientObservationConvention convention) {
        this.observationConvention = convention;
    }

    /** @return the options every connection uses */
    public PipeClientOptions getOptions() {
        return options;
    }

    /**
     * Connects in message mode within the configured connect timeout.
     *
     * @param name the pipe's bare name
     * @return the connection; the caller closes it
     */
    public PipeConnection connect(String name) {
        return connect(name, options.connectTimeout());
    }

    /**
     * Connects within {@code timeout}, retrying while the server is absent or busy.
     *
     * @param name the pipe's bare name
     * @param timeout how long to keep trying
     * @return the connection; the caller closes it
     * @throws WinipcTimeoutException if no server appeared in time
     * @throws PipeBusyException if the server stayed busy
     */
    public PipeConnection connect(String name, Duration timeout) {
        return connect(name, timeout, options.mode());
    }

    /**
     * Connects in the given mode, for example byte mode for a streaming endpoint.
     *
     * @param name the pipe's bare name
     * @param timeout how long to keep trying
     * @param mode the pipe's mode
     * @return the connection; the caller closes it
     */
    public PipeConnection connect(String name, Duration timeout, PipeMode mode) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Duration attempt = Duration.ofNanos(Math.max(0, Math.min(left, retryInterval.toNanos())));
            try {
                PipeConnection connection = PipeClient.connect(namePrefix + name, options.withMode(mode).withConnectTimeout(attempt));
                observer.connectAttempted(name, "connected");
                if (readTimeout != null) {
                    connection.setReadTimeout(readTimeout);
                }
                return connection;
            } catch (WinipcTimeoutException | PipeBusyException e) {
                if (deadline - System.nanoTime() <= 0) {
                    observer.connectAttempted(name, e instanceof PipeBusyException ? "busy" : "timeout");
                    throw e;
                }
                observer.connectRetried(name);
                if (Thread.currentThread().isInterrupted()) {
                    throw new OperationCanceledException("connecting to pipe '" + namePrefix + name + "' was interrupted", 0);
                }
            } catch (RuntimeException e) {
                observer.connectAttempted(name, "failed");
                throw e;
            }
        }
    }

    /**
     * Sends one request and waits for one reply, on a fresh message-mode connection.
     *
     * @param name the pipe's bare name
     * @param request the payload: a String, a byte[], or an object Jackson can write
     * @param replyType what to convert the reply into
     * @param <T> the reply type
     * @return the converted reply
     * @throws NoReplyException if no reply arrived: the server closed the connection
     *     ({@link NoReplyException.Reason#CLOSED CLOSED}), it broke ({@code BROKEN}), or the read
     *     timeout passed ({@code TIMED_OUT})
     */
    public <T> T request(String name, Object request, Class<T> replyType) {
        return observed(name, "request", () -> execute(name, connection -> exchange(connection, request, replyType)));
    }

    /**
     * Sends one request and waits for one reply of a generic type, such as
     * {@code new ParameterizedTypeReference<List<Item>>() {}}, which returns a {@code List<Item>}
     * (not a list of maps).
     *
     * @param name the pipe's bare name
     * @param request the payload
     * @param replyType what to convert the reply into
     * @param <T> the reply type
     * @return the converted reply
     * @throws NoReplyException if the server closed the connection instead of replying
     */
    public <T> T request(String name, Object request, ParameterizedTypeReference<T> replyType) {
        return observed(name, "request", () -> fromBytes(execute(name, connection -> exchangeBytes(connection, request)),
                replyType));
    }

    /**
     * Sends one request and waits for one reply on an open message-mode connection, for clients
     * that keep a connection for many requests.
     *
     * @param connection an open message-mode connection
     * @param request the payload
     * @param replyType what to convert the reply into
     * @param <T> the reply type
     * @return the converted reply
     * @throws NoReplyException if no reply arrived; after {@code TIMED_OUT} the connection is closed
     */
    public <T> T exchange(PipeConnection connection, Object request, Class<T> replyType) {
        return fromBytes(exchangeBytes(connection, request), replyType);
    }

    /**
     * Sends one request and waits for one reply, which is either the reply or an error reply the
     * application defined: the reply is first converted to {@code errorType}, and if that works
     * and {@code isError} accepts it, it is thrown as an {@link ErrorReplyException}; otherwise it
     * is converted to {@code replyType} and returned.
     *
     * <pre>{@code
     * record Failure(String error) {}
     * try {
     *     Quote quote = pipeTemplate.request("myapp/quotes", request, Quote.class, Failure.class, f -> f.error() != null);
     * } catch (ErrorReplyException e) {
     *     log.warn("refused: {}", e.getErrorReply(Failure.class).error());
     * }
     * }</pre>
     *
     * @param name the pipe's bare name
     * @param request the payload
     * @param replyType what to convert a normal reply into
     * @param errorType what the server's error replies convert into
     * @param isError tells an error reply from a normal one
     * @param <T> the reply type
     * @param <E> the error reply type
     * @return the converted reply
     * @throws ErrorReplyException if the server answered with an error reply
     * @throws NoReplyException if no reply arrived; {@link NoReplyException#getReason()} says why
     */
    public <T, E> T request(String name, Object request, Class<T> replyType, Class<E> errorType,
            Predicate<? super E> isError) {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(isError, "isError");
        byte[] reply = observed(name, "request", () -> execute(name, connection -> exchangeBytes(connection, request)));
        E error;
        try {
            error = fromBytes(reply, errorType);
        } catch (RuntimeException notAnError) {
            error = null;
        }
        if (error != null && isError.test(error)) {
            throw new ErrorReplyException(name, error);
        }
        return fromBytes(reply, replyType);
    }

    private byte[] exchangeBytes(PipeConnection connection, Object request) {
        write(connection, request);
        byte[] reply;
        try {
            reply = connection.readMessage();
        } catch (WinipcTimeoutException e) {
            // A late reply would be read as the answer to the next request: the connection is done.
            connection.close();
            throw new NoReplyException("pipe '" + connection.name() + "' sent no reply within " + readTimeout,
                    NoReplyException.Reason.TIMED_OUT, e);
        } catch (BrokenPipeException e) {
            throw new NoReplyException("pipe '" + connection.name() + "' broke the connection before replying: "
                    + e.getMessage(), NoReplyException.Reason.BROKEN, e);
        }
        if (reply == null) {
            throw new NoReplyException("pipe '" + connection.name() + "' closed the connection without a reply"
                    + " (a @PipeEndpoint server does this when its handler fails and no error handler answers,"
                    + " or when it stops)", NoReplyException.Reason.CLOSED, null);
        }
        observer.messageRead(connection.name(), reply.length);
        return reply;
    }

    /**
     * Sends one message on a fresh message-mode connection and closes it, for one-way endpoints.
     *
     * @param name the pipe's bare name
     * @param message the payload
     */
    public void send(String name, Object message) {
        observed(name, "send", () -> execute(name, connection -> {
            write(connection, message);
            return null;
        }));
    }

    private <T> T observed(String name, String operation, Supplier<T> call) {
        ObservationRegistry registry = observationRegistry;
        if (registry == null) {
            return call.get();
        }
        PipeClientObservationContext context = new PipeClientObservationContext(namePrefix + name, operation);
        return WinipcObservationDocumentation.PIPE_CLIENT.observation(observationConvention,
                DefaultPipeClientObservationConvention.INSTANCE, () -> context, registry).observe(call);
    }

    /**
     * Runs {@code action} on a fresh message-mode connection and closes it afterwards.
     *
     * @param name the pipe's bare name
     * @param action what to do with the connection
     * @param <T> what the action returns
     * @return what the action returned
     */
    public <T> T execute(String name, Function<PipeConnection, T> action) {
        try (PipeConnection connection = connect(name)) {
            return action.apply(connection);
        }
    }

    /**
     * @param payload a String, byte[] or object Jackson can write
     * @return the bytes that represent it on the pipe
     */
    public byte[] toBytes(Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        Message<?> message = converter.toMessage(payload, null);
        if (message == null || !(message.getPayload() instanceof byte[] bytes)) {
            throw new MessageConversionException("no converter turns a " + payload.getClass().getName() + " into bytes");
        }
        return bytes;
    }

    /**
     * @param bytes what arrived on the pipe
     * @param type the wanted type
     * @param <T> the wanted type
     * @return the converted value
     */
    @SuppressWarnings("unchecked")
    public <T> T fromBytes(byte[] bytes, Class<T> type) {
        if (type == byte[].class || type == Object.class) {
            return (T) bytes;
        }
        Object value = converter.fromMessage(MessageBuilder.withPayload(bytes).build(), type);
        if (value == null) {
            throw new MessageConversionException("no converter turns bytes into a " + type.getName());
        }
        return (T) value;
    }

    /**
     * @param bytes what arrived on the pipe
     * @param type the wanted type, generic parameters included
     * @param <T> the wanted type
     * @return the converted value
     */
    @SuppressWarnings("unchecked")
    public <T> T fromBytes(byte[] bytes, ParameterizedTypeReference<T> type) {
        Type wanted = type.getType();
        Class<?> raw = ResolvableType.forType(wanted).toClass();
        if (!(wanted instanceof ParameterizedType)) {
            return (T) fromBytes(bytes, raw);
        }
        Object value = converter instanceof SmartMessageConverter smart
                ? smart.fromMessage(MessageBuilder.withPayload(bytes).build(), raw, GenericTypeHint.of(wanted, raw))
                : null;
        if (value == null) {
            throw new MessageConversionException("no converter turns bytes into a " + wanted.getTypeName());
        }
        return (T) value;
    }

    /**
     * Spring's message converters read a target's generic type from a {@link MethodParameter}
     * conversion hint; this one stands for a parameter of the wanted type.
     */
    private static final class GenericTypeHint extends MethodParameter {
        private static final Method CARRIER = ReflectionUtils.findMethod(GenericTypeHint.class, "carrier", Object.class);
        private final Type type;
        private final Class<?> raw;

        private GenericTypeHint(Type type, Class<?> raw) {
            super(CARRIER, 0);
            this.type = type;
            this.raw = raw;
        }

        private GenericTypeHint(GenericTypeHint original) {
            super(original);
            this.type = original.type;
            this.raw = original.raw;
        }

        static GenericTypeHint of(Type type, Class<?> raw) {
            return new GenericTypeHint(type, raw);
        }

        @SuppressWarnings("unused")
        private static void carrier(Object value) {
        }

        @Override
        public Class<?> getParameterType() {
            return raw;
        }

        @Override
        public Type getGenericParameterType() {
            return type;
        }

        @Override
        public Type getNestedGenericParameterType() {
            return type;
        }

        @Override
        public Class<?> getContainingClass() {
            return raw;
        }

        @Override
        public GenericTypeHint clone() {
            return new GenericTypeHint(this);
        }
    }

    private void write(PipeConnection connection, Object payload) {
        byte[] bytes = toBytes(payload);
        connection.writeMessage(bytes);
        observer.messageWritten(connection.name(), bytes.length);
    }
}
