package io.winipc.pipe;

import io.winipc.Scope;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PipeClient} connects. Immutable: each {@code with...} method returns a copy.
 *
 * @param mode byte or message mode, which must match the server's; default {@link PipeMode#BYTE}
 * @param scope where the name lives; default {@link Scope#LOCAL}
 * @param connectTimeout how long connect retries while the server is absent or busy; default 5 seconds
 * @param maxMessageSize the largest message accepted from the server, in bytes; default 16 MiB
 */
public record PipeClientOptions(PipeMode mode, Scope scope, Duration connectTimeout, int maxMessageSize) {

    private static final PipeClientOptions DEFAULTS = new PipeClientOptions(PipeMode.BYTE, Scope.LOCAL,
            Duration.ofSeconds(5), PipeServerOptions.DEFAULT_MAX_MESSAGE_SIZE);

    /** Validates every component. */
    public PipeClientOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must not be negative: " + connectTimeout);
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
    }

    /** @return byte mode, LOCAL scope, a 5-second connect timeout, 16 MiB messages */
    public static PipeClientOptions defaults() {
        return DEFAULTS;
    }

    /** @param value the mode @return a copy with this mode */
    public PipeClientOptions withMode(PipeMode value) {
        return new PipeClientOptions(value, scope, connectTimeout, maxMessageSize);
    }

    /** @param value the scope @return a copy with this scope */
    public PipeClientOptions withScope(Scope value) {
        return new PipeClientOptions(mode, value, connectTimeout, maxMessageSize);
    }

    /** @param value not negative @return a copy with this connect timeout */
    public PipeClientOptions withConnectTimeout(Duration value) {
        return new PipeClientOptions(mode, scope, value, maxMessageSize);
    }

    /** @param value bytes, at least 1 @return a copy with this maximum message size */
    public PipeClientOptions withMaxMessageSize(int value) {
        return new PipeClientOptions(mode, scope, connectTimeout, value);
    }
}
