package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.testing.TestNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A C program (src/test/c/peer.c, built with mingw-w64 by the wine profile) reaches winipc objects
 * through the plain Win32 API and the documented names, with no Java on its side.
 */
@EnabledOnOs(OS.WINDOWS)
@EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
class CPeerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aCClientExchangesBytesWithAByteModeServer() throws Exception {
        String name = TestNames.unique("c-byte");
        try (PipeServer server = PipeServer.listen(name)) {
            Peer peer = startPeer("pipe-byte", name);
            try (PipeConnection c = server.accept(TIMEOUT)) {
                byte[] ping = c.readFully("ping from c".length());
                c.write(("pong: " + new String(ping, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(output(peer)).containsExactly("reply pong: ping from c");
        }
    }

    @Test
    void aCClientExchangesWholeMessagesWithAMessageModeServer() throws Exception {
        String name = TestNames.unique("c-message");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            Peer peer = startPeer("pipe-message", name);
            List<Integer> sizes = new ArrayList<>();
            try (PipeConnection c = server.accept(TIMEOUT)) {
                for (byte[] m; (m = c.readMessage()) != null; ) {
                    sizes.add(m.length);
                    c.writeMessage(m);
                }
            }
            assertThat(output(peer)).containsExactly("messages ok");
            assertThat(sizes).containsExactly("first message".length(), 0, 100_000);
        }
    }

    @Test
    void aCProgramOpensASharedMemoryRegionAndSignalsAnEvent() throws Exception {
        String shmName = TestNames.unique("c-shm");
        String eventName = TestNames.unique("c-event");
        try (SharedMemory shm = SharedMemory.create(shmName, 4096);
                Event ready = Event.create(eventName, EventResetMode.AUTO)) {
            shm.write(0, "from java\0".getBytes(StandardCharsets.US_ASCII));
            Peer peer = startPeer("shm", shmName, eventName);
            assertThat(ready.await(TIMEOUT)).isTrue();
            assertThat(new String(shm.read(100, 6), StandardCharsets.US_ASCII)).isEqualTo("from c");
            assertThat(output(peer)).containsExactly("shm from java");
        }
    }

    /** A running C peer and the file its standard error goes to. */
    private record Peer(Process process, Path stderr) {
    }

    private static Peer startPeer(String... args) throws IOException {
        String exe = System.getProperty("winipc.test.peerExe");
        if (exe.startsWith("/")) {
            exe = "Z:" + exe.replace('/', '\\');
        }
        assertThat(Files.exists(Path.of(exe))).as("the C peer was built: " + exe).isTrue();
        List<String> command = new ArrayList<>(List.of(exe));
        command.addAll(List.of(args));
        // Standard error goes to a file: under Wine, reading a child's stderr pipe with
        // readAllBytes fails (the JDK asks the pipe for its size, which Wine does not support).
        Path stderr = Files.createTempFile("winipc-c-peer-", ".err");
        stderr.toFile().deleteOnExit();
        return new Peer(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
    }

    /** @return the peer's output lines once it exited with 0 */
    private static List<String> output(Peer running) throws Exception {
        Process peer = running.process();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (!peer.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            peer.destroyForcibly();
            throw new AssertionError("C peer still running");
        }
        String errors = Files.readString(running.stderr());
        Files.deleteIfExists(running.stderr());
        assertThat(peer.exitValue()).as("C peer exit code; its stderr: " + errors).isZero();
        return lines;
    }
}
