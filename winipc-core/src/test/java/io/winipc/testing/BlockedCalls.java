package io.winipc.testing;

import java.util.Set;

/**
 * Tells whether a thread is blocked inside a winipc call, so that a test of close or interrupt
 * "during a blocked call" acts only once the call really blocks: a test that closes first would
 * pass without testing the blocked case.
 *
 * <p>Blocked means one of two things. Parked: the thread is WAITING, TIMED_WAITING or BLOCKED with
 * a winipc frame on its stack (a virtual thread parked by the Linux poller, a thread waiting for
 * the Windows I/O port or for a free server instance). Or in an OS wait: its innermost frame is a
 * native call made for one of the backend's blocking waits (recv/send on a blocking socket, poll,
 * epoll_wait, a futex or pthread timed lock, WaitForSingleObject/WaitForMultipleObjects,
 * GetOverlappedResult, WaitNamedPipeW), named by the backend frames just above it. A native call
 * that only tries (a non-blocking recv, a virtual thread's attempt before it parks) is not a wait.
 */
public final class BlockedCalls {
    /** Backend methods whose native call is a blocking wait (the Linux socket wrappers, and the OS calls). */
    private static final Set<String> WAITS = Set.of("recvBlocking", "sendBlocking", "sendmsgBlocking", "poll",
            "epoll_wait", "pthread_mutex_timedlock", "futexWait", "WaitForSingleObject", "WaitForMultipleObjects",
            "GetOverlappedResult", "WaitNamedPipeW");
    /** How far above the native frame the backend method that made the call may be (JNA's proxy frames). */
    private static final int CALLER_DEPTH = 8;

    private BlockedCalls() {
    }

    /**
     * A call running on a platform thread of its own.
     *
     * @param thread the thread making the call
     * @param result completes with the call's value or what it threw
     * @param <T> the call's value
     */
    public record Call<T>(Thread thread, java.util.concurrent.CompletableFuture<T> result) {
        /**
         * Waits until the call is blocked inside winipc (at most 10 s).
         *
         * @return this call
         * @throws org.awaitility.core.ConditionTimeoutException if it never blocks
         * @throws AssertionError if it completed instead
         */
        public Call<T> awaitBlocked() {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> result.isDone() || isBlockedInWinipc(thread));
            if (result.isDone()) {
                throw new AssertionError("the call completed instead of blocking: " + result);
            }
            return this;
        }
    }

    /** @return the call, started on a new platform thread */
    public static <T> Call<T> start(java.util.function.Supplier<T> call) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked-call");
        t.setDaemon(true);
        t.start();
        return new Call<>(t, result);
    }

    /** @return whether {@code t} is blocked inside a winipc call, as the class comment defines it */
    public static boolean isBlockedInWinipc(Thread t) {
        Thread.State state = t.getState();
        StackTraceElement[] stack = t.getStackTrace();
        boolean inWinipc = false;
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("io.winipc.")) {
                inWinipc = true;
                break;
            }
        }
        if (!inWinipc) {
            return false;
        }
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
            return true;
        }
        if (state != Thread.State.RUNNABLE || stack.length == 0 || !stack[0].isNativeMethod() || isVirtual(t)) {
            return false;
        }
        for (int i = 0; i < Math.min(stack.length, CALLER_DEPTH); i++) {
            if (WAITS.contains(stack[i].getMethodName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isVirtual(Thread t) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException noVirtualThreads) {
            return false;
        }
    }
}
