package io.winipc.pipe;

import io.winipc.Scope;
import io.winipc.TrustPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PipeClient} connects. Immutable: each {@code with...} method returns a copy.
 *
 * @param mode byte or message mode, which must match the server's; default {@link PipeMode#BYTE}
 * @param scope where the name lives; default {@link Scope#LOCAL}
 * @param connectTimeout how long connect retries while the server is absent or busy; default 5 seconds
 * @param maxMessageSize the largest message accepted from the server, in bytes; default 16 MiB
 * @param serverTrust which accounts the server may run as (Linux) or the pipe may be owned by
 *     (Windows); default {@link TrustPolicy#currentUserOrSystem()}. A server it does not trust is
 *     refused before any byte is written.
 */
public record PipeClientOptions(PipeMode mode, Scope scope, Duration connectTimeout, int maxMessageSize,
        TrustPolicy serverTrust) {

    private static final PipeClientOptions DEFAULTS = new PipeClientOptions(PipeMode.BYTE, Scope.LOCAL,
            Duration.ofSeconds(5), PipeServerOptions.DEFAULT_MAX_MESSAGE_SIZE, TrustPolicy.currentUserOrSystem());

    /** Validates every component. */
    public PipeClientOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(serverTrust, "serverTrust");
        if (connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must not be negative: " + connectTimeout);
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
    }

    /**
     * The options with the default server trust.
     *
     * @param mode byte or message mode
     * @param scope where the name lives
     * @param connectTimeout how long connect retries
     * @param maxMessageSize the largest message accepted from the server
     */
    public PipeClientOptions(PipeMode mode, Scope scope, Duration connectTimeout, int maxMessageSize) {
        this(mode, scope, connectTimeout, maxMessageSize, TrustPolicy.currentUserOrSystem());
    }

    /** @return byte mode, LOCAL scope, a 5-second connect timeout, 16 MiB messages, the default server trust */
    public static PipeClientOptions defaults() {
        return DEFAULTS;
    }

    /** @param value the mode @return a copy with this mode */
    public PipeClientOptions withMode(PipeMode value) {
        return new PipeClientOptions(value, scope, connectTimeout, maxMessageSize, serverTrust);
    }

    /** @param value the scope @return a copy with this scope */
    public PipeClientOptions withScope(Scope value) {
        return new PipeClientOptions(mode, value, connectTimeout, maxMessageSize, serverTrust);
    }

    /** @param value not negative @return a copy with this connect timeout */
    public PipeClientOptions withConnectTimeout(Duration value) {
        return new PipeClientOptions(mode, scope, value, maxMessageSize, serverTrust);
    }

    /** @param value bytes, at least 1 @return a copy with this maximum message size */
    public PipeClientOptions withMaxMessageSize(int value) {
        return new PipeClientOptions(mode, scope, connectTimeout, value, serverTrust);
    }

    /** @param value which accounts the server may belong to @return a copy with this policy */
    public PipeClientOptions withServerTrust(TrustPolicy value) {
        return new PipeClientOptions(mode, scope, connectTimeout, maxMessageSize, value);
    }
}
