package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.LockResult;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
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

    /**
     * Issue F, section 2: a C peer creates every kind of object with a DACL that grants this user
     * only what using it takes (section: map read/write and query; mutex, event, semaphore:
     * SYNCHRONIZE and modify state; pipe: read, write data and attributes, no
     * FILE_CREATE_PIPE_INSTANCE). winipc's opens ask for no more, except READ_CONTROL to check the
     * owner, which the DACL need not grant here: the opener is the objects' owner, and an owner
     * holds READ_CONTROL implicitly (Windows and Wine alike). So they succeed and every
     * operation works; asking for *_ALL_ACCESS or GENERIC_WRITE was refused with error 5 (Wine
     * checks these masks on open as Windows does).
     */
    @Test
    void winipcOpensAndUsesObjectsACPeerCreatedWithLeastPrivilegeDacls() throws Exception {
        String shmName = TestNames.unique("c-lp-shm");
        String mutexName = TestNames.unique("c-lp-mutex");
        String eventName = TestNames.unique("c-lp-event");
        String semaphoreName = TestNames.unique("c-lp-semaphore");
        String pipeName = TestNames.unique("c-lp-pipe");
        Peer peer = startPeer("least-privilege", shmName, mutexName, eventName, semaphoreName, pipeName);
        BufferedReader out = new BufferedReader(new InputStreamReader(peer.process().getInputStream(), StandardCharsets.UTF_8));
        try {
            useLeastPrivilegeObjects(out, shmName, mutexName, eventName, semaphoreName, pipeName);
        } catch (RuntimeException | Error e) {
            // The peer would wait for its pipe client for ever.
            peer.process().destroyForcibly();
            throw e;
        }
        assertThat(rest(peer, out)).containsExactly("least-privilege ok");
    }

    private static void useLeastPrivilegeObjects(BufferedReader out, String shmName, String mutexName, String eventName,
            String semaphoreName, String pipeName) throws IOException {
        assertThat(out.readLine()).isEqualTo("ready");
        try (SharedMemory shm = SharedMemory.open(shmName);
                Mutex mutex = Mutex.open(mutexName);
                Event event = Event.open(eventName);
                Semaphore semaphore = Semaphore.open(semaphoreName);
                PipeConnection pipe = PipeClient.connect(pipeName,
                        PipeClientOptions.defaults().withMode(PipeMode.MESSAGE).withConnectTimeout(TIMEOUT))) {
            assertThat(shm.size()).isEqualTo(4096);
            assertThat(new String(shm.read(0, 6), StandardCharsets.US_ASCII)).isEqualTo("from c");
            shm.write(100, "from java".getBytes(StandardCharsets.US_ASCII));
            assertThat(mutex.acquire(TIMEOUT)).isEqualTo(LockResult.ACQUIRED);
            mutex.unlock();
            semaphore.release(2);
            event.signal();
            pipe.writeMessage("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(pipe.readMessage()).asString(StandardCharsets.US_ASCII).isEqualTo("pong");
            assertThat(event.await(TIMEOUT)).isTrue();
            assertThat(semaphore.tryAcquire(TIMEOUT)).isTrue();
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
        return rest(running, new BufferedReader(new InputStreamReader(running.process().getInputStream(), StandardCharsets.UTF_8)));
    }

    /** @return the lines left in {@code out} once the peer exited with 0 */
    private static List<String> rest(Peer running, BufferedReader out) throws Exception {
        Process peer = running.process();
        List<String> lines = new ArrayList<>();
        try (out) {
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
