package io.winipc.pipe;

import io.winipc.AccessPolicy;
import io.winipc.Scope;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PipeServer} listens. Immutable: each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * PipeServerOptions options = PipeServerOptions.defaults()
 *         .withMode(PipeMode.MESSAGE)
 *         .withMaxInstances(8);
 * }</pre>
 *
 * @param mode byte or message mode; default {@link PipeMode#BYTE}
 * @param scope where the name lives; default {@link Scope#LOCAL}
 * @param maxInstances how many clients may be connected at once (1 to {@value #MAX_INSTANCES_LIMIT});
 *     default 16. It also bounds how many handlers {@link PipeServer#serve} runs at once.
 * @param inBufferSize the OS buffer size hint for data arriving at the server, in bytes; default 64 KiB
 * @param outBufferSize the OS buffer size hint for data leaving the server, in bytes; default 64 KiB
 * @param maxMessageSize the largest message accepted from a client, in bytes; a larger one is
 *     refused with {@link io.winipc.OutOfRangeException}, nothing is allocated for it and the
 *     connection is closed; default 16 MiB
 * @param access who besides the current user may connect; default {@link AccessPolicy#currentUserOnly()}
 * @param drainTimeout how long {@link PipeServer#close()} waits for running handlers of
 *     {@link PipeServer#serve} before closing their connections; default 5 seconds
 */
public record PipeServerOptions(
        PipeMode mode,
        Scope scope,
        int maxInstances,
        int inBufferSize,
        int outBufferSize,
        int maxMessageSize,
        AccessPolicy access,
        Duration drainTimeout) {

    /**
     * The most instances a pipe may have: 254. Windows takes 255 as {@code PIPE_UNLIMITED_INSTANCES}
     * (no bound at all), so 254 is the largest bound it enforces, and the same bound holds on Linux.
     */
    public static final int MAX_INSTANCES_LIMIT = io.winipc.internal.PipeListenSpec.MAX_INSTANCES;
    /** The default maximum message size, 16 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    private static final PipeServerOptions DEFAULTS = new PipeServerOptions(PipeMode.BYTE, Scope.LOCAL, 16,
            64 * 1024, 64 * 1024, DEFAULT_MAX_MESSAGE_SIZE, AccessPolicy.currentUserOnly(), Duration.ofSeconds(5));

    /** Validates every component; see the record description for the accepted ranges. */
    public PipeServerOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (maxInstances < 1 || maxInstances > MAX_INSTANCES_LIMIT) {
            throw new IllegalArgumentException("maxInstances must be 1.." + MAX_INSTANCES_LIMIT + ": " + maxInstances);
        }
        if (inBufferSize < 0 || outBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must not be negative: in=" + inBufferSize + ", out=" + outBufferSize);
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative: " + drainTimeout);
        }
    }

    /** @return the defaults: byte mode, LOCAL scope, 16 instances, 64 KiB buffers, 16 MiB messages, current user only */
    public static PipeServerOptions defaults() {
        return DEFAULTS;
    }

    /** @param value the mode @return a copy with this mode */
    public PipeServerOptions withMode(PipeMode value) {
        return new PipeServerOptions(value, scope, maxInstances, inBufferSize, outBufferSize, maxMessageSize, access, drainTimeout);
    }

    /** @param value the scope @return a copy with this scope */
    public PipeServerOptions withScope(Scope value) {
        return new PipeServerOptions(mode, value, maxInstances, inBufferSize, outBufferSize, maxMessageSize, access, drainTimeout);
    }

    /** @param value 1 to {@value #MAX_INSTANCES_LIMIT} @return a copy with this many instances */
    public PipeServerOptions withMaxInstances(int value) {
        return new PipeServerOptions(mode, scope, value, inBufferSize, outBufferSize, maxMessageSize, access, drainTimeout);
    }

    /** @param in bytes in @param out bytes out @return a copy with these buffer size hints */
    public PipeServerOptions withBufferSizes(int in, int out) {
        return new PipeServerOptions(mode, scope, maxInstances, in, out, maxMessageSize, access, drainTimeout);
    }

    /** @param value bytes, at least 1 @return a copy with this maximum message size */
    public PipeServerOptions withMaxMessageSize(int value) {
        return new PipeServerOptions(mode, scope, maxInstances, inBufferSize, outBufferSize, value, access, drainTimeout);
    }

    /** @param value who besides the current user may connect @return a copy with this policy */
    public PipeServerOptions withAccess(AccessPolicy value) {
        return new PipeServerOptions(mode, scope, maxInstances, inBufferSize, outBufferSize, maxMessageSize, value, drainTimeout);
    }

    /** @param value how long close() waits for running handlers @return a copy with this drain timeout */
    public PipeServerOptions withDrainTimeout(Duration value) {
        return new PipeServerOptions(mode, scope, maxInstances, inBufferSize, outBufferSize, maxMessageSize, access, value);
    }
}
