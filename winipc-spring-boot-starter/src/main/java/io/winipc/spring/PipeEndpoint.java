package io.winipc.spring;

import io.winipc.Scope;
import io.winipc.pipe.PipeMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of a named-pipe server. The starter's bean post-processor
 * finds these methods and registers a listener container for each in the
 * {@link io.winipc.spring.listener.PipeEndpointRegistry}; the container listens once the
 * application context has started and stops before the beans it calls are destroyed.
 *
 * <p>What the method's signature means:
 * <ul>
 * <li><b>Request-reply</b>: a non-{@code void} method with a payload parameter, such as
 * {@code String handle(String)}, {@code byte[] handle(byte[])} or {@code Reply handle(Request)}
 * (a POJO converted as JSON with Jackson when it is on the class path). Every message read from
 * a connection is converted, passed to the method, and the converted return value is written back
 * as one message. A client may send any number of requests on one connection.</li>
 * <li><b>One-way</b>: a {@code void} method with a payload parameter; messages are consumed and
 * nothing is written back.</li>
 * <li><b>Streaming</b>: a method with a {@link io.winipc.pipe.PipeConnection} parameter, called once
 * per connection; it reads and writes as it likes, and the connection is closed when it returns.</li>
 * </ul>
 * Request-reply and one-way handlers need {@link PipeMode#MESSAGE} (the default), because a reply
 * or a request needs boundaries; byte mode is only accepted for streaming handlers, and anything
 * else fails at start-up. Parameters annotated with {@link PeerPid} and {@link PipeName}, and a
 * {@link io.winipc.PeerCredentials} parameter, receive metadata about the connection.
 *
 * <p>When a handler throws, or the client's payload cannot be converted to the parameter type, a
 * {@link org.springframework.messaging.handler.annotation.MessageExceptionHandler @MessageExceptionHandler}
 * method of the same bean, the {@link #errorHandler()} or the global
 * {@link io.winipc.spring.listener.PipeEndpointErrorHandler} bean may answer with a reply (see
 * there). Without one, or when it throws, the connection is closed without a reply (the client
 * reads end-of-stream) and the endpoint keeps serving other connections. A handler's exception is
 * logged once at WARN with its stack trace; a failure the client caused (a payload that does not
 * convert, a message above {@link #maxMessageSize()}) in one WARN line without a stack trace, at
 * most every 10 seconds per endpoint. Health and metrics count the two apart.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PipeEndpoint {

    /**
     * @return the pipe's bare name, such as {@code myapp/echo}; {@code ${...}} placeholders are
     *     resolved against the environment
     */
    String name();

    /**
     * @return the endpoint's id in the registry, in health and in metrics; by default
     *     {@code <bean name>.<method name>}. Placeholders are resolved.
     */
    String id() default "";

    /** @return byte or message mode; message by default */
    PipeMode mode() default PipeMode.MESSAGE;

    /** @return where the name lives; LOCAL by default */
    Scope scope() default Scope.LOCAL;

    /**
     * @return who besides the current user may connect, as {@link AccessEntries} ({@code uid:1001},
     *     {@code gid:1001}, a Windows SID, alias such as {@code IU} or account name); empty for
     *     {@code winipc.pipe.endpoints.<id>.allow}, else {@code winipc.access.allow}, else nobody.
     *     Placeholders are resolved in each entry.
     */
    String[] allow() default {};

    /**
     * @return how many connections are served at once, which is also the pipe's maximum number
     *     of instances (1 to 254); empty for {@code winipc.pipe.concurrency}. Placeholders are resolved.
     */
    String concurrency() default "";

    /**
     * @return the largest message accepted from a client, as a data size such as {@code 64KB} or
     *     a number of bytes; empty for {@code winipc.pipe.max-message-size}. Placeholders are resolved.
     */
    String maxMessageSize() default "";

    /**
     * @return whether the container starts with the application context: {@code true},
     *     {@code false}, or empty for {@code winipc.pipe.auto-startup}. Placeholders are resolved.
     */
    String autoStartup() default "";

    /**
     * @return the name of a {@link io.winipc.spring.listener.PipeEndpointErrorHandler} bean that
     *     answers this endpoint's failures instead of the global one; empty for the global one.
     *     Placeholders are resolved.
     */
    String errorHandler() default "";

    /**
     * @return the bean name of the {@link io.winipc.spring.listener.PipeListenerContainerFactory}
     *     that builds this endpoint's container; empty for the auto-configured one. Build a second
     *     factory with {@code PipeListenerContainerFactoryConfigurer} to keep Boot's defaults.
     */
    String containerFactory() default "";
}
