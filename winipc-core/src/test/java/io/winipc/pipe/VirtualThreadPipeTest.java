package io.winipc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Virtual threads park on pipe I/O instead of pinning their carriers. Needs Java 21 or later; the
 * build runs this class on Temurin 25 (and on the Windows Java 21 JVM under Wine).
 */
@Tag("virtual-threads")
@EnabledForJreRange(min = JRE.JAVA_21)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class VirtualThreadPipeTest {

    @Test
    void aThousandVirtualThreadClientsAreServedWithoutPinningACarrier() throws Exception {
        String name = TestNames.unique("virtual");
        Path events = Files.createTempFile("winipc-pinning", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            ExecutorService handlers = newVirtualThreadPerTaskExecutor();
            ExecutorService clients = newVirtualThreadPerTaskExecutor();
            try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE)
                    .withMaxInstances(PipeServerOptions.MAX_INSTANCES_LIMIT))) {
                Thread serving = new Thread(() -> server.serve(c -> {
                    for (byte[] m; (m = c.readMessage()) != null; ) {
                        c.writeMessage(m);
                    }
                }, handlers));
                serving.start();
                PipeClientOptions options = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                        .withConnectTimeout(Duration.ofSeconds(120));
                // One exchange first, so that the burst below does not contend for loading classes: a
                // virtual thread waiting for a class another thread is loading pins its carrier, which
                // is the JVM's start-up cost, not a blocking call of ours.
                try (PipeConnection warmUp = PipeClient.connect(name, options)) {
                    warmUp.writeMessage(new byte[100]);
                    warmUp.readMessage();
                }
                recording.start();
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    byte[] payload = ("virtual client " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    results.add(clients.submit(() -> {
                        try (PipeConnection c = PipeClient.connect(name, options)) {
                            boolean ok = true;
                            for (int round = 0; round < 3; round++) {
                                c.writeMessage(payload);
                                ok &= java.util.Arrays.equals(c.readMessage(), payload);
                            }
                            return ok;
                        }
                    }));
                }
                int ok = 0;
                for (Future<Boolean> r : results) {
                    if (r.get(240, TimeUnit.SECONDS)) {
                        ok++;
                    }
                }
                assertThat(ok).isEqualTo(1000);
            } finally {
                clients.shutdownNow();
                handlers.shutdownNow();
            }
            recording.stop();
            recording.dump(events);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(events);
        Files.deleteIfExists(events);
        assertThat(pinned).as("virtual threads pinned while parking").isEmpty();
    }

    @Test
    void directBufferTransfersOnVirtualThreadsParkAndWakeOnClose() throws Exception {
        String name = TestNames.unique("virtual-direct");
        ExecutorService threads = newVirtualThreadPerTaskExecutor();
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            Thread serving = new Thread(() -> server.serve(c -> {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(1 << 20);
                while (true) {
                    b.clear();
                    if (c.readMessage(b) < 0) {
                        return;
                    }
                    c.writeMessage(b.flip());
                }
            }, threads));
            serving.start();
            PipeClientOptions options = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                    .withConnectTimeout(Duration.ofSeconds(60));
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int size = 1 + i * 40_000;
                results.add(threads.submit(() -> {
                    try (PipeConnection c = PipeClient.connect(name, options)) {
                        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(size);
                        while (out.hasRemaining()) {
                            out.put((byte) (out.position() * 31 + size));
                        }
                        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(1 << 20);
                        for (int round = 0; round < 3; round++) {
                            c.writeMessage(out.flip());
                            in.clear();
                            if (c.readMessage(in) != size) {
                                return false;
                            }
                            out.flip();
                            if (!in.flip().equals(out)) {
                                return false;
                            }
                            out.position(out.limit());
                        }
                        return true;
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(120, TimeUnit.SECONDS)).isTrue();
            }

            try (PipeConnection idle = PipeClient.connect(name, options)) {
                java.util.concurrent.atomic.AtomicReference<Thread> reader = new java.util.concurrent.atomic.AtomicReference<>();
                Future<Integer> blocked = threads.submit(() -> {
                    reader.set(Thread.currentThread());
                    return idle.readMessage(java.nio.ByteBuffer.allocateDirect(64));
                });
                // Parked by the backend (a virtual thread in a native call is only trying), not done.
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> blocked.isDone() || reader.get() != null && io.winipc.testing.BlockedCalls.isBlockedInWinipc(reader.get()));
                assertThat(blocked).as("the read ended instead of blocking").isNotDone();
                idle.close();
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> blocked.get(10, TimeUnit.SECONDS)))
                        .hasCauseInstanceOf(io.winipc.ObjectClosedException.class);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        // Compiled for Java 17, where this factory does not exist yet; the test runs only on 21+.
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }
}
