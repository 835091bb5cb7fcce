package io.winipc.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.OutOfRangeException;
import io.winipc.WinipcException;
import io.winipc.internal.Platforms;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The channel's contract, mostly across two processes (a second JVM from {@link ChildJvm}). */
class ChannelTest {
    private static final ChannelOptions SMALL = ChannelOptions.defaults().withCapacity(4096);

    private static String name() {
        return NamedObjects.unique(ChannelTest.class);
    }

    @Test
    void messagesFromAnotherProcessArriveWholeInOrderOnceAcrossManyWraps() {
        String name = name();
        int max = 1000;
        long count = 20_000;
        try (ChannelReceiver in = ChannelReceiver.create(name, ChannelOptions.defaults().withCapacity(8192).withMaxMessageSize(max));
                ChildJvm sender = ChildJvm.start(ChannelChild.class, "send", name, Long.toString(count), Integer.toString(max))) {
            assertThat(sender.readLine()).isEqualTo("ready");
            for (long expected = 0; expected < count; expected++) {
                byte[] m = in.receive(Duration.ofSeconds(60));
                assertThat(m).as("message %d", expected).isNotNull();
                assertThat(Messages.sequenceOf(m, max)).isEqualTo(expected);
            }
            sender.assertSucceeds(60);
            // Everything was taken; the sender closed cleanly.
            assertThatThrownBy(in::poll).isInstanceOf(PeerGoneException.class)
                    .satisfies(e -> assertThat(((PeerGoneException) e).peerCrashed()).isFalse());
        }
    }

    @Test
    void aReceiverInAnotherProcessGetsEveryMessageThenLearnsTheSenderClosed() {
        String name = name();
        int max = 3000;
        try (ChildJvm receiver = ChildJvm.start(ChannelChild.class, "receive", name, Integer.toString(max))) {
            assertThat(receiver.readLine()).isEqualTo("ready");
            try (ChannelSender out = ChannelSender.open(name)) {
                assertThat(out.maxMessageSize()).isEqualTo(max);
                for (long seq = 0; seq < 5000; seq++) {
                    out.send(Messages.message(seq, max));
                }
            }
            assertThat(receiver.readLine()).isEqualTo("received 5000 crashed=false");
            receiver.assertSucceeds(30);
        }
    }

