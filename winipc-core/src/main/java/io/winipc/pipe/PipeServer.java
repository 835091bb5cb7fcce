package io.winipc.pipe;

import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.internal.Cleaners;
import io.winipc.internal.Deadline;
import io.winipc.internal.Names;
import io.winipc.internal.NativePipe;
import io.winipc.internal.NativePipeServer;
import io.winipc.internal.PipeListenSpec;
import io.winipc.internal.Platforms;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A pipe server listening on a name.
 *
 * <pre>{@code
 * try (PipeServer server = PipeServer.listen("myapp/control")) {
 *     server.serve(connection -> {
 *         byte[] request = connection.readMessage();
 *         connection.writeMessage(reply(request));
 *     });
 * }
 * }</pre>
 *
 * <p>Security by default: only the current user's processes can connect, remote clients are
 * rejected, and a second server on a live name fails with {@link io.winipc.ObjectExistsException}
 * rather than sharing it (anti-squatting). A name left behind by a server that died is reclaimed.
 *
 * <p>Use either {@link #accept()} yourself or {@link #serve(PipeHandler)}, which accepts, runs a
 * handler per connection (at most {@link PipeServerOptions#maxInstances()} at once) and closes
 * each connection when its handler ends. {@link #close()} from any thread stops both.
 */
public final class PipeServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PipeServer.class.getName());
    private static final AtomicInteger THREAD_SEQUENCE = new AtomicInteger();

    private final NativePipeServer server;
    private final String name;
    private final PipeServerOptions options;
    private final Cleaner.Cleanable cleanable;
    private final Map<PipeConnection, Thread> handlers = new ConcurrentHashMap<>();
    private final Object drainLock = new Object();
    private volatile boolean closed;

    private PipeServer(NativePipeServer server, String name, PipeServerOptions options) {
        this.server = server;
        this.name = name;
        this.options = options;
        this.cleanable = Cleaners.register(this, server::close);
    }

    /**
     * Listens in byte mode with the default options.
     *
     * @param name a bare name such as {@code myapp/control}
     * @return the listening server
     * @throws io.winipc.ObjectExistsException if a live server already owns the name
     * @throws IllegalArgumentException if the name is invalid
     */
    public static PipeServer listen(String name) {
        return listen(name, PipeServerOptions.defaults());
    }

    /**
     * Listens with the given options.
     *
     * @param name a bare name such as {@code myapp/control}
     * @param options mode, scope, instances, buffer sizes, maximum message size and access
     * @return the listening server
     * @throws io.winipc.ObjectExistsException if a live server already owns the name
     */
    public static PipeServer listen(String name, PipeServerOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        PipeListenSpec spec = new PipeListenSpec(options.mode() == PipeMode.MESSAGE, options.scope(), options.maxInstances(),
                options.inBufferSize(), options.outBufferSize(), options.access());
        return new PipeServer(Platforms.get().listen(name, spec), name, options);
    }

    /** @return the name this server listens on */
    public String name() {
        return name;
    }

    /**
     * Where a peer that is not written with winipc finds this server: on Linux the Unix domain
     * socket's file, on Windows the full pipe path ({@code \\.\pipe\...}).
     *
     * @return the OS-level address of the listening pipe
     */
    public String address() {
        return server.address();
    }

    /** @return the options this server listens with */
    public PipeServerOptions options() {
        return options;
    }

    /** @return how many connections {@link #serve} is handling right now */
    public int activeConnections() {
        return handlers.size();
    }

    /**
     * Waits for the next client, with no time limit.
     *
     * @return the connection; the caller closes it
     * @throws ObjectClosedException if the server is closed, before or during the wait
     * @throws OperationCanceledException if the thread is interrupted (the server is closed, as
     *     interruptible NIO channels are)
     */
    public PipeConnection accept() {
        return accept(null);
    }

    /**
     * Waits for the next client for at most {@code timeout}.
     *
     * @param timeout not negative; null for no limit
     * @return the connection; the caller closes it
     * @throws io.winipc.WinipcTimeoutException if no client came in time
     */
    public PipeConnection accept(@Nullable Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        ensureOpen();
        NativePipe pipe = server.accept(deadline);
        return new PipeConnection(pipe, name, options.mode(), options.maxMessageSize());
    }

    /**
     * Serves connections until the server is closed, running handlers on new daemon threads.
     *
     * @param handler called once per connection, which is closed when the handler ends
     */
    public void serve(PipeHandler handler) {
        serve(handler, task -> {
            Thread t = new Thread(task, "winipc-pipe-" + name + "-" + THREAD_SEQUENCE.incrementAndGet());
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Serves connections until the server is closed: accepts a client, runs {@code handler} for it
     * on {@code executor}, closes the connection when the handler returns or throws. At most
     * {@link PipeServerOptions#maxInstances()} handlers run at once; while that many are busy the
     * server accepts nobody, so further clients wait or see the pipe busy. A handler that throws
     * is logged and the server keeps serving. Returns normally once the server is closed.
     *
     * @param handler called once per connection
     * @param executor runs the handlers, for example {@code Executors.newVirtualThreadPerTaskExecutor()}
     * @throws OperationCanceledException if the serving thread is interrupted
     */
    public void serve(PipeHandler handler, Executor executor) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(executor, "executor");
        Semaphore slots = new Semaphore(options.maxInstances());
        while (!closed) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCanceledException("serving pipe '" + name + "' was interrupted", 0, e);
            }
            PipeConnection connection;
            try {
                connection = accept(null);
            } catch (ObjectClosedException e) {
                slots.release();
                if (closed) {
                    return;
                }
                throw e;
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
            Runnable task = () -> {
                handlers.put(connection, Thread.currentThread());
                try {
                    handler.handle(connection);
                } catch (Throwable t) {
                    LOG.log(System.Logger.Level.WARNING, "handler for pipe '" + name + "' failed; its connection is closed", t);
                } finally {
                    connection.close();
                    handlers.remove(connection);
                    slots.release();
                    synchronized (drainLock) {
                        drainLock.notifyAll();
                    }
                }
            };
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                connection.close();
                slots.release();
                LOG.log(System.Logger.Level.WARNING, "executor rejected a connection to pipe '" + name + "'", e);
            }
        }
    }

    /** @return false once closed */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Stops listening and releases the name. A blocked {@link #accept} throws
     * {@link ObjectClosedException}; {@link #serve} returns after waiting up to
     * {@link PipeServerOptions#drainTimeout()} for running handlers, whose connections are then
     * closed. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleanable.clean();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        synchronized (drainLock) {
            while (hasOtherHandlers()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drainLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        handlers.keySet().forEach(PipeConnection::close);
    }

    private boolean hasOtherHandlers() {
        Thread me = Thread.currentThread();
        return handlers.values().stream().anyMatch(t -> t != me);
    }

    private void ensureOpen() {
        if (closed) {
            throw new ObjectClosedException("pipe server '" + name + "' is closed");
        }
    }

    @Override
    public String toString() {
        return "PipeServer[" + name + ", " + options.mode() + (closed ? ", closed" : "") + "]";
    }
}
