package io.winipc.internal;

import io.winipc.OperationCanceledException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs a blocking native call on a platform thread while the calling (virtual) thread parks, so
 * that the virtual thread's carrier stays free. An interrupt of the caller is forwarded to the
 * platform thread while, and only while, it runs this call: the native wait notices it (through
 * {@link InterruptHook} or its own check) and ends with {@link OperationCanceledException}. A
 * native wait that an interrupt of its platform thread cannot reach (its {@code InterruptHook} is
 * armed on the caller, not on the pool thread) passes a wake-up action instead, which runs when
 * the caller is interrupted.
 */
public final class Offload {
    /** The system property that sizes the shared wait pool (default 64 threads). */
    public static final String POOL_SIZE_PROPERTY = "winipc.waitThreads";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Already passed: a wait with it only tries. */
    private static final Deadline NOW = Deadline.after(java.time.Duration.ZERO);

    private Offload() {
    }

    private static final class Pool {
        static final ThreadPoolExecutor INSTANCE = create();

        private static ThreadPoolExecutor create() {
            int size = Math.max(1, Integer.getInteger(POOL_SIZE_PROPERTY, 64));
            ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "winipc-wait-" + SEQUENCE.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /** @return the bounded pool of platform threads that runs offloaded waits */
    public static Executor waitPool() {
        return Pool.INSTANCE;
    }

    /**
     * Runs {@code call} directly on a platform thread, or on {@code executor} if the current
     * thread is virtual.
     */
    public static <T> T run(Executor executor, Supplier<T> call) {
        return run(executor, call, null);
    }

    /**
     * As {@link #run(Executor, Supplier)}; {@code wake}, if not null, makes {@code call} return
     * soon and runs (on the interrupting side) when the parked caller is interrupted.
     */
    public static <T> T run(Executor executor, Supplier<T> call, Runnable wake) {
        if (!VirtualThreads.isCurrentThreadVirtual()) {
            return call.get();
        }
        return runOn(executor, call, wake);
    }

    /**
     * Runs a wait that a passed deadline turns into a mere try (a semaphore acquire, an event
     * wait). A platform thread runs it directly. A virtual thread makes the try on its own carrier,
     * since a try never blocks, and hands only a wait that has to block to the {@link #waitPool()}.
     *
     * @param wait waits until its deadline; with a passed one only tries
     * @return what the wait returned: true once the object was taken, false at the deadline
     */
    public static boolean await(Predicate<Deadline> wait, Deadline deadline) {
        if (!VirtualThreads.isCurrentThreadVirtual()) {
            return wait.test(deadline);
        }
        if (wait.test(NOW)) {
            return true;
        }
        if (deadline.hasPassed()) {
            return false;
        }
        return runOn(waitPool(), () -> wait.test(deadline));
    }

    /**
     * Runs {@code call} on {@code executor} and parks until it ends. If the caller is interrupted
     * the call is cancelled; if it completed anyway its result is returned with the interrupt
     * status set, otherwise {@link OperationCanceledException} is thrown (status set).
     */
    public static <T> T runOn(Executor executor, Supplier<T> call) {
        return runOn(executor, call, null);
    }

    /**
     * As {@link #runOn(Executor, Supplier)}; {@code wake}, if not null, runs as well when the
     * caller is interrupted, for a call that an interrupt of its thread does not end.
     */
    public static <T> T runOn(Executor executor, Supplier<T> call, Runnable wake) {
        Task<T> task = new Task<>(call, wake);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            throw new io.winipc.ObjectClosedException("the thread that runs native calls for this object has stopped");
        }
        boolean interrupted = false;
        try {
            try {
                return task.result.get();
            } catch (InterruptedException e) {
                interrupted = true;
                task.cancel();
                return task.result.join();
            }
        } catch (ExecutionException | CompletionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            interrupted = true;
            throw new OperationCanceledException("the wait was interrupted", 0, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            // Re-create nothing: the exception's stack shows the native wait; add the caller's as suppressed context.
            r.addSuppressed(new Exception("awaited by " + Thread.currentThread()));
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new io.winipc.WinipcException("native call failed", cause);
    }

    private static final class Task<T> implements Runnable {
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Supplier<T> call;
        private final Runnable wake;
        private Thread runner;
        private boolean cancelled;

        Task(Supplier<T> call, Runnable wake) {
            this.call = call;
            this.wake = wake;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (cancelled) {
                    result.completeExceptionally(new OperationCanceledException("the wait was interrupted before it began", 0));
                    return;
                }
                runner = Thread.currentThread();
            }
            // A stale interrupt aimed at an earlier task must not cancel this one.
            Thread.interrupted();
            synchronized (this) {
                if (cancelled) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                result.complete(call.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                synchronized (this) {
                    runner = null;
                }
                Thread.interrupted();
            }
        }

        void cancel() {
            synchronized (this) {
                cancelled = true;
                if (runner != null) {
                    runner.interrupt();
                }
            }
            if (wake != null) {
                // Harmless if the call has not begun: it will not run, or the wake makes it return at once.
                wake.run();
            }
        }
    }
}
