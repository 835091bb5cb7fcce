package io.winipc.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A peer killed abruptly (SIGKILL on Linux, TerminateProcess on Windows) at random points: the
 * receiver gets every message acknowledged as sent, none twice and none torn, then learns of the
 * crash; a sender waiting for room learns that the receiver died.
 */
class ChannelCrashTest {
    private static final int ROUNDS = 6;
    private static final int MAX = 3000;

    @Test
    void aSenderKilledAtRandomPointsLosesDuplicatesAndTearsNothing() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String name = NamedObjects.unique(ChannelCrashTest.class);
            try (ChannelReceiver in = ChannelReceiver.create(name, ChannelOptions.defaults().withCapacity(16384).withMaxMessageSize(MAX));
                    ChildJvm sender = ChildJvm.start(ChannelChild.class, "send", name, "-1", Integer.toString(MAX),
                    round % 2 == 0 ? "1" : "64")) {
                assertThat(sender.readLine()).isEqualTo("ready");
                AtomicLong lastAcked = new AtomicLong(-1);
                CompletableFuture<Void> acks = CompletableFuture.runAsync(() -> {
                    try {
                        for (;;) {
                            String line = sender.readLine();
                            lastAcked.set(Long.parseLong(line.substring("acked ".length())));
                        }
                    } catch (AssertionError | java.io.UncheckedIOException endOfOutput) {
                        // The child is gone. (When a process exits the JDK drains and closes its output pipe, and a
                        // read racing with that fails with "Stream closed": the acknowledgements read so far stand.)
                    }
                });
                // Receive for a random while, so that the kill lands at a random point of a send.
                long expected = 0;
                long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(50, 400) * 1_000_000L;
                while (System.nanoTime() < until || expected < 100) {
                    byte[] m = in.receive(Duration.ofSeconds(30));
                    assertThat(m).as("message %d", expected).isNotNull();
                    assertThat(Messages.sequenceOf(m, MAX)).isEqualTo(expected);
                    expected++;
                }
                sender.kill();
                acks.get();
                PeerGoneException gone = null;
                long killedAt = System.nanoTime();
                while (gone == null) {
                    try {
                        byte[] m = in.receive(Duration.ofSeconds(30));
                        assertThat(m).as("message %d or the end", expected).isNotNull();
                        assertThat(Messages.sequenceOf(m, MAX)).isEqualTo(expected);
                        expected++;
                    } catch (PeerGoneException e) {
                        gone = e;
                    }
                }
                System.out.printf("round %d: %d received, %d acknowledged, crash noticed %d ms after the kill returned%n", round, expected,
                        lastAcked.get() + 1, (System.nanoTime() - killedAt) / 1_000_000);
                assertThat(gone.peerCrashed()).isTrue();
                assertThat(expected).as("received against acknowledged").isGreaterThanOrEqualTo(lastAcked.get() + 1);
                assertThat(lastAcked.get()).as("the kill came after some acknowledged sends").isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aSenderWaitingForRoomLearnsThatTheReceiverDied() throws Exception {
        String name = NamedObjects.unique(ChannelCrashTest.class);
        try (ChildJvm receiver = ChildJvm.start(ChannelChild.class, "hold-receiver", name)) {
            assertThat(receiver.readLine()).isEqualTo("ready");
            try (ChannelSender out = ChannelSender.open(name)) {
                while (out.offer(new byte[1000])) {
                    // fill the ring; the receiver takes nothing
                }
                CompletableFuture<Throwable> blocked = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        out.send(new byte[1000]);
                        blocked.complete(null);
                    } catch (Throwable e) {
                        blocked.complete(e);
                    }
                });
                t.start();
                await().until(() -> NamedObjects.isInsideBackend(t));
                receiver.kill();
                Throwable outcome = blocked.get();
                assertThat(outcome).isInstanceOf(PeerGoneException.class);
                assertThat(((PeerGoneException) outcome).peerCrashed()).isTrue();
            }
        }
    }

    @Test
    void aSenderWithRoomLearnsThatTheReceiverDiedOnItsNextSend() {
        String name = NamedObjects.unique(ChannelCrashTest.class);
        try (ChildJvm receiver = ChildJvm.start(ChannelChild.class, "hold-receiver", name)) {
            assertThat(receiver.readLine()).isEqualTo("ready");
            try (ChannelSender out = ChannelSender.open(name)) {
                assertThat(out.offer(new byte[8])).isTrue();
                receiver.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try {
                        out.offer(new byte[0]);
                        return false;
                    } catch (PeerGoneException e) {
                        return e.peerCrashed();
                    }
                });
            }
        }
    }
}
