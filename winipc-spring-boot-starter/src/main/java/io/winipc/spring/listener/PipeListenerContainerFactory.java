package io.winipc.spring.listener;

import io.winipc.AccessPolicy;
import io.micrometer.observation.ObservationRegistry;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.spring.observation.PipeServerObservationConvention;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Builds a {@link PipeListenerContainer} for each {@link PipeEndpointDefinition}, filling in the
 * defaults the definition leaves out. Define a bean of this type to change how containers are built.
 */
public class PipeListenerContainerFactory {
    private final MessageConverter converter;
    private final Executor executor;
    private final PipeEndpointObserver observer;
    private final Defaults defaults;
    private final List<PipeListenerContainerCustomizer> customizers = new CopyOnWriteArrayList<>();
    private volatile @Nullable ObservationRegistry observationRegistry;
    private volatile @Nullable PipeServerObservationConvention observationConvention;
    private volatile @Nullable PipeEndpointErrorHandler errorHandler;
    private volatile PipeEndpointAccess access = PipeEndpointAccess.currentUserOnly();

    /**
     * Settings used where an endpoint does not give its own.
     *
     * @param concurrency connections served at once
     * @param maxMessageSize the largest message accepted from a client, in bytes
     * @param drainTimeout how long stopping waits for running handlers
     * @param autoStartup whether containers start with the context
     * @param failFast whether a failure to listen fails start-up
     */
    public record Defaults(int concurrency, long maxMessageSize, Duration drainTimeout, boolean autoStartup,
            boolean failFast) {
    }

    /**
     * @param converter converts payloads and replies
     * @param executor runs handlers
     * @param observer hears what containers do
     * @param defaults settings for what endpoints leave out
     */
    public PipeListenerContainerFactory(MessageConverter converter, Executor executor, PipeEndpointObserver observer,
            Defaults defaults) {
        this.converter = Objects.requireNonNull(converter, "converter");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /** @return the settings used where an endpoint does not give its own */
    public Defaults getDefaults() {
        return defaults;
    }

    /**
     * Makes every container this factory builds from now on record Micrometer observations.
     *
     * @param registry where to record; null to record none
     * @param convention names and tags the observations; null for the default
     */
    public void setObservation(@Nullable ObservationRegistry registry, @Nullable PipeServerObservationConvention convention) {
        this.observationRegistry = registry;
        this.observationConvention = convention;
    }

    /** @param customizers applied, in order, to every container this factory builds from now on */
    public void addCustomizers(List<? extends PipeListenerContainerCustomizer> customizers) {
        this.customizers.addAll(customizers);
    }

    /**
     * @param errorHandler answers the failures of endpoints that name no error handler of their
     *     own, in containers created from now on; null for none
     */
    public void setErrorHandler(@Nullable PipeEndpointErrorHandler errorHandler) {
        this.errorHandler = errorHandler;
    }

    /**
     * @param access decides whom each endpoint created from now on admits besides the current user
     */
    public void setAccess(PipeEndpointAccess access) {
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * @param definition the endpoint
     * @return a new, stopped container
     * @throws InvalidPipeEndpointException if a setting is out of range or no converter handles the
     *     handler's payload or return type
     */
    public PipeListenerContainer create(PipeEndpointDefinition definition) {
        String where = InvalidPipeEndpointException.describe(definition.method());
        int concurrency = definition.concurrency() != null ? definition.concurrency() : defaults.concurrency();
        long maxMessageSize = definition.maxMessageSize() != null ? definition.maxMessageSize() : defaults.maxMessageSize();
        if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE) {
            throw new InvalidPipeEndpointException(null, where, "pipe endpoint '" + definition.id()
                    + "': max message size must be 1.." + Integer.MAX_VALUE + " bytes: " + maxMessageSize,
                    "set @PipeEndpoint(maxMessageSize = ...) or winipc.pipe.max-message-size to at most 2GB");
        }
        AccessPolicy policy;
        try {
            policy = access.policyFor(definition);
        } catch (IllegalArgumentException e) {
            throw new InvalidPipeEndpointException(null, where, "pipe endpoint '" + definition.id() + "': " + e.getMessage(),
                    "write each entry as uid:<n>, gid:<n>, a Windows SID, SDDL alias or account name, or current-user");
        }
        PipeServerOptions options;
        try {
            options = PipeServerOptions.defaults()
                    .withMode(definition.mode())
                    .withScope(definition.scope())
                    .withAccess(policy)
                    .withMaxInstances(concurrency)
                    .withMaxMessageSize((int) maxMessageSize)
                    .withDrainTimeout(defaults.drainTimeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidPipeEndpointException(null, where, "pipe endpoint '" + definition.id() + "': " + e.getMessage(),
                    "set @PipeEndpoint(concurrency = ...) or winipc.pipe.concurrency to 1..254");
        }
        PayloadTypes.check(definition, converter);
        boolean autoStartup = definition.autoStartup() != null ? definition.autoStartup() : defaults.autoStartup();
        PipeListenerContainer container;
        try {
            container = new PipeListenerContainer(definition, options, autoStartup, defaults.failFast(), converter,
                    executor, observer);
        } catch (IllegalStateException e) {
            // spring-messaging refuses a @MessageExceptionHandler method that names no exception type.
            throw new InvalidPipeEndpointException(null, where, "its bean's exception handlers cannot be used: "
                    + e.getMessage(), "give each @MessageExceptionHandler method its exception types, in the"
                    + " annotation or as a parameter");
        }
        container.setDefaultErrorHandler(errorHandler);
        container.setObservation(observationRegistry, observationConvention);
        for (PipeListenerContainerCustomizer customizer : customizers) {
            customizer.customize(container);
        }
        observer.containerRegistered(container);
        return container;
    }
}
