package io.winipc.spring.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.winipc.spring.client.PipeClientObserver;
import io.winipc.spring.listener.PipeEndpointObserver;
import io.winipc.spring.listener.PipeListenerContainer;
import io.winipc.spring.objects.NamedObjectObserver;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Records winipc's activity with Micrometer. Tags are bounded: the endpoint id (server side) or
 * the pipe name the application connects to (client side), the side, and small enumerations;
 * never a pid or a payload.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>Name</th><th>Type</th><th>Tags</th></tr>
 * <tr><td>{@code winipc.pipe.connections.active}</td><td>gauge</td><td>endpoint</td></tr>
 * <tr><td>{@code winipc.pipe.connections}</td><td>counter</td><td>endpoint, side, result</td></tr>
 * <tr><td>{@code winipc.pipe.messages}</td><td>counter</td><td>endpoint, side, direction</td></tr>
 * <tr><td>{@code winipc.pipe.bytes}</td><td>counter</td><td>endpoint, side, direction</td></tr>
 * <tr><td>{@code winipc.pipe.handler}</td><td>timer</td><td>endpoint, result, exception</td></tr>
 * <tr><td>{@code winipc.pipe.rejections}</td><td>counter</td><td>endpoint, reason ({@code too-large}, {@code conversion})</td></tr>
 * <tr><td>{@code winipc.pipe.connect.retries}</td><td>counter</td><td>endpoint</td></tr>
 * <tr><td>{@code winipc.mutex.abandoned}</td><td>counter</td><td>name</td></tr>
 * </table>
 */
public class WinipcMetrics implements PipeEndpointObserver, PipeClientObserver, NamedObjectObserver {
    /** Tag value of {@code side} for {@code @PipeEndpoint} servers. */
    public static final String SERVER = "server";
    /** Tag value of {@code side} for the {@code PipeTemplate} client. */
    public static final String CLIENT = "client";

    private final MeterRegistry registry;

    /** @param registry where the meters go */
    public WinipcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void containerRegistered(PipeListenerContainer container) {
        Gauge.builder("winipc.pipe.connections.active", container, PipeListenerContainer::getBusyInstances)
                .description("Connections a pipe endpoint is handling now")
                .tag("endpoint", container.getId())
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void connectionEnded(String endpointId, boolean failed) {
        connections(endpointId, SERVER, failed ? "failed" : "completed").increment();
    }

    @Override
    public void messageReceived(String endpointId, int bytes) {
        message(endpointId, SERVER, "in", bytes);
    }

    @Override
    public void messageSent(String endpointId, int bytes) {
        message(endpointId, SERVER, "out", bytes);
    }

    @Override
    public void handlerInvoked(String endpointId, Duration duration, @Nullable Throwable error) {
        Timer.builder("winipc.pipe.handler")
                .description("Time spent in pipe endpoint handler methods")
                .tag("endpoint", endpointId)
                .tag("result", error == null ? "success" : "error")
                .tag("exception", error == null ? "none" : exceptionName(error))
                .register(registry)
                .record(duration);
    }

    @Override
    public void messageRejected(String endpointId, String reason) {
        Counter.builder("winipc.pipe.rejections")
                .description("Client messages a pipe endpoint refused: above the maximum size, or not convertible")
                .tag("endpoint", endpointId)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    @Override
    public void connectAttempted(String pipeName, String result) {
        connections(pipeName, CLIENT, result).increment();
    }

    @Override
    public void connectRetried(String pipeName) {
        Counter.builder("winipc.pipe.connect.retries")
                .description("Connect attempts the client repeated because the server was absent or busy")
                .tag("endpoint", pipeName)
                .register(registry)
                .increment();
    }

    @Override
    public void messageWritten(String pipeName, int bytes) {
        message(pipeName, CLIENT, "out", bytes);
    }

    @Override
    public void messageRead(String pipeName, int bytes) {
        message(pipeName, CLIENT, "in", bytes);
    }

    @Override
    public void mutexAbandoned(String name) {
        Counter.builder("winipc.mutex.abandoned")
                .description("Mutex acquisitions that found the previous owner had died holding it")
                .tag("name", name)
                .register(registry)
                .increment();
    }

    private static String exceptionName(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    private Counter connections(String endpoint, String side, String result) {
        return Counter.builder("winipc.pipe.connections")
                .description("Pipe connections, by how they ended (server) or how connecting went (client)")
                .tag("endpoint", endpoint)
                .tag("side", side)
                .tag("result", result)
                .register(registry);
    }

    private void message(String endpoint, String side, String direction, int bytes) {
        Counter.builder("winipc.pipe.messages")
                .description("Pipe messages read (in) and written (out)")
                .tag("endpoint", endpoint).tag("side", side).tag("direction", direction)
                .register(registry).increment();
        Counter.builder("winipc.pipe.bytes")
                .description("Payload bytes of pipe messages read (in) and written (out)")
                .baseUnit("bytes")
                .tag("endpoint", endpoint).tag("side", side).tag("direction", direction)
                .register(registry).increment(bytes);
    }
}
