package io.winipc.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.shm.SharedMemory;
import io.winipc.testing.NamedObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A C program (src/test/c/channel_peer.c) sends to and receives from Java through a channel,
 * using only the layout and waiting protocol of docs/channel.md. On Linux the test builds it with
 * gcc; under Wine the wine profile builds it with mingw-w64 and names it in
 * {@code winipc.test.channelPeer}.
 */
class ChannelCPeerTest {
    private static final int MAX = 3000;
    private static final int COUNT = 20_000;
    private static Path peer;

    @BeforeAll
    static void buildPeer() throws Exception {
        String built = System.getProperty("winipc.test.channelPeer");
        if (built != null && !built.isEmpty()) {
            peer = Path.of(built);
            return;
        }
        Assumptions.assumeFalse(System.getProperty("os.name").toLowerCase().startsWith("windows"),
                "on Windows the wine profile builds the peer and sets winipc.test.channelPeer");
        Path source = Path.of("src/test/c/channel_peer.c").toAbsolutePath();
        Path out = Path.of("target/c-peer/channel-peer").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", out.toString(), source.toString()).inheritIO().start();
        assertThat(gcc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as("gcc exit code").isZero();
        peer = out;
    }

    @Test
    void aCSenderReachesASleepingJavaReceiver() throws Exception {
        String name = NamedObjects.unique(ChannelCPeerTest.class);
        try (ChannelReceiver in = ChannelReceiver.create(name, ChannelOptions.defaults().withCapacity(8192).withMaxMessageSize(MAX));
                SharedMemory raw = SharedMemory.open(name)) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                long expected = 0;
                try {
                    for (;;) {
                        byte[] m = in.receive(Duration.ofSeconds(60));
                        assertThat(m).as("message %d", expected).isNotNull();
                        assertThat(Messages.sequenceOf(m, MAX)).isEqualTo(expected);
                        expected++;
                    }
                } catch (PeerGoneException e) {
                    assertThat(e.peerCrashed()).isFalse();
                    return expected;
                }
            });
            // The receiver sleeps in the OS before the peer starts: the peer's first message has to wake it.
            await().until(() -> raw.getIntVolatile(Layout.RECEIVER_WAITING_OFFSET) == 1);
            Peer p = start("send", name, Integer.toString(COUNT), Integer.toString(MAX));
            assertThat(received.get(120, TimeUnit.SECONDS)).isEqualTo(COUNT);
            assertThat(finish(p)).isEqualTo("sent " + COUNT);
        }
    }

    @Test
    void aCReceiverGetsEverythingAJavaSenderSendsThroughAFullRing() throws Exception {
        String name = NamedObjects.unique(ChannelCPeerTest.class);
        try (ChannelSender out = ChannelSender.create(name, ChannelOptions.defaults().withCapacity(8192).withMaxMessageSize(MAX))) {
            Peer p = start("receive", name, Integer.toString(MAX));
            // The ring (8 KiB) is far smaller than what is sent: the sender waits for room many times.
            for (long seq = 0; seq < COUNT; seq++) {
                assertThat(out.send(Messages.message(seq, MAX), Duration.ofSeconds(60))).as("send %d", seq).isTrue();
            }
            out.close();
            assertThat(finish(p)).isEqualTo("received " + COUNT);
        }
    }

    @Test
    void aSecondReceiverIsRefused() throws Exception {
        String name = NamedObjects.unique(ChannelCPeerTest.class);
        try (ChannelSender out = ChannelSender.create(name, ChannelOptions.defaults().withCapacity(8192).withMaxMessageSize(MAX));
                ChannelReceiver in = ChannelReceiver.open(name)) {
            Peer p = start("receive", name, Integer.toString(MAX));
            assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process().exitValue()).isEqualTo(1);
            assertThat(p.stderr()).contains("already has a receiver");
            assertThatThrownBy(() -> ChannelReceiver.open(name)).isInstanceOf(io.winipc.ObjectExistsException.class);
        }
    }

    /** A started peer; its output goes to files (reading a Windows child's pipes after it exited fails under Wine). */
    private record Peer(Process process, Path out, Path err) {
        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
    }

    private static Peer start(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = peer.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Path out = Files.createTempFile("channel-peer-", ".out");
        Path err = Files.createTempFile("channel-peer-", ".err");
        out.toFile().deleteOnExit();
        err.toFile().deleteOnExit();
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Peer(p, out, err);
    }

    /** @return the peer's one line of output, after checking it exited 0 */
    private static String finish(Peer peer) throws Exception {
        assertThat(peer.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(peer.process().exitValue()).as("peer exit code; stderr: %s", peer.stderr()).isZero();
        return Files.readString(peer.out(), StandardCharsets.UTF_8).strip();
    }
}
