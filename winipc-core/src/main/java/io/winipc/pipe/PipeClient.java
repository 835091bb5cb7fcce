package io.winipc.pipe;

import io.winipc.internal.Deadline;
import io.winipc.internal.Names;
import io.winipc.internal.NativePipe;
import io.winipc.internal.PipeConnectSpec;
import io.winipc.internal.Platforms;
import java.time.Duration;
import java.util.Objects;

/**
 * Connects to a {@link PipeServer}.
 *
 * <pre>{@code
 * try (PipeConnection c = PipeClient.connect("myapp/control", Duration.ofSeconds(5))) {
 *     c.write("hello".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>Connecting retries while the server is not there yet or every instance is busy, until the
 * timeout; then it throws {@link io.winipc.WinipcTimeoutException} (no server appeared) or
 * {@link io.winipc.PipeBusyException} (the server stayed busy). The connect wakes and throws
 * {@link io.winipc.OperationCanceledException} if its thread is interrupted.
 */
public final class PipeClient {
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
     * @param options mode, scope, connect timeout and maximum message size
     * @return the open connection
     */
    public static PipeConnection connect(String name, PipeClientOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        NativePipe pipe = Platforms.get().connect(name,
                new PipeConnectSpec(options.mode() == PipeMode.MESSAGE, options.scope()), Deadline.after(options.connectTimeout()));
        return new PipeConnection(pipe, name, options.mode(), options.maxMessageSize());
    }
}
