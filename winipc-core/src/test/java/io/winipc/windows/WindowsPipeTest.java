package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.BrokenPipeException;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.OutOfRangeException;
import io.winipc.PipeBusyException;
import io.winipc.WinipcTimeoutException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Windows named pipes, through the public API, across real Windows processes under Wine or Windows. */
@EnabledOnOs(OS.WINDOWS)
class WindowsPipeTest {
    private static final Duration CONNECT = Duration.ofSeconds(30);

    private static String uniqueName() {
        return "winipc-test/" + UUID.randomUUID();
    }

    @Test
    void byteModeRoundTripWithAChildProcessReportsThePeerPid() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name);
                ChildJvm child = ChildJvm.start(EchoClient.class, name, "BYTE")) {
            try (PipeConnection c = server.accept(CONNECT)) {
                assertThat(c.peer().pid()).isEqualTo(child.pid());
                c.write("hello".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(c.readFully(5), StandardCharsets.UTF_8)).isEqualTo("HELLO");
            }
            // The child reads end-of-stream once the server closes, and exits normally.
            child.assertSucceeds(60);
        }
    }

    @Test
    void messageModeKeepsBoundariesAndReassemblesLargeMessages() {
        String name = uniqueName();
        PipeServerOptions options = PipeServerOptions.defaults().withMode(PipeMode.MESSAGE);
        byte[] big = new byte[9 * 1024 * 1024 + 7];
        new Random(42).nextBytes(big);
        try (PipeServer server = PipeServer.listen(name, options);
                ChildJvm child = ChildJvm.start(EchoClient.class, name, "MESSAGE")) {
            try (PipeConnection c = server.accept(CONNECT)) {
                c.writeMessage("one".getBytes(StandardCharsets.UTF_8));
                c.writeMessage(new byte[0]);
                c.writeMessage(big);
                assertThat(c.readMessage()).isEqualTo("ONE".getBytes(StandardCharsets.UTF_8));
                assertThat(c.readMessage()).isEmpty();
                assertThat(c.readMessage()).isEqualTo(upper(big));
            }
            child.assertSucceeds(60);
        }
    }

    @Test
    void anOversizedMessageIsRefusedAndTheConnectionClosed() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE)
                .withMaxMessageSize(100_000))) {
            CompletableFuture<PipeConnection> accepted = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            try (PipeConnection client = PipeClient.connect(name, PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                    .withConnectTimeout(CONNECT));
                    PipeConnection c = accepted.join()) {
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> client.writeMessage(new byte[100_001]));
                assertThatThrownBy(c::readMessage).isInstanceOf(OutOfRangeException.class);
                // Whether the writer saw the message taken in (it fit the buffers) or a broken pipe depends on timing.
                writing.handle((ok, failure) -> null).join();
                assertThat(c.isOpen()).isFalse();
            }
        }
    }

    @Test
    void aKilledPeerReadsAsEndOfStreamAndWritingToItIsABrokenPipe() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name);
                ChildJvm child = ChildJvm.start(EchoClient.class, name, "HOLD")) {
            try (PipeConnection c = server.accept(CONNECT)) {
                assertThat(c.readFully(1)[0]).isEqualTo((byte) 'x');
                child.kill();
                assertThat(c.read(new byte[10])).isEqualTo(-1);
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) {
                        c.write(new byte[65536]);
                    }
                }).isInstanceOf(BrokenPipeException.class);
            }
        }
    }

    @Test
    void aSecondServerOnALiveNameIsRefused() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name)) {
            assertThatThrownBy(() -> PipeServer.listen(name)).isInstanceOf(ObjectExistsException.class);
        }
        PipeServer.listen(name).close();
    }

    @Test
    void connectWithoutServerTimesOutSayingNoServerAppeared() {
        assertThatThrownBy(() -> PipeClient.connect(uniqueName(), Duration.ofMillis(300)))
                .isInstanceOf(WinipcTimeoutException.class).hasMessageContaining("no server is listening");
    }

    @Test
    void clientsBeyondMaxInstancesSeeThePipeBusy() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMaxInstances(1))) {
            CompletableFuture<PipeConnection> accepted = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            try (PipeConnection first = PipeClient.connect(name, CONNECT); PipeConnection c = accepted.join()) {
                assertThatThrownBy(() -> PipeClient.connect(name, Duration.ofMillis(300)))
                        .isInstanceOf(PipeBusyException.class);
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReadAndAccept() throws Exception {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name)) {
            CompletableFuture<PipeConnection> accepted = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            try (PipeConnection client = PipeClient.connect(name, CONNECT); PipeConnection c = accepted.join()) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        c.read(new byte[10]);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                reader.start();
                // A platform thread waits in the kernel (state RUNNABLE), not on a Java lock.
                await().until(() -> NamedObjects.isInsideBackend(reader));
                c.close();
                reader.join(30_000);
                assertThat(failure.get()).isInstanceOf(ObjectClosedException.class);
            }
            AtomicReference<Throwable> acceptFailure = new AtomicReference<>();
            Thread acceptor = new Thread(() -> {
                try {
                    server.accept();
                } catch (Throwable t) {
                    acceptFailure.set(t);
                }
            });
            acceptor.start();
            await().until(() -> acceptor.getState() == Thread.State.WAITING);
            server.close();
            acceptor.join(30_000);
            assertThat(acceptFailure.get()).isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void interruptWakesABlockedReadWithCanceled() throws Exception {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name)) {
            CompletableFuture<PipeConnection> accepted = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            try (PipeConnection client = PipeClient.connect(name, CONNECT); PipeConnection c = accepted.join()) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        client.read(new byte[10]);
                    } catch (Throwable t) {
                        failure.set(t);
                        stillInterrupted.set(Thread.currentThread().isInterrupted());
                    }
                });
                reader.start();
                // A platform thread waits in the kernel (state RUNNABLE), not on a Java lock.
                await().until(() -> NamedObjects.isInsideBackend(reader));
                reader.interrupt();
                reader.join(30_000);
                assertThat(failure.get()).isInstanceOf(OperationCanceledException.class);
                assertThat(stillInterrupted.get()).isTrue();
                assertThat(c.read(new byte[1])).isEqualTo(-1);
            }
        }
    }

    @Test
    void aReadTimeoutLeavesTheConnectionUsable() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name)) {
            CompletableFuture<PipeConnection> accepted = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            try (PipeConnection client = PipeClient.connect(name, CONNECT); PipeConnection c = accepted.join()) {
                c.setReadTimeout(Duration.ofMillis(200));
                assertThatThrownBy(() -> c.read(new byte[4])).isInstanceOf(WinipcTimeoutException.class);
                client.write(new byte[] {1, 2, 3});
                assertThat(c.readFully(3)).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void twoThreadsMayAcceptAtOnceEachGettingAClient() {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name)) {
            CompletableFuture<PipeConnection> first = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            CompletableFuture<PipeConnection> second = CompletableFuture.supplyAsync(() -> server.accept(CONNECT));
            try (PipeConnection a = PipeClient.connect(name, CONNECT); PipeConnection b = PipeClient.connect(name, CONNECT);
                    PipeConnection x = first.join(); PipeConnection y = second.join()) {
                a.write(new byte[] {1});
                b.write(new byte[] {2});
                assertThat(new byte[] {x.readFully(1)[0], y.readFully(1)[0]}).containsExactlyInAnyOrder(1, 2);
            }
        }
    }

    static byte[] upper(byte[] in) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 32;
            }
        }
        return out;
    }

    /** A client that upper-cases what it receives and sends it back, until end of stream. */
    public static final class EchoClient {
        public static void main(String[] args) {
            String name = args[0];
            switch (args[1]) {
                case "BYTE" -> {
                    try (PipeConnection c = PipeClient.connect(name, CONNECT)) {
                        byte[] buf = new byte[4096];
                        int n;
                        while ((n = c.read(buf)) > 0) {
                            c.write(upper(Arrays.copyOf(buf, n)));
                        }
                    }
                }
                case "MESSAGE" -> {
                    try (PipeConnection c = PipeClient.connect(name,
                            PipeClientOptions.defaults().withMode(PipeMode.MESSAGE).withConnectTimeout(CONNECT))) {
                        byte[] m;
                        while ((m = c.readMessage()) != null) {
                            c.writeMessage(upper(m));
                        }
                    }
                }
                case "HOLD" -> {
                    PipeConnection c = PipeClient.connect(name, CONNECT);
                    c.write(new byte[] {'x'});
                    c.readFully(1);
                }
                default -> throw new IllegalArgumentException(args[1]);
            }
        }
    }

    /**
     * Issue F, section 4: close() of a connection with a read in flight defers the handle's close to
     * the reader; the "instance freed" signal must wait for it. Signalled earlier, a waiting accept
     * woke, found the only instance still taken (ERROR_PIPE_BUSY) and waited again, for ever.
     */
    @Test
    void anAcceptWaitingForAFreeInstanceGetsOneWhenAConnectionWithAReadInFlightCloses() throws Exception {
        String name = uniqueName();
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMaxInstances(1));
                PipeConnection first = PipeClient.connect(name, CONNECT)) {
            PipeConnection served = server.accept(CONNECT);
            CompletableFuture<Throwable> readEnded = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    served.read(new byte[16], 0, 16);
                    readEnded.complete(null);
                } catch (Throwable t) {
                    readEnded.complete(t);
                }
            }, "in-flight-reader");
            reader.start();
            await().atMost(CONNECT).until(() -> Arrays.stream(reader.getStackTrace())
                    .anyMatch(f -> f.getClassName().endsWith("WindowsPipe") && f.getMethodName().equals("read")));
            CompletableFuture<PipeConnection> second = CompletableFuture.supplyAsync(() -> server.accept(Duration.ofSeconds(60)));
            // The accept waits for an instance (the only one is connected) before the first connection closes.
            await().atMost(CONNECT).until(() -> Thread.getAllStackTraces().entrySet().stream()
                    .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("takeInstance"))
                            && e.getKey().getState() != Thread.State.RUNNABLE));
            served.close();
            assertThat(readEnded.get(60, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(RuntimeException.class);
            try (PipeConnection client = PipeClient.connect(name, CONNECT);
                    PipeConnection accepted = second.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                client.write("x".getBytes(StandardCharsets.UTF_8));
                assertThat(accepted.readFully(1)).containsExactly((byte) 'x');
            }
        }
    }
}
