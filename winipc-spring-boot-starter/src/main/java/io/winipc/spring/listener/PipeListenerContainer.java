package io.winipc.spring.listener;

import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one {@link io.winipc.spring.PipeEndpoint}: listens on the pipe, accepts clients on a
 * dedicated thread and runs the handler for each on the executor (virtual threads when
 * {@code spring.threads.virtual.enabled=true}), at most {@code concurrency} at once.
 *
 * <p>It is a {@link SmartLifecycle} in a late phase, so it starts after the beans it calls are
 * ready and stops before they are destroyed. {@link #stop()} stops accepting at once, waits for
 * running handlers up to the drain timeout ({@code winipc.pipe.drain-timeout}), then closes the
 * connections still open. A container can be started again after it was stopped, for example
 * through {@link PipeEndpointRegistry#start(String)}.
 *
 * <p>If listening fails (the name is taken, or the OS has no winipc backend), the failure is
 * logged and kept as {@link #lastError()} for the health endpoint, and the application keeps
 * running, unless {@code winipc.fail-fast=true}, in which case {@link #start()} throws.
 */
public class PipeListenerContainer implements SmartLifecycle {
    /** Late: after ordinary lifecycle beans start; early: before they stop. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

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
    private final RejectionLog rejectionLog = new RejectionLog(REJECTION_LOG_INTERVAL, System::nanoTime, LOG::warn);
    private volatile PipeEndpointErrorHandler defaultErrorHandler;
    private final Object lifecycleMonitor = new Object();
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
            Thread thread = new Thread(() -> acceptLoop(listening), "winipc-accept-" + getId());
            thread.setDaemon(true);
            acceptThread = thread;
            thread.start();
            LOG.debug("Pipe endpoint '" + getId() + "' listening on '" + definition.name() + "'");
        }
    }

    private void acceptLoop(PipeServer listening) {
        try {
            listening.serve(handler, executor);
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

    @Override
    public void stop() {
        synchronized (lifecycleMonitor) {
            PipeServer current = server;
            Thread thread = acceptThread;
            wanted = false;
            running = false;
            if (current != null) {
                current.close();
            }
            if (thread != null) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            acceptThread = null;
        }
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
        PipeServer current = server;
        return running && current != null ? current.activeConnections() : 0;
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
    public PipeEndpointErrorHandler getDefaultErrorHandler() {
        return defaultErrorHandler;
    }

    /** @param errorHandler the error handler for this endpoint when its definition names none; null for none */
    public void setDefaultErrorHandler(PipeEndpointErrorHandler errorHandler) {
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

    @Override
    public String toString() {
        return "PipeListenerContainer[" + getId() + " on '" + definition.name() + "', " + (running ? "running" : "stopped") + "]";
    }
}
