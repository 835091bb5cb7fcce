package io.winipc.internal.windows;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a blocking native wait on a bounded pool of platform threads when the caller is a virtual
 * thread, so that the virtual thread parks instead of pinning its carrier. Platform threads wait
 * directly. The pool has at most {@value #MAX_THREADS} threads; further waits queue, which delays
 * them but never changes their outcome, because every wait is bounded by its deadline and woken by
 * its cancel event.
 */
final class Offload {
    static final int MAX_THREADS = 256;
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = createPool();

    private Offload() {
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * @param wait the blocking call
     * @param wake makes {@code wait} return soon; run when the calling virtual thread is interrupted
     * @return what {@code wait} returned; the interrupt status is kept set if it was interrupted
     */
    static <T> T call(Supplier<T> wait, Runnable wake) {
        if (!isVirtual(Thread.currentThread())) {
            return wait.get();
        }
        Future<T> future = POOL.submit(wait::get);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    wake.run();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadPoolExecutor createPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "winipc-wait-" + SEQUENCE.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
