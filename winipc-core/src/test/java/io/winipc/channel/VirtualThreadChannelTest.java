package io.winipc.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.shm.SharedMemory;
import io.winipc.testing.NamedObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Channel ends used from virtual threads (JDK 21+): a receive that sleeps in the OS parks the
 * virtual thread without pinning its carrier (JFR {@code jdk.VirtualThreadPinned}), and close and
 * interrupt end it. Virtual-thread APIs are reached reflectively: the test sources compile for Java 17.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadChannelTest {
    private static final ChannelOptions SMALL = ChannelOptions.defaults().withCapacity(4096);

    private static Thread startVirtual(Runnable task) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, task);
    }

    @Test
    void moreSleepingReceiversThanCarriersLeaveTheCarriersFreeAndAllWake() throws Exception {
        int count = 4 * Runtime.getRuntime().availableProcessors() + 4;
        List<ChannelReceiver> receivers = new ArrayList<>();
        List<ChannelSender> senders = new ArrayList<>();
        List<SharedMemory> raws = new ArrayList<>();
        List<CompletableFuture<byte[]>> got = new ArrayList<>();
        Path file = Files.createTempFile("winipc-pinning-", ".jfr");
        try {
            for (int i = 0; i < count; i++) {
                String name = NamedObjects.unique(VirtualThreadChannelTest.class);
                receivers.add(ChannelReceiver.create(name, SMALL));
                senders.add(ChannelSender.open(name));
                raws.add(SharedMemory.open(name));
            }
            // Warm-up outside the recording: class loading and the wait pool.
            startVirtual(() -> receivers.get(0).poll()).join();
            List<RecordedEvent> pinned;
            try (Recording recording = new Recording()) {
                recording.enable("jdk.VirtualThreadPinned").withStackTrace();
                recording.start();
                for (ChannelReceiver in : receivers) {
                    CompletableFuture<byte[]> f = new CompletableFuture<>();
                    got.add(f);
                    startVirtual(() -> f.complete(in.receive(Duration.ofMinutes(2))));
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> raws.stream().allMatch(r -> r.getIntVolatile(Layout.RECEIVER_WAITING_OFFSET) == 1));
                CompletableFuture<String> other = new CompletableFuture<>();
                startVirtual(() -> other.complete("ran"));
                assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo("ran");
                for (int i = 0; i < count; i++) {
                    senders.get(i).send(new byte[] {(byte) i});
                }
                for (int i = 0; i < count; i++) {
                    assertThat(got.get(i).get(60, TimeUnit.SECONDS)).containsExactly((byte) i);
                }
                recording.stop();
                recording.dump(file);
            }
            pinned = RecordingFile.readAllEvents(file);
            assertThat(pinned).as("pinned virtual threads").isEmpty();
        } finally {
            Files.deleteIfExists(file);
            raws.forEach(SharedMemory::close);
            senders.forEach(ChannelSender::close);
            receivers.forEach(ChannelReceiver::close);
        }
    }

    @Test
    void closeAndInterruptEndAVirtualThreadsReceive() throws Exception {
        for (boolean close : new boolean[] {true, false}) {
            String name = NamedObjects.unique(VirtualThreadChannelTest.class);
            try (ChannelReceiver in = ChannelReceiver.create(name, SMALL); SharedMemory raw = SharedMemory.open(name)) {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread t = startVirtual(() -> {
                    try {
                        in.receive(Duration.ofMinutes(2));
                        outcome.complete(null);
                    } catch (Throwable e) {
                        outcome.complete(e);
                    }
                });
                await().until(() -> raw.getIntVolatile(Layout.RECEIVER_WAITING_OFFSET) == 1);
                if (close) {
                    in.close();
                    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(ObjectClosedException.class);
                } else {
                    t.interrupt();
                    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(OperationCanceledException.class);
                }
            }
        }
    }
}
