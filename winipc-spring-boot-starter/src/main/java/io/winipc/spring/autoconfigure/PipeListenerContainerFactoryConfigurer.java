package io.winipc.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import io.micrometer.observation.ObservationRegistry;
import io.winipc.spring.listener.PipeEndpointAccess;
import io.winipc.spring.listener.PipeEndpointErrorHandler;
import io.winipc.spring.listener.PipeEndpointObserver;
import io.winipc.spring.listener.PipeListenerContainerCustomizer;
import io.winipc.spring.listener.PipeListenerContainerFactory;
import io.winipc.spring.observation.PipeServerObservationConvention;
import java.util.List;
import java.util.concurrent.Executor;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Builds {@link PipeListenerContainerFactory} instances with everything the auto-configured one
 * gets: the {@code winipc.pipe.*} defaults, the shared converter and handler executor, the
 * observers, the global {@code PipeEndpointErrorHandler}, observation and the
 * {@link PipeListenerContainerCustomizer} beans. Inject it to define
 * a second factory that differs in a few settings, and name that factory in
 * {@code @PipeEndpoint(containerFactory = "...")}:
 *
 * <pre>{@code
 * @Bean
 * PipeListenerContainerFactory bulkFactory(PipeListenerContainerFactoryConfigurer configurer) {
 *     PipeListenerContainerFactory.Defaults d = configurer.defaults();
 *     return configurer.create(new PipeListenerContainerFactory.Defaults(64, d.maxMessageSize(),
 *             d.drainTimeout(), d.autoStartup(), d.failFast()));
 * }
 * }</pre>
 */
public final class PipeListenerContainerFactoryConfigurer {
    private final PipeListenerContainerFactory.Defaults defaults;
    private final MessageConverter converter;
    private final Executor executor;
    private final PipeEndpointObserver observer;
    private final @Nullable ObservationRegistry observationRegistry;
    private final @Nullable PipeServerObservationConvention observationConvention;
    private final List<PipeListenerContainerCustomizer> customizers;
    private final @Nullable PipeEndpointErrorHandler errorHandler;
    private final PipeEndpointAccess access;

    PipeListenerContainerFactoryConfigurer(PipeListenerContainerFactory.Defaults defaults, MessageConverter converter,
            Executor executor, PipeEndpointObserver observer, @Nullable ObservationRegistry observationRegistry,
            @Nullable PipeServerObservationConvention observationConvention, List<PipeListenerContainerCustomizer> customizers,
            @Nullable PipeEndpointErrorHandler errorHandler, PipeEndpointAccess access) {
        this.defaults = defaults;
        this.converter = converter;
        this.executor = executor;
        this.observer = observer;
        this.observationRegistry = observationRegistry;
        this.observationConvention = observationConvention;
        this.customizers = List.copyOf(customizers);
        this.errorHandler = errorHandler;
        this.access = access;
    }

    /** @return the defaults from {@code winipc.pipe.*} and {@code winipc.fail-fast} */
    public PipeListenerContainerFactory.Defaults defaults() {
        return defaults;
    }

    /** @return a factory configured exactly as the auto-configured one */
    public PipeListenerContainerFactory create() {
        return create(defaults);
    }

    /**
     * @param defaults the settings for what endpoints leave out
     * @return a factory with these defaults and everything else as the auto-configured one
     */
    public PipeListenerContainerFactory create(PipeListenerContainerFactory.Defaults defaults) {
        PipeListenerContainerFactory factory = new PipeListenerContainerFactory(converter, executor, observer, defaults);
        factory.setObservation(observationRegistry, observationConvention);
        factory.addCustomizers(customizers);
        factory.setErrorHandler(errorHandler);
        factory.setAccess(access);
        return factory;
    }
}