    @Test
    void byteBuffersHeapAndDirectGoBothWays() {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); ChannelSender out = ChannelSender.open(name)) {
            ByteBuffer heap = ByteBuffer.wrap("xxheapyy".getBytes(StandardCharsets.US_ASCII), 2, 4);
            assertThat(out.offer(heap)).isTrue();
            assertThat(heap.position()).isEqualTo(6);
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            direct.put("direct".getBytes(StandardCharsets.US_ASCII)).flip();
            assertThat(out.send(direct, Duration.ofSeconds(1))).isTrue();
            assertThat(out.offer(new byte[0])).isTrue();

            ByteBuffer dst = ByteBuffer.allocateDirect(32);
            dst.position(3);
            assertThat(in.poll(dst)).isEqualTo(4);
            assertThat(dst.position()).isEqualTo(7);
            byte[] got = new byte[4];
            dst.get(3, got);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("heap");
            ByteBuffer small = ByteBuffer.allocate(3);
            assertThatThrownBy(() -> in.poll(small)).isInstanceOf(OutOfRangeException.class);
            // Refused, not lost: a larger buffer takes it.
            ByteBuffer big = ByteBuffer.allocate(10);
            assertThat(in.receive(big, Duration.ofSeconds(1))).isEqualTo(6);
            assertThat(new String(big.array(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("direct");
            assertThat(in.poll()).isEmpty();
            assertThat(in.poll()).isNull();
            assertThat(in.poll(big)).isEqualTo(-1);
            assertThatThrownBy(() -> in.poll(ByteBuffer.allocate(8).asReadOnlyBuffer())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFullRingRefusesAnOfferAndASendTimesOut() {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); ChannelSender out = ChannelSender.open(name)) {
            byte[] m = new byte[1000];
            int sent = 0;
            while (out.offer(m)) {
                sent++;
            }
            // 4096 bytes of ring, 1008 per record, 8 kept clear after the last one.
            assertThat(sent).isEqualTo(4);
            assertThat(out.send(m, Duration.ofMillis(50))).isFalse();
            assertThat(in.poll()).hasSize(1000);
            // The fifth record wraps: it needs the 64 bytes to the ring's end as padding as well.
            assertThat(out.offer(m)).isFalse();
            // The receiver hands room back in batches, at the latest when it finds the ring empty.
            for (int i = 0; i < 3; i++) {
                assertThat(in.receive(Duration.ofMillis(50))).hasSize(1000);
            }
            assertThat(in.poll()).isNull();
            assertThat(out.offer(m)).isTrue();
            assertThat(in.poll()).hasSize(1000);
        }
    }

    @Test
    void badInputIsRefusedWithAClearError() {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); ChannelSender out = ChannelSender.open(name)) {
            assertThat(out.maxMessageSize()).isEqualTo(4096 / 2 - 8);
            assertThatThrownBy(() -> out.offer(new byte[out.maxMessageSize() + 1])).isInstanceOf(OutOfRangeException.class)
                    .hasMessageContaining("maximum");
            assertThatThrownBy(() -> out.offer(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> in.receive(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(in.poll()).isNull();
        }
        assertThatThrownBy(() -> ChannelOptions.defaults().withCapacity(5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelOptions.defaults().withMaxMessageSize(1 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelOptions.defaults().withSpin(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelSender.open(name())).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void aLiveNameIsNotTakenTwiceAndAChannelTakesOneSender() {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL)) {
            assertThatThrownBy(() -> ChannelReceiver.create(name, SMALL)).isInstanceOf(ObjectExistsException.class);
            try (ChannelSender out = ChannelSender.open(name)) {
                assertThatThrownBy(() -> ChannelSender.open(name)).isInstanceOf(ObjectExistsException.class);
            }
            assertThatThrownBy(() -> ChannelSender.open(name)).isInstanceOf(ObjectExistsException.class);
        }
        // A squatter's event under a channel's name stops the creation instead of being used.
        String squatted = name();
        try (Event squatter = Event.create(squatted + "/space", io.winipc.sync.EventResetMode.AUTO)) {
            assertThatThrownBy(() -> ChannelReceiver.create(squatted, SMALL)).isInstanceOf(ObjectExistsException.class);
        }
        // Nothing of the failed creation stayed behind: the name is free again.
        ChannelReceiver.create(squatted, SMALL).close();
    }

    @Test
    void aRegionThatIsNotAChannelIsRefused() {
        String name = name();
        try (SharedMemory foreign = SharedMemory.create(name, 1024 + 4096); Event d = Event.create(name + "/data", io.winipc.sync.EventResetMode.AUTO);
                Event s = Event.create(name + "/space", io.winipc.sync.EventResetMode.AUTO)) {
            foreign.putInt(0, 0x12345678);
            assertThatThrownBy(() -> ChannelSender.open(name)).isInstanceOf(WinipcException.class).hasMessageContaining("not a winipc channel");
        }
        String half = name();
        try (SharedMemory unwritten = SharedMemory.create(half, 1024 + 4096)) {
            assertThatThrownBy(() -> ChannelSender.open(half)).isInstanceOf(WinipcException.class).hasMessageContaining("no channel header");
        }
        String corrupt = name();
        try (ChannelReceiver in = ChannelReceiver.create(corrupt, SMALL); SharedMemory raw = SharedMemory.open(corrupt)) {
            raw.putInt(4, 99);
            assertThatThrownBy(() -> ChannelSender.open(corrupt)).isInstanceOf(WinipcException.class).hasMessageContaining("version 99");
            raw.putInt(4, Layout.VERSION);
            raw.putLong(16, 1 << 20);
            assertThatThrownBy(() -> ChannelSender.open(corrupt)).isInstanceOf(WinipcException.class).hasMessageContaining("corrupt header");
            raw.putLong(16, 4096);
            raw.putLong(Layout.TAIL_OFFSET, 8192);
            assertThatThrownBy(() -> ChannelSender.open(corrupt)).isInstanceOf(WinipcException.class).hasMessageContaining("corrupt positions");
        }
    }

    @Test
    void aCorruptRecordIsRefusedNotDelivered() {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); ChannelSender out = ChannelSender.open(name);
                SharedMemory raw = SharedMemory.open(name)) {
            assertThat(out.offer(new byte[16])).isTrue();
            raw.putInt(Layout.HEADER_SIZE, 1 << 20);
            assertThatThrownBy(in::poll).isInstanceOf(WinipcException.class).hasMessageContaining("corrupt");
        }
    }

    @Test
    void aPeerPidThatNowNamesAProcessStartedAtAnotherTimeCountsAsThePeerGone() {
        // Each end records its pid and start stamp: a live process under the pid that started at
        // another time has reused the number, and the end that recorded it is gone.
        String kept = name();
        String reused = name();
        try (ChannelReceiver keptIn = ChannelReceiver.create(kept, SMALL); ChannelReceiver reusedIn = ChannelReceiver.create(reused, SMALL);
                ChildJvm sender = ChildJvm.start(ChannelChild.class, "hold-senders", kept, reused)) {
            assertThat(sender.readLine()).isEqualTo("ready");
            try (SharedMemory raw = SharedMemory.open(reused)) {
                assertThat(raw.getLong(Layout.SENDER_PID_OFFSET)).isEqualTo(sender.pid());
                long stamp = raw.getLong(Layout.SENDER_START_OFFSET);
                // The stamp the sender wrote for itself is the one this process reads for it.
                assertThat(stamp).isNotZero().isEqualTo(Platforms.get().processStartStamp(sender.pid()));
                raw.putLong(Layout.SENDER_START_OFFSET, stamp + 5_000);
            }
            assertThatThrownBy(() -> reusedIn.receive(Duration.ofSeconds(30))).isInstanceOf(PeerGoneException.class)
                    .satisfies(e -> assertThat(((PeerGoneException) e).peerCrashed()).isTrue());
            // The same process with its stamp as written is alive: the wait just times out.
            assertThat(keptIn.receive(Duration.ofMillis(600))).isNull();
        }
    }

    @Test
    void aSenderMakesNoSystemCallWhileTheReceiverIsAwake() {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); ChannelSender out = ChannelSender.open(name);
                Event data = Event.open(name + "/data")) {
            for (int i = 0; i < 1000; i++) {
                assertThat(out.offer(new byte[] {(byte) i})).isTrue();
                assertThat(in.poll()).containsExactly((byte) i);
            }
            // The receiver never slept, so the sender never signalled its event.
            assertThat(data.await(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void aSleepingReceiverIsWokenByASendFromAnotherProcess() throws Exception {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); SharedMemory raw = SharedMemory.open(name)) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> in.receive(Duration.ofMinutes(2)));
            await().until(() -> raw.getIntVolatile(Layout.RECEIVER_WAITING_OFFSET) == 1);
            try (ChildJvm sender = ChildJvm.start(ChannelChild.class, "send", name, "1", "100")) {
                assertThat(sender.readLine()).isEqualTo("ready");
                assertThat(Messages.sequenceOf(got.get(), 100)).isZero();
                sender.assertSucceeds(30);
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReceiveAndABlockedSend() throws Exception {
        String name = name();
        ChannelReceiver in = ChannelReceiver.create(name, SMALL);
        ChannelSender out = ChannelSender.open(name);
        Thread receiving = blocked(() -> in.receive(), in);
        in.close();
        assertThat(outcome(receiving)).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(() -> in.poll()).isInstanceOf(ObjectClosedException.class);
        // The sender learns that the receiver closed.
        assertThatThrownBy(() -> out.offer(new byte[1])).isInstanceOf(PeerGoneException.class);
        out.close();

        String second = name();
        try (ChannelReceiver keep = ChannelReceiver.create(second, SMALL)) {
            ChannelSender full = ChannelSender.open(second);
            while (full.offer(new byte[1000])) {
                // fill the ring
            }
            Thread sending = blocked(() -> full.send(new byte[1000]), keep);
            full.close();
            assertThat(outcome(sending)).isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void anInterruptEndsABlockedReceiveAndKeepsTheStatus() throws Exception {
        String name = name();
        try (ChannelReceiver in = ChannelReceiver.create(name, SMALL)) {
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread t = blocked(() -> {
                try {
                    in.receive(Duration.ofMinutes(5));
                } finally {
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            }, in);
            t.interrupt();
            assertThat(outcome(t)).isInstanceOf(OperationCanceledException.class);
            assertThat(stillInterrupted).isTrue();
        }
    }

    private final java.util.Map<Thread, CompletableFuture<Throwable>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts {@code action} on a thread and returns once that thread sleeps in the OS with its waiting flag raised. */
    private Thread blocked(Runnable action, Object channelEnd) {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        outcomes.put(t, result);
        t.start();
        await().until(() -> result.isDone() || NamedObjects.isInsideBackend(t));
        return t;
    }

    private Throwable outcome(Thread t) throws Exception {
        return outcomes.get(t).get();
    }
}
