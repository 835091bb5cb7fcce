package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.WinipcException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.testing.AppProcess;
import io.winipc.spring.testing.BusyEndpointsApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Four endpoints with busy handlers, in their own {@code java -jar} process, closed with a drain
 * timeout of 5 s: every listener stops at once, the drains run together, what outlives the drain
 * is interrupted, and the JVM can exit on its own afterwards.
 */
@EnabledOnOs(OS.LINUX)
class ShutdownDrainProcessTests {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> ENDPOINTS = List.of("busy-1", "busy-2", "busy-3", "busy-4");

    @Test
    void fourBusyEndpointsStopAcceptingAtOnceDrainTogetherAndCutOffWhatOutlivesTheDrain() throws Exception {
        String prefix = "drain-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        ExecutorService clients = Executors.newCachedThreadPool();
        try (AppProcess app = AppProcess.start(BusyEndpointsApp.class, "--app.prefix=" + prefix,
                "--winipc.pipe.drain-timeout=" + DRAIN_TIMEOUT.toSeconds() + "s")) {
            app.awaitLine("READY"::equals, Duration.ofMinutes(2));
            // Per endpoint: a request that ends within the drain, one that would outlast it; on busy-1 also a hung one.
            Map<String, CompletableFuture<String>> replies = new ConcurrentHashMap<>();
            for (String endpoint : ENDPOINTS) {
                replies.put(endpoint + " short", CompletableFuture.supplyAsync(() -> request(prefix, endpoint, "sleep 2000"), clients));
                replies.put(endpoint + " long", CompletableFuture.supplyAsync(() -> request(prefix, endpoint, "sleep 60000"), clients));
            }
            replies.put("busy-1 hang", CompletableFuture.supplyAsync(() -> request(prefix, "busy-1", "hang"), clients));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(app.lines().stream().filter(l -> l.startsWith("HANDLING ")).count()).isEqualTo(9));

            long closing = System.nanoTime();
            app.send("close");
            app.awaitLine(l -> l.contains("Pipe endpoints stopped accepting; draining 9 connections on 4 endpoints, up to 5s"),
                    Duration.ofSeconds(30));
            // From here on no endpoint may accept anyone: probe each of them until the drain ends.
            List<String> accepted = new ArrayList<>();
            int probes = 0;
            while (app.line(l -> l.contains("Pipe endpoints drained in")).isEmpty() && app.process().isAlive()) {
                for (String endpoint : ENDPOINTS) {
                    probes++;
                    String reply = probe(prefix, endpoint);
                    if (reply != null) {
                        accepted.add(endpoint + " answered '" + reply + "' "
                                + Duration.ofNanos(System.nanoTime() - closing).toMillis() + " ms after close");
                    }
                }
            }
            await().atMost(DRAIN_TIMEOUT.plusSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !app.process().isAlive());
            Duration exit = Duration.ofNanos(System.nanoTime() - closing);
            String closed = app.awaitLine(l -> l.startsWith("CLOSED "), Duration.ofSeconds(5));
            System.out.println("four busy endpoints, drain-timeout 5s: context closed in "
                    + closed.substring("CLOSED ".length()) + " ms, process exited " + exit.toMillis()
                    + " ms after the close command; " + probes + " probes during the drain");

            String output = app.output();
            assertThat(accepted).as("connections accepted after the stop began").isEmpty();
            assertThat(probes).as("probes made during the drain").isPositive();
            assertThat(app.process().exitValue()).as("the JVM ended on its own after close; output:\n%s", output).isZero();
            assertThat(exit).as(output).isLessThanOrEqualTo(DRAIN_TIMEOUT.plusSeconds(2));
            // The core's process-wide daemon service threads (the cleaner, the socket poller) may stay; no other.
            String threads = app.awaitLine(l -> l.startsWith("WINIPC-THREADS "), Duration.ofSeconds(5));
            assertThat(threads.substring("WINIPC-THREADS [".length(), threads.length() - 1).split(", "))
                    .isSubsetOf("", "winipc-cleaner (daemon)", "winipc-poller (daemon)");
            assertThat(output).contains("INTERRUPTED busy-1");
            assertThat(output).contains("Pipe endpoint 'busy-1': 2 handlers were still running after the drain timeout of 5s");
            for (String endpoint : List.of("busy-2", "busy-3", "busy-4")) {
                assertThat(output).contains("Pipe endpoint '" + endpoint + "': 1 handler was still running after the drain timeout of 5s");
            }
            assertThat(output).contains("Pipe endpoints drained in").contains(": 4 connections finished, 5 cut off");
            assertThat(output).as("a connection the drain closed is not a handler failure").doesNotContain("failed; its connection is closed");
            for (String endpoint : ENDPOINTS) {
                assertThat(replies.get(endpoint + " short").join()).isEqualTo("slept");
                assertThat(replies.get(endpoint + " long").join()).startsWith("no reply");
            }
            assertThat(replies.get("busy-1 hang").join()).startsWith("no reply");
        } finally {
            clients.shutdownNow();
        }
    }

    private static String request(String prefix, String endpoint, String text) {
        PipeClientOptions options = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE).withConnectTimeout(Duration.ofSeconds(30));
        try (PipeConnection connection = PipeClient.connect(prefix + "/" + endpoint, options)) {
            connection.setReadTimeout(Duration.ofSeconds(90));
            connection.writeMessage(text.getBytes(StandardCharsets.UTF_8));
            byte[] reply = connection.readMessage();
            return reply == null ? "no reply (end of stream)" : new String(reply, StandardCharsets.UTF_8);
        } catch (WinipcException e) {
            return "no reply (" + e + ")";
        }
    }

    /** @return the reply if the endpoint accepted and answered, null if it could not be reached or did not answer */
    private static String probe(String prefix, String endpoint) {
        PipeClientOptions options = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE).withConnectTimeout(Duration.ofMillis(200));
        try (PipeConnection connection = PipeClient.connect(prefix + "/" + endpoint, options)) {
            connection.setReadTimeout(Duration.ofSeconds(2));
            connection.writeMessage("probe".getBytes(StandardCharsets.UTF_8));
            byte[] reply = connection.readMessage();
            return reply == null ? null : new String(reply, StandardCharsets.UTF_8);
        } catch (WinipcException e) {
            return null;
        }
    }
}
