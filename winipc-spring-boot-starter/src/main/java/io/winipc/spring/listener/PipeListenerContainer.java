package io.winipc.spring.listener;

import org.jspecify.annotations.Nullable;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.spring.internal.RateLimitedLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one {@link io.winipc.spring.PipeEndpoint}: listens on the pipe, accepts clients on a
 * dedicated thread and runs the handler for each on the handler executor (virtual threads when
 * {@code spring.threads.virtual.enabled=true}), at most {@code concurrency} at once.
 *
 * <p>It is a {@link SmartLifecycle} in a late phase, so it starts after the beans it calls are
 * ready and stops before they are destroyed. While it runs, its accept thread is not a daemon
 * thread: like a message-listener container, a running endpoint keeps the JVM alive, so a
 * headless service does not exit after start-up.
 *
 * <p>Stopping has two steps, which the {@link PipeEndpointRegistry} runs for all endpoints at
 * once: {@link #stopAccepting()} closes the listener (no connection is accepted after it), then
 * the handlers still running get up to the drain timeout ({@code winipc.pipe.drain-timeout}) to
 * finish; those that have not are interrupted and their connections closed ({@link #cutOff()}).
 * {@link #stop()} runs both steps for this endpoint alone. A container can be started again after
 * it was stopped, for example through {@link PipeEndpointRegistry#start(String)}.
 *
 * <p>If listening fails (the name is taken, or the OS has no winipc backend), the failure is
 * logged and kept as {@link #lastError()} for the health endpoint, and the application keeps
 * running, unless {@code winipc.fail-fast=true}, in which case {@link #start()} throws.
 */
public class PipeListenerContainer implements SmartLifecycle {
    /** Late: after ordinary lifecycle beans start; early: before they stop. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

    /**
     * How long handlers that were interrupted after the drain timeout get to end. It bounds the
     * stop when a handler ignores interrupts; such a handler runs on, on a daemon thread that does
     * not hold the JVM, and is named in a WARN.
     */
    static final Duration CUT_OFF_GRACE = Duration.ofSeconds(1);

    private static final Log LOG = LogFactory.getLog(PipeListenerContainer.class);
    /** At most one line per endpoint in this time about failures clients caused. */
    static final java.time.Duration REJECTION_LOG_INTERVAL = java.time.Duration.ofSeconds(10);

    private final PipeEndpointDefinition definition;
    private final PipeServerOptions options;
    private final Executor executor;
    private final boolean autoStartup;
    private final boolean failFast;
    private final PipeEndpointHandler handler;
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong clientRejections = new AtomicLong();
    private final RateLimitedLog rejectionLog = new RateLimitedLog(REJECTION_LOG_INTERVAL, System::nanoTime, LOG::warn);
    private volatile @Nullable PipeEndpointErrorHandler defaultErrorHandler;
    private final Object lifecycleMonitor = new Object();
    /** Connections handed to the executor and not yet finished, with the thread handling each once it runs. */
    private final Map<PipeConnection, Handling> handling = new ConcurrentHashMap<>();
    /** Connections the drain closed; what their handlers then throw is not a handler failure. */
    private final Set<PipeConnection> cutOff = ConcurrentHashMap.newKeySet();
    private final Object drainMonitor = new Object();
    private volatile PipeServer server;
    private volatile Thread acceptThread;
    private volatile boolean running;
    private volatile boolean wanted;
    private volatile ErrorRecord lastError;

    /**
     * @param definition the endpoint
     * @param options how to listen, with the defaults applied
     * @param autoStartup whether the registry starts it with the context
     * @param failFast whether a failure to listen fails {@link #start()}
     * @param converter converts payloads and replies
     * @param executor runs handlers
     * @param observer hears about connections, messages and handler calls
     */
    public PipeListenerContainer(PipeEndpointDefinition definition, PipeServerOptions options, boolean autoStartup,
            boolean failFast, org.springframework.messaging.converter.MessageConverter converter, Executor executor,
            PipeEndpointObserver observer) {
        this.definition = definition;
        this.options = options;
        this.autoStartup = autoStartup;
        this.failFast = failFast;
        this.executor = executor;
        this.handler = new PipeEndpointHandler(definition, converter, observer, this);
    }

    /**
     * Records a Micrometer observation per handled message (per connection for a streaming
     * endpoint). Set before the container starts; the factory does it when observation is on.
     *
     * @param registry where to record; null to record none
     * @param convention names and tags the observations; null for
     *     {@link io.winipc.spring.observation.DefaultPipeServerObservationConvention}
     */
    public void setObservation(io.micrometer.observation.@Nullable ObservationRegistry registry,
            io.winipc.spring.observation.@Nullable PipeServerObservationConvention convention) {
        handler.setObservation(registry, convention);
    }

    /** @return the endpoint's id */
    public String getId() {
        return definition.id();
    }

    /** @return the endpoint this container runs */
    public PipeEndpointDefinition getDefinition() {
        return definition;
    }

    /** @return the options the pipe listens with */
    public PipeServerOptions getOptions() {
        return options;
    }

    @Override
    public void start() {
        synchronized (lifecycleMonitor) {
            wanted = true;
            if (running) {
                return;
            }
            PipeServer listening;
            try {
                listening = PipeServer.listen(definition.name(), options);
            } catch (RuntimeException e) {
                record(e);
                if (failFast) {
                    throw new IllegalStateException("pipe endpoint '" + getId() + "' could not listen on '"
                            + definition.name() + "' (winipc.fail-fast=true): " + e.getMessage(), e);
                }
                LOG.warn("Pipe endpoint '" + getId() + "' could not listen on '" + definition.name()
                        + "'; it stays down (set winipc.fail-fast=true to fail start-up instead): " + e);
                return;
            }
            server = listening;
            running = true;
            // Not a daemon: a running endpoint is what keeps a headless service's JVM alive.
            Thread thread = new Thread(() -> acceptLoop(listening), "winipc-accept-" + getId());
            thread.setDaemon(false);
            acceptThread = thread;
            thread.start();
            LOG.info("Pipe endpoint '" + getId() + "' listening on '" + definition.name() + "' (mode "
                    + options.mode() + ", scope " + options.scope() + ", concurrency " + options.maxInstances()
                    + ") at " + listening.address());
        }
    }

    private void acceptLoop(PipeServer listening) {
        Semaphore slots = new Semaphore(options.maxInstances());
        try {
            while (listening.isOpen()) {
                slots.acquire();
                PipeConnection connection;
                try {
                    connection = listening.accept();
                } catch (RuntimeException e) {
                    slots.release();
                    throw e;
                }
                if (!listening.isOpen()) {
                    // The client came in while the stop closed the listener: it is not served.
                    connection.close();
                    slots.release();
                    return;
                }
                dispatch(connection, slots);
            }
        } catch (InterruptedException e) {
            // stopAccepting() interrupts a loop waiting for a free slot; the listener is closed by then.
        } catch (RuntimeException e) {
            if (listening.isOpen()) {
                record(e);
                LOG.error("Pipe endpoint '" + getId() + "' stopped accepting connections", e);
                listening.close();
            }
        } finally {
            if (server == listening) {
                running = false;
            }
        }
    }

    private void dispatch(PipeConnection connection, Semaphore slots) {
        Handling entry = new Handling();
        handling.put(connection, entry);
        Runnable task = () -> {
            entry.thread = Thread.currentThread();
            try {
                handler.handle(connection);
            } finally {
                entry.thread = null;
                finished(connection, slots);
            }
        };
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            finished(connection, slots);
            LOG.warn("Pipe endpoint '" + getId() + "': the handler executor rejected a connection, which is closed: " + e);
        }
    }

    private void finished(PipeConnection connection, Semaphore slots) {
        connection.close();
        handling.remove(connection);
        cutOff.remove(connection);
        slots.release();
        synchronized (drainMonitor) {
            drainMonitor.notifyAll();
        }
    }

    /**
     * Stops this endpoint alone: stops accepting, waits up to the drain timeout for running
     * handlers, then cuts off the rest.
     */
    @Override
    public void stop() {
        if (!stopAccepting()) {
            return;
        }
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        if (!awaitDrained(deadline)) {
            cutOff();
        }
        awaitTermination(System.nanoTime() + CUT_OFF_GRACE.toNanos());
    }

    /**
     * The first step of stopping: closes the listener, so that no client is accepted from now on,
     * and ends the accept thread. Running handlers go on.
     *
     * @return whether the endpoint was listening or handling connections, so that it has something to drain
     */
    boolean stopAccepting() {
        synchronized (lifecycleMonitor) {
            wanted = false;
            running = false;
            PipeServer current = server;
            Thread thread = acceptThread;
            if (current == null) {
                return !handling.isEmpty();
            }
            current.close();
            if (thread != null) {
                thread.interrupt();
            }
            return true;
        }
    }

    /** @return how many connections are being handled or waiting for a handler thread */
    int activeConnections() {
        return handling.size();
    }

    /**
     * Waits until every running handler has ended.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @return true if none is left, false if the deadline came first
     */
    boolean awaitDrained(long deadline) {
        synchronized (drainMonitor) {
            while (!handling.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drainMonitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return handling.isEmpty();
                }
            }
            return true;
        }
    }

    /**
     * Interrupts the handlers still running and closes their connections; logs one WARN naming
     * how many were cut off.
     *
     * @return how many handlers were cut off
     */
    int cutOff() {
        int count = 0;
        for (Map.Entry<PipeConnection, Handling> entry : handling.entrySet()) {
            PipeConnection connection = entry.getKey();
            cutOff.add(connection);
            if (!handling.containsKey(connection)) {
                // Its handler finished meanwhile (and already cleared its mark): nothing to cut off.
                cutOff.remove(connection);
                continue;
            }
            Thread thread = entry.getValue().thread;
            if (thread != null) {
                thread.interrupt();
            }
            connection.close();
            count++;
        }
        if (count > 0) {
            LOG.warn("Pipe endpoint '" + getId() + "': " + count + (count == 1 ? " handler was" : " handlers were")
                    + " still running after the drain timeout of " + PipeEndpointRegistry.describe(options.drainTimeout())
                    + "; interrupted and their connections closed");
        }
        return count;
    }

    /**
     * The end of a stop: waits for cut-off handlers and the accept thread to end, and names the
     * handler threads that ignored their interrupt.
     *
     * @param deadline a {@link System#nanoTime()} value
     */
    void awaitTermination(long deadline) {
        awaitDrained(deadline);
        Thread thread = acceptThread;
        if (thread != null) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lifecycleMonitor) {
            if (acceptThread == thread && !running) {
                acceptThread = null;
                server = null;
            }
        }
        List<String> stuck = handling.values().stream().map(h -> h.thread).filter(t -> t != null && t.isAlive())
                .map(Thread::getName).toList();
        if (!stuck.isEmpty()) {
            LOG.warn("Pipe endpoint '" + getId() + "': handler threads " + stuck + " ignored their interrupt and are"
                    + " still running");
        }
    }

    /**
     * @param connection a connection this endpoint handles
     * @return whether the drain closed it at shutdown, so that what its handler throws now is not a failure
     */
    boolean wasCutOff(PipeConnection connection) {
        return cutOff.contains(connection);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    /**
     * @return whether the container was asked to run, by {@link #start()}, and not asked to stop
     *     since; true while not {@link #isRunning()} means it failed
     */
    public boolean isWanted() {
        return wanted;
    }

    /** @return how many connections are being handled now */
    public int getBusyInstances() {
        return handling.size();
    }

    /** @return how many more connections could be handled now; 0 while stopped */
    public int getFreeInstances() {
        return running ? Math.max(0, options.maxInstances() - getBusyInstances()) : 0;
    }

    /** @return how many handler calls have thrown since the container was created */
    public long getHandlerErrorCount() {
        return handlerErrors.get();
    }

    /** @return the most recent failure: to listen, to accept, or of a handler */
    public Optional<ErrorRecord> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** @return how many requests were refused because of the client's input since the container was created */
    public long getClientRejectionCount() {
        return clientRejections.get();
    }

    /** @return the error handler for endpoints that name none, or null */
    public @Nullable PipeEndpointErrorHandler getDefaultErrorHandler() {
        return defaultErrorHandler;
    }

    /** @param errorHandler the error handler for this endpoint when its definition names none; null for none */
    public void setDefaultErrorHandler(@Nullable PipeEndpointErrorHandler errorHandler) {
        this.defaultErrorHandler = errorHandler;
    }

    /** Counts a handler exception, whether an error handler answers it or not. */
    void handlerErrorCounted(Throwable error) {
        handlerErrors.incrementAndGet();
        record(error);
    }

    /** Logs, once, a handler failure that closes the connection. */
    void handlerFailed(Throwable error) {
        LOG.warn("Handler of pipe endpoint '" + getId() + "' failed; its connection is closed without a reply", error);
    }

    /** Counts a request refused because of the client's input. */
    void clientRejectionCounted() {
        clientRejections.incrementAndGet();
    }

    /** Logs, in one rate-limited line, a client-caused failure that closes the connection. */
    void clientRejected(String what) {
        rejectionLog.log("Pipe endpoint '" + getId() + "' closed a connection: " + what);
    }

    void peerFailed(RuntimeException error) {
        LOG.debug("Connection to pipe endpoint '" + getId() + "' failed: " + error);
    }

    private void record(Throwable error) {
        lastError = new ErrorRecord(error.getClass().getName(), String.valueOf(error.getMessage()), Instant.now());
    }

    /**
     * A failure remembered for the health endpoint.
     *
     * @param type the exception's class name
     * @param message its message
     * @param at when it happened
     */
    public record ErrorRecord(String type, String message, Instant at) {
    }

    /** The thread handling a connection, null until the executor runs the handler. */
    private static final class Handling {
        volatile Thread thread;
    }

    @Override
    public String toString() {
        return "PipeListenerContainer[" + getId() + " on '" + definition.name() + "', " + (running ? "running" : "stopped") + "]";
    }
}
