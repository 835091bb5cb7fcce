package io.winipc.spring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Holds every pipe endpoint's {@link PipeListenerContainer} by id. As a {@link SmartLifecycle}
 * it starts the auto-startup containers with the application context and stops them all on
 * shutdown, in two phases (see {@link #stop(Runnable)}); at runtime, {@link #start(String)} and
 * {@link #stop(String)} control one endpoint.
 */
public class PipeEndpointRegistry implements SmartLifecycle {
    private static final Log LOG = LogFactory.getLog(PipeEndpointRegistry.class);
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
        return register(definition, factory);
    }

    /**
     * Registers an endpoint whose container another factory builds, as
     * {@code @PipeEndpoint(containerFactory = "...")} asks.
     *
     * @param definition the endpoint
     * @param containerFactory builds its container
     * @return its container
     * @throws InvalidPipeEndpointException if the id is taken
     */
    public PipeListenerContainer register(PipeEndpointDefinition definition, PipeListenerContainerFactory containerFactory) {
        PipeListenerContainer container;
        synchronized (containers) {
            PipeListenerContainer existing = containers.get(definition.id());
            if (existing != null) {
                throw new InvalidPipeEndpointException(null, InvalidPipeEndpointException.describe(definition.method()),
                        "its id '" + definition.id() + "' is already the id of "
                                + InvalidPipeEndpointException.describe(existing.getDefinition().method()),
                        "give one of them a different @PipeEndpoint(id = ...)");
            }
            container = containerFactory.create(definition);
            containers.put(definition.id(), container);
        }
        if (running && container.isAutoStartup()) {
            container.start();
        }
        return container;
    }

    /** @param id an endpoint id @return its container, or null if there is none */
    public @Nullable PipeListenerContainer getContainer(String id) {
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

    /** Stops every endpoint and returns once they are drained (see {@link #stop(Runnable)}). */
    @Override
    public void stop() {
        CountDownLatch done = new CountDownLatch(1);
        stop(done::countDown);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops every endpoint in two phases. First each one stops accepting, at once and on the
     * calling thread, so no client is accepted once the stop has begun. Then one drain waits for
     * the running handlers of all endpoints together, up to the drain timeout, interrupts those
     * still running, and calls {@code callback}; that phase runs on its own thread, so that the
     * application context stops its other lifecycle beans meanwhile.
     *
     * @param callback run once every endpoint has stopped
     */
    @Override
    public void stop(Runnable callback) {
        running = false;
        long started = System.nanoTime();
        List<PipeListenerContainer> draining = new ArrayList<>();
        for (PipeListenerContainer container : getContainers()) {
            if (container.stopAccepting()) {
                draining.add(container);
            }
        }
        if (draining.isEmpty()) {
            callback.run();
            return;
        }
        Duration drainTimeout = draining.stream().map(c -> c.getOptions().drainTimeout())
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        int connections = draining.stream().mapToInt(PipeListenerContainer::activeConnections).sum();
        LOG.info("Pipe endpoints stopped accepting; draining " + connections + " connection"
                + (connections == 1 ? "" : "s") + " on " + draining.size() + " endpoint"
                + (draining.size() == 1 ? "" : "s") + ", up to " + describe(drainTimeout));
        Thread drain = new Thread(() -> {
            try {
                drain(draining, started, connections);
            } finally {
                callback.run();
            }
        }, "winipc-drain");
        drain.setDaemon(true);
        drain.start();
    }

    private static void drain(List<PipeListenerContainer> draining, long started, int connections) {
        int cut = 0;
        for (PipeListenerContainer container : draining) {
            if (!container.awaitDrained(started + container.getOptions().drainTimeout().toNanos())) {
                cut += container.cutOff();
            }
        }
        long graceEnd = System.nanoTime() + PipeListenerContainer.CUT_OFF_GRACE.toNanos();
        for (PipeListenerContainer container : draining) {
            container.awaitTermination(graceEnd);
        }
        LOG.info("Pipe endpoints drained in " + describe(Duration.ofNanos(System.nanoTime() - started)) + ": "
                + (connections - cut) + " connection" + (connections - cut == 1 ? "" : "s") + " finished, " + cut
                + " cut off");
    }

    /** @return a duration as people write it: 5s, 1.5s, 250ms */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
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
