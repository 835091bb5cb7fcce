package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.winipc.WinipcTimeoutException;
import io.winipc.spring.client.NoReplyException;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import io.winipc.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring Boot application serving {@code @PipeEndpoint}s, and a plain winipc client in another
 * JVM talking to it over real pipes.
 */
@SpringBootTest(classes = EndpointsApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "management.endpoint.health.show-details=always", "winipc.pipe.drain-timeout=30s",
        "winipc.client.connect-timeout=300ms"})
class PipeEndpointIntegrationTests {
    static final String PREFIX = "spring-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    static ChildJvm client;

    @Autowired
    PipeTemplate template;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PipeEndpointRegistry registry;
    @Autowired
    HealthEndpoint healthEndpoint;
    @Autowired
    EndpointsApp.Handlers handlers;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("test.prefix", () -> PREFIX);
    }

    @BeforeAll
    static void startClient() {
        client = io.winipc.spring.testing.PipeClientChild.launch();
    }

    @AfterAll
    static void stopClient() {
        io.winipc.spring.testing.PipeClientChild.exit(client);
    }

    @Test
    void answersAStringRequestFromAnotherProcess() {
        assertThat(client.ask("request " + PREFIX + "/echo hello")).isEqualTo("reply hello");
    }

    @Test
    void answersEveryRequestOnOneConnection() {
        assertThat(client.ask("requests " + PREFIX + "/echo 5 m")).isEqualTo("reply m4");
    }

    @Test
    void passesThePeerPidAndThePipeNameToAnnotatedParameters() {
        assertThat(client.ask("request " + PREFIX + "/whoami x")).isEqualTo("reply " + client.pid() + " " + PREFIX + "/whoami");
    }

    @Test
    void passesRawBytesThroughAByteArrayHandler() {
        byte[] request = {0, 1, 2, (byte) 0xff};
        String reply = client.ask("bytes " + PREFIX + "/reverse " + Base64.getEncoder().encodeToString(request));
        assertThat(Base64.getDecoder().decode(reply.substring("reply ".length()))).containsExactly(0xff, 2, 1, 0);
    }

    @Test
    void convertsJsonToAndFromObjects() {
        assertThat(client.ask("request " + PREFIX + "/greet {\"name\":\"Ada\"}")).isEqualTo("reply {\"greeting\":\"Hello, Ada\"}");
    }

    @Test
    void deliversOneWayMessagesWithoutAReply() {
        assertThat(client.ask("send " + PREFIX + "/log one-way hello")).isEqualTo("sent");
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.received.contains("one-way hello"));
    }

    @Test
    void handsAByteModeConnectionToAStreamingHandler() {
        assertThat(client.ask("stream " + PREFIX + "/upper shout")).isEqualTo("line SHOUT");
    }

    @Test
    void closesTheConnectionWithoutAReplyWhenTheHandlerThrowsAndKeepsServing() {
        double errorsBefore = handlerErrors();
        assertThat(client.ask("request " + PREFIX + "/flaky boom")).isEqualTo("no-reply");
        assertThat(client.ask("request " + PREFIX + "/flaky fine")).isEqualTo("reply fine");
        assertThat(handlerErrors()).isEqualTo(errorsBefore + 1);
        PipeListenerContainer flaky = registry.getContainer("flaky");
        assertThat(flaky.isRunning()).isTrue();
        assertThat(flaky.lastError()).hasValueSatisfying(e -> {
            assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.message()).isEqualTo("boom requested");
        });
        assertThatThrownBy(() -> template.request(PREFIX + "/flaky", "boom", String.class))
                .isInstanceOf(NoReplyException.class);
    }

    private double handlerErrors() {
        var timer = meters.find("winipc.pipe.handler").tags("endpoint", "flaky", "result", "error",
                "exception", "IllegalStateException").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void closesAConnectionWhoseMessageExceedsTheMaximumAndKeepsServing() {
        double failed = count("winipc.pipe.connections", "endpoint", "small", "side", "server", "result", "failed");
        assertThat(client.ask("request " + PREFIX + "/small " + "x".repeat(17)))
                // the server may close before the client finished writing its frame
                .matches("no-reply|error io\\.winipc\\.BrokenPipeException.*");
        assertThat(client.ask("request " + PREFIX + "/small " + "x".repeat(16))).isEqualTo("reply " + "x".repeat(16));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                count("winipc.pipe.connections", "endpoint", "small", "side", "server", "result", "failed"))
                .isEqualTo(failed + 1));
        assertThat(registry.getContainer("small").getHandlerErrorCount()).isZero();
    }

    @Test
    void templateSendsObjectsAndReadsTheConvertedReply() {
        assertThat(template.request(PREFIX + "/greet", new EndpointsApp.Person("Bob"), EndpointsApp.Greeting.class))
                .isEqualTo(new EndpointsApp.Greeting("Hello, Bob"));
        assertThat(template.request(PREFIX + "/echo", "plain text", String.class)).isEqualTo("plain text");
        assertThat(template.request(PREFIX + "/reverse", new byte[] {1, 2}, byte[].class)).containsExactly(2, 1);
    }

    @Test
    void templateSendsOneWayMessagesAndReusesAConnectionForSeveralRequests() {
        template.send(PREFIX + "/log", "from the template");
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.received.contains("from the template"));
        try (var connection = template.connect(PREFIX + "/echo")) {
            assertThat(template.exchange(connection, "one", String.class)).isEqualTo("one");
            assertThat(template.exchange(connection, "two", String.class)).isEqualTo("two");
        }
    }

    @Test
    void countsMessagesBytesConnectionsAndHandlerCalls() {
        double messagesIn = count("winipc.pipe.messages", "endpoint", "echo", "side", "server", "direction", "in");
        double bytesOut = count("winipc.pipe.bytes", "endpoint", "echo", "side", "server", "direction", "out");
        double completed = count("winipc.pipe.connections", "endpoint", "echo", "side", "server", "result", "completed");
        assertThat(client.ask("request " + PREFIX + "/echo 12345")).isEqualTo("reply 12345");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                count("winipc.pipe.connections", "endpoint", "echo", "side", "server", "result", "completed"))
                .isEqualTo(completed + 1));
        assertThat(count("winipc.pipe.messages", "endpoint", "echo", "side", "server", "direction", "in")).isEqualTo(messagesIn + 1);
        assertThat(count("winipc.pipe.bytes", "endpoint", "echo", "side", "server", "direction", "out")).isEqualTo(bytesOut + 5);
        assertThat(meters.get("winipc.pipe.handler").tags("endpoint", "echo", "result", "success", "exception", "none")
                .timer().count()).isPositive();
        assertThat(meters.get("winipc.pipe.connections.active").tag("endpoint", "echo").gauge().value()).isZero();
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags())
                .noneMatch(t -> t.getValue().equals(String.valueOf(client.pid()))));
    }

    @Test
    void countsConnectRetriesOfTheTemplate() {
        String absent = PREFIX + "/absent";
        assertThatThrownBy(() -> template.connect(absent, Duration.ofMillis(500))).isInstanceOf(WinipcTimeoutException.class);
        assertThat(count("winipc.pipe.connect.retries", "endpoint", absent)).isPositive();
        assertThat(count("winipc.pipe.connections", "endpoint", absent, "side", "client", "result", "timeout")).isEqualTo(1);
    }

    private double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void reportsEndpointsInTheHealthJson() {
        JsonNode json = JsonMapper.builder().build().valueToTree(healthEndpoint.healthForPath("winipc"));
        assertThat(json.at("/status").asString()).isEqualTo("UP");
        assertThat(json.at("/components/platform/status").asString()).isEqualTo("UP");
        assertThat(json.at("/components/platform/details/backend").asString())
                .isEqualTo(org.junit.jupiter.api.condition.OS.WINDOWS.isCurrentOs() ? "windows" : "linux");
        JsonNode echo = json.at("/components/endpoints/components/echo");
        assertThat(echo.at("/status").asString()).isEqualTo("UP");
        assertThat(echo.at("/details/pipe").asString()).isEqualTo(PREFIX + "/echo");
        assertThat(echo.at("/details/mode").asString()).isEqualTo("MESSAGE");
        assertThat(echo.at("/details/listening").asBoolean()).isTrue();
        assertThat(echo.at("/details/maxInstances").asInt()).isEqualTo(16);
        assertThat(echo.at("/details/instancesBusy").asInt() + echo.at("/details/instancesFree").asInt()).isEqualTo(16);
    }

    @Test
    void stopsAndRestartsAnEndpointById() {
        registry.stop("whoami");
        assertThat(registry.getContainer("whoami").isRunning()).isFalse();
        assertThat(healthEndpoint.healthForPath("winipc", "endpoints", "whoami").getStatus().getCode()).isEqualTo("OUT_OF_SERVICE");
        assertThatThrownBy(() -> template.connect(PREFIX + "/whoami", Duration.ofMillis(300)))
                .isInstanceOf(WinipcTimeoutException.class);
        registry.start("whoami");
        assertThat(client.ask("request " + PREFIX + "/whoami x")).startsWith("reply " + client.pid());
        assertThat(healthEndpoint.healthForPath("winipc", "endpoints", "whoami").getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void stoppingWaitsForTheRunningHandlerToFinish() throws Exception {
        handlers.slowGate = new CountDownLatch(1);
        PipeListenerContainer slow = registry.getContainer("slow");
        // Own threads: the common pool may have a single thread, which the blocked request would hold.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<String> reply = threads.submit(() -> client.ask("request " + PREFIX + "/slow job"));
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.getBusyInstances() == 1);
            java.util.concurrent.Future<?> stopping = threads.submit((Runnable) slow::stop);
            await().atMost(Duration.ofSeconds(30)).until(() -> !slow.isRunning());
            assertThat(stopping).as("stop waits for the running handler").isNotDone();
            handlers.slowGate.countDown();
            assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("reply done job");
            stopping.get(30, TimeUnit.SECONDS);
        } finally {
            handlers.slowGate.countDown();
            threads.shutdownNow();
            slow.start();
        }
        assertThat(slow.isRunning()).isTrue();
    }
}
