package io.winipc.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end: the packaged executable jar runs as its own process; other processes (the jar's
 * client mode, and Python with only its standard library) talk to it over pipes; Actuator's health
 * and metrics are read over HTTP on a random free port.
 */
class SampleAppIT {
    static final String PREFIX = "sample-e2e-" + ProcessHandle.current().pid();
    static final Path JAR = Path.of(System.getProperty("sample.jar", "target/winipc-sample-app-0.1.0-SNAPSHOT.jar"));
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static Process app;
    static Path appLog;
    static int port;

    @BeforeAll
    static void startTheJar() throws IOException {
        assertThat(JAR).as("the executable jar, built by the package phase").exists();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        appLog = Files.createTempFile("winipc-sample-", ".log");
        app = new ProcessBuilder(java(), "-jar", JAR.toString(), "--server.port=" + port,
                "--sample.pipe-prefix=" + PREFIX, "--sample.client-interval=1s", "--sample.producer-interval=500ms")
                .redirectErrorStream(true).redirectOutput(appLog.toFile()).start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            assertThat(app.isAlive()).as("sample app running; log:\n%s", Files.readString(appLog)).isTrue();
            return get("/actuator/health").statusCode() == 200;
        });
    }

    @AfterAll
    static void stopTheJar() throws Exception {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(60, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
        Path socket = localSocket("echo");
        assertThat(socket).as("the pipe's socket is removed on graceful shutdown").doesNotExist();
        Files.deleteIfExists(appLog);
    }

    /**
     * The README's first commands build and run this very jar, and the client-mode commands of
     * docs/sample-app.md name it too, so they work right after the README's first command.
     */
    @Test
    void theReadmesFirstCommandsBuildTheJarTheClientModeCommandsUse() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> setUp = readme.substring(readme.indexOf("## Set up and run")).lines()
                .dropWhile(l -> !l.startsWith("```sh")).skip(1).takeWhile(l -> !l.startsWith("```")).toList();
        assertThat(setUp.get(0)).startsWith("./mvnw -q -pl winipc-sample-app -am package -DskipTests");
        assertThat(setUp.get(1)).startsWith("java -jar ");
        Path run = root.resolve(setUp.get(1).split("\\s+")[2]).normalize();
        assertThat(run).isEqualTo(JAR.toAbsolutePath().normalize());
        String clientMode = Files.readString(root.resolve("docs/sample-app.md")).lines()
                .filter(l -> l.startsWith("J=")).findFirst().orElseThrow();
        assertThat(root.resolve(clientMode.substring(2).trim()).normalize()).isEqualTo(run);
    }

    @Test
    void theJarsClientModeGetsAnEchoFromAnotherProcess() throws Exception {
        assertThat(clientMode("echo", "hello from the client mode")).isEqualTo("hello from the client mode");
    }

    @Test
    void theJarsClientModeGetsAJsonQuote() throws Exception {
        JsonNode quote = JSON.readTree(clientMode("quote", "acme"));
        assertThat(quote.get("symbol").asString()).isEqualTo("ACME");
        assertThat(quote.get("priceCents").asLong()).isPositive();
    }

    @Test
    void theJarsClientModeStreamsOverAByteModePipe() throws Exception {
        assertThat(clientMode("upper", "shout this")).isEqualTo("SHOUT THIS");
    }

    @Test
    void jobsFromSeveralProcessesRunAtMostTwoAtOnce() throws Exception {
        List<Process> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(new ProcessBuilder(java(), "-jar", JAR.toString(), "client", "--prefix=" + PREFIX, "job", "300")
                    .redirectErrorStream(true).start());
        }
        for (Process client : clients) {
            assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(client.exitValue()).as(out).isZero();
            assertThat(out).startsWith("job done");
        }
        JsonNode status = JSON.readTree(get("/status").body());
        assertThat(status.at("/jobsDone").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(status.at("/jobsMostAtOnce").asInt()).isBetween(1, 2);
    }

    @Test
    void theConsumerReadsWhatTheProducerWroteIntoSharedMemory() {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode seen = JSON.readTree(get("/status").body()).at("/boardLastSeen");
            assertThat(seen.at("/sequence").asLong()).isPositive();
            assertThat(seen.at("/text").asString()).startsWith("entry " + seen.at("/sequence").asLong() + " from pid ");
        });
    }

    @Test
    void aPythonClientWithOnlyTheStandardLibraryGetsAnEcho() throws Exception {
        String script = "import os, sys; from multiprocessing.connection import Client; "
                + "c = Client(sys.argv[1], family='AF_UNIX'); c.send_bytes(b'hello from python'); "
                + "print(c.recv_bytes().decode())";
        Process python = new ProcessBuilder("python3", "-c", script, localSocket("echo").toString())
                .redirectErrorStream(true).start();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(python.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("hello from python");
    }

    @Test
    void healthReportsEveryEndpointListening() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.at("/status").asString()).isEqualTo("UP");
        JsonNode winipc = health.at("/components/winipc");
        assertThat(winipc.at("/status").asString()).isEqualTo("UP");
        assertThat(winipc.at("/components/platform/details/backend").asString()).isEqualTo("linux");
        for (String id : List.of("shared-memory-board", "event-board-updated", "semaphore-jobs", "mutex-board-lock")) {
            JsonNode object = winipc.at("/components/objects/components/" + id);
            assertThat(object.at("/status").asString()).as(id).isEqualTo("UP");
            assertThat(object.at("/details/name").asString()).as(id).startsWith(PREFIX + "/");
        }
        for (String id : List.of("echo", "quote", "upper", "job")) {
            JsonNode endpoint = winipc.at("/components/endpoints/components/" + id);
            assertThat(endpoint.at("/status").asString()).as(id).isEqualTo("UP");
            assertThat(endpoint.at("/details/listening").asBoolean()).as(id).isTrue();
            assertThat(endpoint.at("/details/pipe").asString()).isEqualTo(PREFIX + "/" + id);
        }
    }

    @Test
    void metricsCountTheMessagesOtherProcessesSent() throws Exception {
        clientMode("echo", "counted");
        JsonNode messages = JSON.readTree(get("/actuator/metrics/winipc.pipe.messages?tag=endpoint:echo&tag=direction:in").body());
        assertThat(messages.at("/measurements/0/value").asDouble()).isGreaterThanOrEqualTo(1);
        JsonNode active = JSON.readTree(get("/actuator/metrics/winipc.pipe.connections.active?tag=endpoint:echo").body());
        assertThat(active.at("/name").asString()).isEqualTo("winipc.pipe.connections.active");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode handler = JSON.readTree(get("/actuator/metrics/winipc.pipe.handler?tag=endpoint:quote&tag=result:success").body());
            assertThat(handler.at("/measurements/0/value").asDouble()).as("calls by the scheduled client").isGreaterThanOrEqualTo(1);
        });
    }

    private static String clientMode(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "client", "--prefix=" + PREFIX));
        command.addAll(List.of(args));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(client.exitValue()).as(out).isZero();
        return out;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The socket path README documents: the per-user runtime directory, then the encoded name. */
    private static Path localSocket(String endpoint) {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        Path dir;
        if (xdg != null && !xdg.isBlank()) {
            dir = Path.of(xdg, "winipc");
        } else {
            dir = Path.of("/tmp", "winipc-" + uid());
        }
        return dir.resolve(PREFIX + "%2F" + endpoint + ".sock");
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
