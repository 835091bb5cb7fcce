package io.winipc.pipe;

import io.winipc.OperationCanceledException;
import io.winipc.PipeBusyException;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.ConnectAttempt;
import io.winipc.internal.Deadline;
import io.winipc.internal.Names;
import io.winipc.internal.PipeConnectSpec;
import io.winipc.internal.Platform;
import io.winipc.internal.Platforms;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Connects to a {@link PipeServer}.
 *
 * <pre>{@code
 * try (PipeConnection c = PipeClient.connect("myapp/control", Duration.ofSeconds(5))) {
 *     c.write("hello".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p><b>Retries.</b> Connecting tries at once, and while the server is absent (no such name) or
 * busy (every instance connected, or the backlog full) tries again after 1 ms, then 2, 4, ... up
 * to 50 ms between attempts, until the timeout; then it throws
 * {@link io.winipc.WinipcTimeoutException} (no server appeared) or {@link io.winipc.PipeBusyException}
 * (the server stayed busy). While the server is busy on Windows, the pause is a
 * {@code WaitNamedPipeW} of the same length, which ends early when an instance frees up. The
 * same schedule runs on both operating systems. The connect wakes and throws
 * {@link io.winipc.OperationCanceledException} if its thread is interrupted.
 *
 * <p><b>Whom it reached.</b> Before {@code connect} returns, and before any byte is written, the
 * server's account is checked against {@link PipeClientOptions#serverTrust()} (by default the
 * current user or the OS's privileged accounts; see {@link io.winipc.TrustPolicy}). A server the
 * policy does not trust is refused with {@link io.winipc.WinipcAccessDeniedException} naming its
 * account and the policy, and the connection is closed; this is not retried.
 */
public final class PipeClient {
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private PipeClient() {
    }

    /**
     * Connects in byte mode within {@code timeout}.
     *
     * @param name the pipe's bare name, such as {@code myapp/control}
     * @param timeout how long to keep trying; not negative
     * @return the open connection
     */
    public static PipeConnection connect(String name, Duration timeout) {
        return connect(name, PipeClientOptions.defaults().withConnectTimeout(timeout));
    }

    /**
     * Connects with the given options.
     *
     * @param name the pipe's bare name
     * @param options mode, scope, connect timeout, maximum message size and server trust
     * @return the open connection
     */
    public static PipeConnection connect(String name, PipeClientOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        Platform platform = Platforms.get();
        PipeConnectSpec spec = new PipeConnectSpec(options.mode() == PipeMode.MESSAGE, options.scope());
        Deadline deadline = Deadline.after(options.connectTimeout());
        long pause = FIRST_PAUSE_NANOS;
        int attempts = 0;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(name);
            }
            attempts++;
            ConnectAttempt attempt = platform.tryConnect(name, spec);
            if (attempt instanceof ConnectAttempt.Connected connected) {
                try {
                    connected.server().requireTrusted(options.serverTrust(), "the server of pipe '" + name + "'");
                } catch (RuntimeException refused) {
                    connected.pipe().close();
                    throw refused;
                }
                return new PipeConnection(connected.pipe(), name, options.mode(), options.maxMessageSize());
            }
            boolean busy = attempt instanceof ConnectAttempt.Busy;
            long left = deadline.remainingNanos();
            if (left <= 0) {
                if (busy) {
                    throw new PipeBusyException("connect to pipe '" + name + "' timed out after " + attempts
                            + " attempts: every instance of the server stayed busy", ((ConnectAttempt.Busy) attempt).nativeCode());
                }
                throw new WinipcTimeoutException("connect to pipe '" + name + "' timed out after " + attempts
                        + " attempts: no server is listening", ((ConnectAttempt.Absent) attempt).nativeCode());
            }
            long wait = Math.min(pause, left);
            if (!busy || !awaitFreeInstance(platform, name, wait)) {
                LockSupport.parkNanos(wait);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(name);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    private static boolean awaitFreeInstance(Platform platform, String name, long nanos) {
        try {
            return platform.awaitFreeInstance(name, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (OperationCanceledException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static OperationCanceledException interrupted(String name) {
        return new OperationCanceledException("connect to pipe '" + name + "' was interrupted", 0);
    }
}
