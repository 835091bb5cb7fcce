package io.winipc.spring.listener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.SmartLifecycle;

/**
 * Holds every pipe endpoint's {@link PipeListenerContainer} by id. As a {@link SmartLifecycle}
 * it starts the auto-startup containers with the application context and stops them all on
 * shutdown; at runtime, {@link #start(String)} and {@link #stop(String)} control one endpoint.
 */
public class PipeEndpointRegistry implements SmartLifecycle {
    private final PipeListenerContainerFactory factory;
    private final Map<String, PipeListenerContainer> containers = new LinkedHashMap<>();
    private volatile boolean running;

    /** @param factory builds the containers */
    public PipeEndpointRegistry(PipeListenerContainerFactory factory) {
        this.factory = factory;
    }

    /**
     * Registers an endpoint; once the registry runs, an auto-startup endpoint starts at once.
     *
     * @param definition the endpoint
     * @return its container
     * @throws InvalidPipeEndpointException if the id is taken
     */
    public PipeListenerContainer register(PipeEndpointDefinition definition) {
        PipeListenerContainer container;
        synchronized (containers) {
            PipeListenerContainer existing = containers.get(definition.id());
            if (existing != null) {
                throw new InvalidPipeEndpointException(null, InvalidPipeEndpointException.describe(definition.method()),
                        "its id '" + definition.id() + "' is already the id of "
                                + InvalidPipeEndpointException.describe(existing.getDefinition().method()),
                        "give one of them a different @PipeEndpoint(id = ...)");
            }
            container = factory.create(definition);
            containers.put(definition.id(), container);
        }
        if (running && container.isAutoStartup()) {
            container.start();
        }
        return container;
    }

    /** @param id an endpoint id @return its container, or null if there is none */
    public PipeListenerContainer getContainer(String id) {
        synchronized (containers) {
            return containers.get(id);
        }
    }

    /** @return every container, in registration order */
    public Collection<PipeListenerContainer> getContainers() {
        synchronized (containers) {
            return List.copyOf(containers.values());
        }
    }

    /** @return every endpoint id */
    public Set<String> getIds() {
        synchronized (containers) {
            return Set.copyOf(containers.keySet());
        }
    }

    /**
     * Starts one endpoint.
     *
     * @param id the endpoint id
     * @throws IllegalArgumentException if there is no such endpoint
     */
    public void start(String id) {
        require(id).start();
    }

    /**
     * Stops one endpoint, draining its running handlers.
     *
     * @param id the endpoint id
     * @throws IllegalArgumentException if there is no such endpoint
     */
    public void stop(String id) {
        require(id).stop();
    }

    private PipeListenerContainer require(String id) {
        PipeListenerContainer container = getContainer(id);
        if (container == null) {
            throw new IllegalArgumentException("no pipe endpoint with id '" + id + "'; known: " + getIds());
        }
        return container;
    }

    @Override
    public void start() {
        running = true;
        for (PipeListenerContainer container : getContainers()) {
            if (container.isAutoStartup()) {
                container.start();
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        List<PipeListenerContainer> all = new ArrayList<>(getContainers());
        // Close every listener first so no new client gets in while earlier ones drain.
        all.parallelStream().forEach(PipeListenerContainer::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PipeListenerContainer.DEFAULT_PHASE;
    }
}
