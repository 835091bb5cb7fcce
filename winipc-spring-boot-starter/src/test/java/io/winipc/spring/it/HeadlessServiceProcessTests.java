package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.testing.AppProcess;
import io.winipc.spring.testing.HeadlessServiceApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A headless service (the starter and one {@code @PipeEndpoint}, no web server, a {@code main}
 * that returns) run with {@code java -jar}: it stays up while its endpoint runs and ends cleanly
 * on SIGTERM.
 */
@EnabledOnOs(OS.LINUX)
class HeadlessServiceProcessTests {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void staysUpAnswersAndEndsOnSigtermWithinTheDrainTimeoutLeavingNoFiles() throws Exception {
        String pipe = "headless-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "/echo";
        try (AppProcess app = AppProcess.start(HeadlessServiceApp.class, "--app.pipe=" + pipe)) {
            String listening = app.awaitLine(l -> l.contains("Pipe endpoint 'echo' listening on '" + pipe + "'"),
                    Duration.ofMinutes(2));
            assertThat(listening).contains("(mode MESSAGE, scope LOCAL, concurrency 16)");
            Path socket = Path.of(listening.substring(listening.lastIndexOf(" at ") + 4));
            Path lock = Path.of(socket + ".lock");
            assertThat(socket).as("the socket path the start-up line names").exists();
            long started = System.nanoTime();
            assertThat(echo(pipe, "first")).isEqualTo("first");

            // Liveness: the same process answers again ten seconds later, having never exited.
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                    .failFast("the application exited; output:\n" + app.output(), () -> !app.process().isAlive())
                    .until(() -> Duration.ofNanos(System.nanoTime() - started).toSeconds() >= 10
                            && "still here".equals(echo(pipe, "still here")));
            assertThat(app.line(l -> l.contains("Started HeadlessServiceApp"))).as(app.output()).isPresent();

            app.process().destroy(); // SIGTERM
            long signalled = System.nanoTime();
            await().atMost(DRAIN_TIMEOUT.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !app.process().isAlive());
            Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
            System.out.println("headless service exited " + exit.toMillis() + " ms after SIGTERM");
            assertThat(app.process().exitValue()).as(app.output()).isIn(0, 130, 143);
            assertThat(socket).doesNotExist();
            assertThat(lock).doesNotExist();
            assertThat(shmFilesNaming(pipe)).isEmpty();
        }
    }

    private static String echo(String pipe, String text) {
        PipeClientOptions options = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE).withConnectTimeout(Duration.ofSeconds(5));
        try (PipeConnection connection = PipeClient.connect(pipe, options)) {
            connection.setReadTimeout(Duration.ofSeconds(10));
            connection.writeMessage(text.getBytes(StandardCharsets.UTF_8));
            byte[] reply = connection.readMessage();
            return reply == null ? null : new String(reply, StandardCharsets.UTF_8);
        }
    }

    /** Files in /dev/shm whose name contains this test's unique pipe prefix (others' files are not ours to count). */
    private static List<Path> shmFilesNaming(String pipe) throws IOException {
        String unique = pipe.substring(0, pipe.indexOf('/'));
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.filter(f -> f.getFileName().toString().contains(unique)).toList();
        }
    }
}
