package io.winipc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.BrokenPipeException;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.OutOfRangeException;
import io.winipc.PipeBusyException;
import io.winipc.PipeModeException;
import io.winipc.WinipcTimeoutException;
import io.winipc.testing.BlockedCalls;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.TestNames;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.Timeout;

/** The behaviour of pipes that every backend must show, across real processes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeContractTest {

    private static final PipeClientOptions MESSAGE_CLIENT = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE);

    @Test
    void byteModeRoundTripWithAClientInAnotherProcess() {
        String name = TestNames.unique("byte-echo");
        try (PipeServer server = PipeServer.listen(name)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                    byte[] hello = c.readFully(5);
                    c.write("ack: ".getBytes(StandardCharsets.UTF_8));
                    // The client reads those five bytes and closes: a clean end of stream, not a broken pipe.
                    // (Writing more here would race with that close.)
                    assertThat(c.read(new byte[1])).isEqualTo(-1);
                    return hello;
                }
            });
            try (ChildJvm child = ChildJvm.start(PipePeer.class, "client", name, "BYTE", "hello")) {
                assertThat(child.awaitLine("PEER")).isEqualTo("PEER " + ProcessHandle.current().pid());
                assertThat(child.awaitLine("REPLY")).isEqualTo("REPLY ack: ");
                child.assertSucceeds(60);
            }
            assertThat(received.join()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        }
    }

    @Test
    void messageModePreservesBoundariesAcrossProcesses() {
        String name = TestNames.unique("message-echo");
        try (ChildJvm server = ChildJvm.start(PipePeer.class, "echo-server", name, "MESSAGE")) {
            long serverPid = Long.parseLong(server.awaitLine("READY").split(" ")[1]);
            try (PipeConnection c = PipeClient.connect(name, MESSAGE_CLIENT.withConnectTimeout(Duration.ofSeconds(30)))) {
                assertThat(c.peer().pid()).isEqualTo(serverPid);
                c.writeMessage(bytes("one"));
                c.writeMessage(bytes(""));
                c.writeMessage(bytes("three, a longer message"));
                assertThat(c.readMessage()).asString(StandardCharsets.UTF_8).isEqualTo("one");
                assertThat(c.readMessage()).isEmpty();
                assertThat(c.readMessage()).asString(StandardCharsets.UTF_8).isEqualTo("three, a longer message");
            }
        }
    }

    @Test
    void serverSeesTheClientProcessAsItsPeer() {
        String name = TestNames.unique("peer");
        try (PipeServer server = PipeServer.listen(name);
                ChildJvm child = ChildJvm.start(PipePeer.class, "hold-client", name)) {
            try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                assertThat(c.peer().pid()).isEqualTo(child.pid());
                child.awaitLine("READY");
            }
        }
    }

    @Test
    void manyConcurrentClientsFromSeveralProcessesAreAllServed() {
        String name = TestNames.unique("many");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE).withMaxInstances(64))) {
            Thread serving = new Thread(() -> server.serve(c -> {
                for (byte[] m; (m = c.readMessage()) != null; ) {
                    c.writeMessage(m);
                }
            }));
            serving.start();
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    children.add(ChildJvm.start(PipePeer.class, "clients", name, "20", "50"));
                }
                for (ChildJvm child : children) {
                    assertThat(child.awaitLine("OK")).isEqualTo("OK " + 20 * 50);
                    child.assertSucceeds(60);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void messagesOfEightMebibytesAndMoreArriveIntact() {
        String name = TestNames.unique("big");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE)
                .withMaxMessageSize(64 * 1024 * 1024))) {
            Thread serving = new Thread(() -> server.serve(c -> {
                for (byte[] m; (m = c.readMessage()) != null; ) {
                    c.writeMessage(m);
                }
            }));
            serving.start();
            for (int size : new int[] {8 * 1024 * 1024, 8 * 1024 * 1024 + 17, 20 * 1024 * 1024}) {
                try (ChildJvm child = ChildJvm.start(PipePeer.class, "big-client", name, Integer.toString(size))) {
                    String sent = child.awaitLine("SENT").substring(5);
                    assertThat(child.awaitLine("SHA").substring(4)).isEqualTo(sent);
                    child.assertSucceeds(60);
                }
            }
        }
    }

    @Test
    void aCleanCloseReadsAsEndOfStream() {
        String name = TestNames.unique("eof");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                ChildJvm child = ChildJvm.start(PipePeer.class, "client", name, "MESSAGE")) {
            try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                // The child sends nothing and closes: a clean end between messages.
                assertThat(c.readMessage()).isNull();
            }
            child.assertSucceeds(60);
        }
    }

    @Test
    void aPeerKilledInsideAMessageIsABrokenPipe() {
        String name = TestNames.unique("broken");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE)
                .withMaxMessageSize(64 * 1024 * 1024));
                ChildJvm child = ChildJvm.start(PipePeer.class, "partial-writer", name)) {
            try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                child.awaitLine("READY");
                if (OS.WINDOWS.isCurrentOs()) {
                    // A Windows message pipe delivers a message whole or not at all: the killed
                    // writer's pending WriteFile is cancelled together with its whole message, so
                    // the reader never sees part of it and reads a clean end of stream.
                    child.kill();
                    assertThat(c.readMessage()).isNull();
                } else {
                    child.kill();
                    assertThatThrownBy(c::readMessage).isInstanceOf(BrokenPipeException.class);
                }
            }
        }
    }

    @Test
    void writingToAVanishedPeerIsABrokenPipe() {
        String name = TestNames.unique("write-gone");
        try (PipeServer server = PipeServer.listen(name);
                ChildJvm child = ChildJvm.start(PipePeer.class, "hold-client", name)) {
            try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                child.awaitLine("READY");
                child.kill();
                byte[] chunk = new byte[64 * 1024];
                assertThatThrownBy(() -> {
                    // The first writes may still fit in the OS buffer; soon one must find the peer gone.
                    for (int i = 0; i < 1000; i++) {
                        c.write(chunk);
                    }
                }).isInstanceOf(BrokenPipeException.class);
            }
        }
    }

    /** A peer without winipc opens {@link PipeServer#address()} with its platform's plain API and is accepted. */
    @Test
    void theAddressIsWhereAPeerWithoutWinipcConnects() throws Exception {
        String name = TestNames.unique("address");
        String address;
        try (PipeServer server = PipeServer.listen(name)) {
            address = server.address();
            CompletableFuture<Long> peer = CompletableFuture.supplyAsync(() -> {
                try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                    return c.peer().pid();
                }
            });
            if (OS.WINDOWS.isCurrentOs()) {
                assertThat(address).startsWith("\\\\.\\pipe\\");
                try (java.io.RandomAccessFile plain = new java.io.RandomAccessFile(address, "rw")) {
                    assertThat(peer.get(60, TimeUnit.SECONDS)).isEqualTo(ProcessHandle.current().pid());
                }
            } else {
                assertThat(java.nio.file.Path.of(address)).exists();
                try (java.nio.channels.SocketChannel plain = java.nio.channels.SocketChannel.open(
                        java.net.UnixDomainSocketAddress.of(address))) {
                    assertThat(peer.get(60, TimeUnit.SECONDS)).isEqualTo(ProcessHandle.current().pid());
                }
            }
        }
        if (!OS.WINDOWS.isCurrentOs()) {
            assertThat(java.nio.file.Path.of(address)).as("released on close").doesNotExist();
        }
    }

    @Test
    void aSecondServerOnALiveNameIsRefused() {
        String name = TestNames.unique("squat");
        try (ChildJvm owner = ChildJvm.start(PipePeer.class, "hold-server", name)) {
            owner.awaitLine("READY");
            assertThatThrownBy(() -> PipeServer.listen(name)).isInstanceOf(ObjectExistsException.class);
        }
    }

    @Test
    void aNameLeftByAKilledServerIsReclaimed() {
        String name = TestNames.unique("stale");
        try (ChildJvm owner = ChildJvm.start(PipePeer.class, "hold-server", name)) {
            owner.awaitLine("READY");
            owner.kill();
        }
        try (PipeServer server = PipeServer.listen(name)) {
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try (PipeConnection c = server.accept(Duration.ofSeconds(60))) {
                    byte[] b = c.readFully(4);
                    c.write(b);
                    return new String(b, StandardCharsets.UTF_8);
                }
            });
            try (PipeConnection c = PipeClient.connect(name, Duration.ofSeconds(10))) {
                c.write(bytes("ping"));
                assertThat(c.readFully(4)).asString(StandardCharsets.UTF_8).isEqualTo("ping");
            }
            assertThat(reply.join()).isEqualTo("ping");
        }
    }

    @Test
    void connectTimesOutWhenNoServerExists() {
        String name = TestNames.unique("nobody");
        assertThatThrownBy(() -> PipeClient.connect(name, Duration.ofMillis(300)))
                .isInstanceOf(WinipcTimeoutException.class)
                .isNotInstanceOf(PipeBusyException.class)
                .hasMessageContaining("no server");
    }

    @Test
    void connectWaitsForAServerThatStartsLater() throws Exception {
        String name = TestNames.unique("later");
        CompletableFuture<PipeConnection> connecting = CompletableFuture.supplyAsync(
                () -> PipeClient.connect(name, Duration.ofSeconds(60)));
        try (ChildJvm server = ChildJvm.start(PipePeer.class, "echo-server", name, "BYTE")) {
            server.awaitLine("READY");
            try (PipeConnection c = connecting.get(60, TimeUnit.SECONDS)) {
                c.write(bytes("late"));
                assertThat(c.readFully(4)).asString(StandardCharsets.UTF_8).isEqualTo("late");
            }
        }
    }

    @Test
    void clientsBeyondTheMaximumInstancesSeeThePipeBusyAndGetInOnceOneLeaves() throws Exception {
        String name = TestNames.unique("busy");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMaxInstances(1))) {
            List<PipeConnection> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (server.isOpen()) {
                    try {
                        PipeConnection c = server.accept();
                        synchronized (accepted) {
                            accepted.add(c);
                        }
                    } catch (RuntimeException closed) {
                        return;
                    }
                }
            });
            acceptor.start();
            List<PipeConnection> clients = new ArrayList<>();
            try {
                clients.add(PipeClient.connect(name, Duration.ofSeconds(10)));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    synchronized (accepted) {
                        return accepted.size() == 1;
                    }
                });
                // With the only instance taken, connecting more clients must soon report busy.
                PipeBusyException busy = null;
                for (int i = 0; i < 10 && busy == null; i++) {
                    try {
                        clients.add(PipeClient.connect(name, Duration.ofMillis(500)));
                    } catch (PipeBusyException e) {
                        busy = e;
                    }
                }
                assertThat(busy).as("a client beyond the maximum instances sees the pipe busy").isNotNull();
                assertThat(busy.getMessage()).contains("busy");

                // Once the first connection ends, a waiting client gets in.
                CompletableFuture<PipeConnection> waiting = CompletableFuture.supplyAsync(
                        () -> PipeClient.connect(name, Duration.ofSeconds(60)));
                synchronized (accepted) {
                    accepted.get(0).close();
                }
                clients.get(0).close();
                clients.remove(0);
                clients.forEach(PipeConnection::close);
                clients.clear();
                clients.add(waiting.get(60, TimeUnit.SECONDS));
            } finally {
                clients.forEach(PipeConnection::close);
                server.close();
                synchronized (accepted) {
                    accepted.forEach(PipeConnection::close);
                }
            }
        }
    }

    @Test
    void anOversizedMessageIsRefusedAndTheConnectionClosed() {
        String name = TestNames.unique("oversized");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE).withMaxMessageSize(1024));
                PipeConnection client = PipeClient.connect(name, MESSAGE_CLIENT.withConnectTimeout(Duration.ofSeconds(10)));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            client.writeMessage(new byte[4096]);
            assertThatThrownBy(c::readMessage).isInstanceOf(OutOfRangeException.class).hasMessageContaining("1024");
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void theMessageApiOnAByteModeConnectionIsAModeError() {
        String name = TestNames.unique("mode");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> client.writeMessage(bytes("x"))).isInstanceOf(PipeModeException.class);
            assertThatThrownBy(client::readMessage).isInstanceOf(PipeModeException.class);
        }
        String messageName = TestNames.unique("mode-message");
        try (PipeServer server = PipeServer.listen(messageName, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                PipeConnection client = PipeClient.connect(messageName, MESSAGE_CLIENT.withConnectTimeout(Duration.ofSeconds(10)))) {
            assertThatThrownBy(() -> client.write(bytes("x"))).isInstanceOf(PipeModeException.class);
            assertThatThrownBy(() -> client.read(new byte[1])).isInstanceOf(PipeModeException.class);
            assertThatThrownBy(client::inputStream).isInstanceOf(PipeModeException.class);
        }
    }

    @Test
    void streamAdaptersCarryBytesAndEndOfStream() throws Exception {
        String name = TestNames.unique("streams");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            try (OutputStream out = client.outputStream()) {
                out.write(bytes("streamed bytes"));
            }
            InputStream in = c.inputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("streamed bytes");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedRead() {
        String name = TestNames.unique("close-read");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            CompletableFuture<Integer> read = BlockedCalls.start(() -> c.read(new byte[10])).awaitBlocked().result();
            c.close();
            assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ObjectClosedException.class);
            assertThatThrownBy(() -> c.read(new byte[1])).isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedAccept() {
        String name = TestNames.unique("close-accept");
        PipeServer server = PipeServer.listen(name);
        CompletableFuture<PipeConnection> accept = BlockedCalls.start(server::accept).awaitBlocked().result();
        server.close();
        assertThatThrownBy(() -> accept.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ObjectClosedException.class);
        // The name is free again at once.
        PipeServer.listen(name).close();
    }

    @Test
    void interruptWakesABlockedReadAndAcceptAndConnect() throws Exception {
        String name = TestNames.unique("interrupt");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            assertInterruptible(() -> c.read(new byte[10]));
            assertThat(c.isOpen()).as("an interrupted read closes the connection, as NIO does").isFalse();
        }
        String acceptName = TestNames.unique("interrupt-accept");
        try (PipeServer server = PipeServer.listen(acceptName)) {
            assertInterruptible(server::accept);
        }
        // The interrupted server let go of its name: a new server may take it.
        PipeServer.listen(acceptName).close();
        assertInterruptible(() -> PipeClient.connect(TestNames.unique("interrupt-connect"), Duration.ofSeconds(60)));
    }

    private static void assertInterruptible(Runnable blockingCall) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                blockingCall.run();
            } catch (Throwable e) {
                failure.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> BlockedCalls.isBlockedInWinipc(t));
        assertThat(failure.get()).as("the call failed instead of blocking").isNull();
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).as("the interrupted call returned").isFalse();
        assertThat(failure.get()).isInstanceOf(OperationCanceledException.class);
        assertThat(interruptKept.get()).as("interrupt status kept").isTrue();
    }

    @Test
    void readAndWriteTimeoutsAreHonoured() {
        String name = TestNames.unique("timeouts");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            c.setReadTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> c.read(new byte[1])).isInstanceOf(WinipcTimeoutException.class);
            client.setWriteTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> {
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    client.write(chunk);
                }
            }).isInstanceOf(WinipcTimeoutException.class);
        }
        try (PipeServer idle = PipeServer.listen(TestNames.unique("accept-timeout"))) {
            assertThatThrownBy(() -> idle.accept(Duration.ofMillis(100))).isInstanceOf(WinipcTimeoutException.class);
        }
    }

    @Test
    void aReaderAndAWriterMayRunAtOnceOnOneConnection() throws Exception {
        String name = TestNames.unique("duplex");
        try (ChildJvm server = ChildJvm.start(PipePeer.class, "echo-server", name, "BYTE")) {
            server.awaitLine("READY");
            try (PipeConnection c = PipeClient.connect(name, Duration.ofSeconds(30))) {
                int total = 4 * 1024 * 1024;
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    byte[] chunk = new byte[32 * 1024];
                    for (int sent = 0; sent < total; sent += chunk.length) {
                        java.util.Arrays.fill(chunk, (byte) (sent >>> 15));
                        c.write(chunk);
                    }
                });
                byte[] echoed = c.readFully(total);
                writer.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < total; i += 32 * 1024) {
                    assertThat(echoed[i]).isEqualTo((byte) (i >>> 15));
                }
            }
        }
    }

    @Test
    void serveRunsHandlersConcurrentlyAndKeepsServingAfterAHandlerThrows() throws Exception {
        String name = TestNames.unique("serve");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE).withMaxInstances(4))) {
            java.util.concurrent.CountDownLatch bothInside = new java.util.concurrent.CountDownLatch(2);
            Thread serving = new Thread(() -> server.serve(c -> {
                byte[] m = c.readMessage();
                if (new String(m, StandardCharsets.UTF_8).equals("fail")) {
                    throw new IllegalStateException("handler failure on purpose");
                }
                bothInside.countDown();
                bothInside.await(30, TimeUnit.SECONDS);
                c.writeMessage(m);
            }));
            serving.start();
            try (PipeConnection failing = PipeClient.connect(name, MESSAGE_CLIENT)) {
                failing.writeMessage(bytes("fail"));
                assertThat(failing.readMessage()).as("the failed handler's connection is closed").isNull();
            }
            try (PipeConnection a = PipeClient.connect(name, MESSAGE_CLIENT);
                    PipeConnection b = PipeClient.connect(name, MESSAGE_CLIENT)) {
                a.writeMessage(bytes("a"));
                b.writeMessage(bytes("b"));
                assertThat(a.readMessage()).asString(StandardCharsets.UTF_8).isEqualTo("a");
                assertThat(b.readMessage()).asString(StandardCharsets.UTF_8).isEqualTo("b");
            }
            server.close();
            serving.join(30_000);
            assertThat(serving.isAlive()).as("serve returns once the server is closed").isFalse();
        }
    }

    @Test
    void invalidNamesAndOptionsAreRejectedWithAClearException() {
        for (String bad : new String[] {"", "a/../b", "..", "a//b", "/lead", "trail/", "nul\0char", "back\\slash",
                "colon:name", "x".repeat(201), "tab\tname", "./here"}) {
            assertThatThrownBy(() -> PipeServer.listen(bad)).as("name %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PipeClient.connect(bad, Duration.ZERO)).as("name %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PipeServer.listen(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PipeServerOptions.defaults().withMaxInstances(0)).isInstanceOf(IllegalArgumentException.class);
        // 255 is PIPE_UNLIMITED_INSTANCES on Windows: no bound at all, so it is refused like any other out-of-range value.
        assertThatThrownBy(() -> PipeServerOptions.defaults().withMaxInstances(255)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PipeServerOptions.defaults().withMaxInstances(254).maxInstances()).isEqualTo(254);
        assertThatThrownBy(() -> PipeServerOptions.defaults().withMaxMessageSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PipeServerOptions.defaults().withBufferSizes(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PipeClient.connect("ok", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        String name = TestNames.unique("bounds");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> client.write(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> client.read(new byte[4], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> client.setReadTimeout(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PipeServer.listen("valid/name-1.2_x " + ProcessHandle.current().pid())).satisfies(PipeServer::close);
    }

    @Test
    void everythingIsClosedIdempotentlyAndUnusableAfterwards() {
        String name = TestNames.unique("closed");
        PipeServer server = PipeServer.listen(name);
        PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
        PipeConnection c = server.accept(Duration.ofSeconds(10));
        c.close();
        c.close();
        client.close();
        assertThatThrownBy(() -> client.write(new byte[1])).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(c::peer).isInstanceOf(ObjectClosedException.class);
        server.close();
        server.close();
        assertThatThrownBy(server::accept).isInstanceOf(ObjectClosedException.class);
    }

    @Test
    void serveLeavesNoThreadBehindOnceClosed() throws Exception {
        String name = TestNames.unique("threads");
        PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
        Thread serving = new Thread(() -> server.serve(c -> {
            for (byte[] m; (m = c.readMessage()) != null; ) {
                c.writeMessage(m);
            }
        }));
        serving.start();
        List<PipeConnection> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PipeConnection c = PipeClient.connect(name, MESSAGE_CLIENT);
            c.writeMessage(bytes("hi"));
            assertThat(c.readMessage()).isNotNull();
            clients.add(c);
        }
        assertThat(handlerThreads(name)).hasSize(5);
        // Clients still connected: close() must end their handlers, after the drain timeout at worst.
        server.close();
        serving.join(30_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> handlerThreads(name).isEmpty());
        clients.forEach(PipeConnection::close);
    }

    private static List<Thread> handlerThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("winipc-pipe-" + name + "-")).toList();
    }

    @Test
    void aForgottenServerIsClosedByTheCleanerAndItsNameFreed() {
        String name = TestNames.unique("forgotten");
        PipeServer.listen(name);
        // No reference is kept: once collected, the Cleaner must release the name.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            try {
                PipeServer.listen(name).close();
                return true;
            } catch (ObjectExistsException stillHeld) {
                return false;
            }
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
