package io.winipc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.OutOfRangeException;
import io.winipc.PipeModeException;
import io.winipc.WinipcTimeoutException;
import io.winipc.testing.BlockedCalls;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.TestNames;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ByteBuffer} methods of {@link PipeConnection}, on direct and heap buffers, against an
 * echo server in another process: what they transfer, how they move the buffer's position, and
 * that they keep the blocking, timeout and size rules of the array methods.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeByteBufferContractTest {

    private static final PipeClientOptions CLIENT = PipeClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(30));

    private static IntFunction<ByteBuffer> allocator(String kind) {
        return kind.equals("direct") ? ByteBuffer::allocateDirect : ByteBuffer::allocate;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void byteModeBuffersCarryTheirRemainingBytesAndMoveTheirPositions(String kind) {
        IntFunction<ByteBuffer> allocate = allocator(kind);
        String name = TestNames.unique("bb-bytes");
        try (ChildJvm server = ChildJvm.start(PipePeer.class, "echo-server", name, "BYTE")) {
            server.awaitLine("READY");
            try (PipeConnection c = PipeClient.connect(name, CLIENT)) {
                byte[] data = random(3 * 1024 * 1024 + 5, 1);
                ByteBuffer out = allocate.apply(data.length + 20);
                out.position(7);
                out.put(data);
                out.flip().position(7);
                // The echo comes back while the write is still going: read it at the same time.
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> c.write(out));

                ByteBuffer in = allocate.apply(data.length + 10);
                in.position(3).limit(3 + data.length);
                while (in.hasRemaining()) {
                    int n = c.read(in);
                    assertThat(n).isPositive();
                }
                writing.join();
                assertThat(out.position()).isEqualTo(out.limit());
                byte[] echoed = new byte[data.length];
                in.position(3);
                in.get(echoed);
                assertThat(echoed).isEqualTo(data);
                assertThat(c.read(in)).as("a full buffer reads nothing and does not block").isZero();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void messageModeBuffersCarryWholeMessagesIncludingEmptyOnes(String kind) {
        IntFunction<ByteBuffer> allocate = allocator(kind);
        String name = TestNames.unique("bb-messages");
        try (ChildJvm server = ChildJvm.start(PipePeer.class, "echo-server", name, "MESSAGE")) {
            server.awaitLine("READY");
            try (PipeConnection c = PipeClient.connect(name, CLIENT.withMode(PipeMode.MESSAGE).withMaxMessageSize(8 << 20))) {
                byte[] big = random(5 * 1024 * 1024 + 3, 2);
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                    for (byte[] message : new byte[][] {"one".getBytes(), new byte[0], big, "last".getBytes()}) {
                        ByteBuffer out = allocate.apply(message.length);
                        out.put(message).flip();
                        c.writeMessage(out);
                        assertThat(out.hasRemaining()).isFalse();
                    }
                });
                ByteBuffer in = allocate.apply(8 << 20);
                int[] lengths = new int[4];
                for (int i = 0; i < 4; i++) {
                    int start = in.position();
                    lengths[i] = c.readMessage(in);
                    assertThat(in.position()).isEqualTo(start + lengths[i]);
                }
                writing.join();
                assertThat(lengths).containsExactly(3, 0, big.length, 4);
                in.flip();
                byte[] all = new byte[in.remaining()];
                in.get(all);
                byte[] expected = new byte[3 + big.length + 4];
                System.arraycopy("one".getBytes(), 0, expected, 0, 3);
                System.arraycopy(big, 0, expected, 3, big.length);
                System.arraycopy("last".getBytes(), 0, expected, 3 + big.length, 4);
                assertThat(all).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void aMessageLargerThanTheBufferIsRefusedNeverTruncated(String kind) {
        String name = TestNames.unique("bb-small");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                PipeConnection client = PipeClient.connect(name, CLIENT.withMode(PipeMode.MESSAGE));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            client.writeMessage(new byte[100]);
            ByteBuffer small = allocator(kind).apply(64);
            assertThatThrownBy(() -> c.readMessage(small)).isInstanceOf(OutOfRangeException.class)
                    .hasMessageContaining("64 bytes remaining");
            assertThat(small.position()).isZero();
            assertThat(c.isOpen()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void readOnlyBuffersAndTheWrongModeAreRejected(String kind) {
        String name = TestNames.unique("bb-mode");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, CLIENT)) {
            ByteBuffer buffer = allocator(kind).apply(16);
            assertThatThrownBy(() -> client.read(buffer.asReadOnlyBuffer())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.readMessage(buffer)).isInstanceOf(PipeModeException.class);
            assertThatThrownBy(() -> client.writeMessage(buffer)).isInstanceOf(PipeModeException.class);
            // A read-only buffer is a fine source.
            client.write(buffer.asReadOnlyBuffer());
        }
        String messageName = TestNames.unique("bb-mode-message");
        try (PipeServer server = PipeServer.listen(messageName, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                PipeConnection client = PipeClient.connect(messageName, CLIENT.withMode(PipeMode.MESSAGE))) {
            ByteBuffer buffer = allocator(kind).apply(16);
            assertThatThrownBy(() -> client.read(buffer)).isInstanceOf(PipeModeException.class);
            assertThatThrownBy(() -> client.write(buffer)).isInstanceOf(PipeModeException.class);
            assertThatThrownBy(() -> client.readMessage(buffer.asReadOnlyBuffer())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTE", "MESSAGE"})
    void aDirectBufferReadHonoursTimeoutCloseAndInterrupt(PipeMode mode) throws Exception {
        String name = TestNames.unique("bb-wake");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(mode));
                PipeConnection client = PipeClient.connect(name, CLIENT.withMode(mode));
                PipeConnection c = server.accept(Duration.ofSeconds(10));
                PipeConnection interrupted = PipeClient.connect(name, CLIENT.withMode(mode));
                PipeConnection c2 = server.accept(Duration.ofSeconds(10))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
            c.setReadTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> read(c, buffer, mode)).isInstanceOf(WinipcTimeoutException.class);
            c.setReadTimeout(null);

            CompletableFuture<Integer> blocked = BlockedCalls.start(() -> read(c, buffer, mode)).awaitBlocked().result();
            c.close();
            assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ObjectClosedException.class);

            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    read(c2, ByteBuffer.allocateDirect(1024), mode);
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            reader.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> failure.isDone() || BlockedCalls.isBlockedInWinipc(reader));
            assertThat(failure).as("the read ended instead of blocking").isNotDone();
            reader.interrupt();
            assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(OperationCanceledException.class);
            assertThat(c2.isOpen()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void messagesReadAheadAreDeliveredWhetherTheNextReadTakesAnArrayOrABuffer(String kind) {
        IntFunction<ByteBuffer> allocate = allocator(kind);
        String name = TestNames.unique("bb-ahead");
        // Small messages among large ones: a read that takes a small message usually receives the
        // next header and part of the next message with it, which the next read must use first.
        int[] sizes = {1, 70_000, 3, 0, 300_000, 64, 5, 2_000_000, 7, 16_380, 16_400, 9};
        try (ChildJvm server = ChildJvm.start(PipePeer.class, "echo-server", name, "MESSAGE")) {
            server.awaitLine("READY");
            try (PipeConnection c = PipeClient.connect(name, CLIENT.withMode(PipeMode.MESSAGE).withMaxMessageSize(4 << 20))) {
                byte[][] messages = new byte[sizes.length][];
                for (int i = 0; i < sizes.length; i++) {
                    messages[i] = random(sizes[i], 100 + i);
                }
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < 2; round++) {
                        for (byte[] m : messages) {
                            c.writeMessage(m);
                        }
                    }
                });
                ByteBuffer in = allocate.apply(4 << 20);
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < sizes.length; i++) {
                        byte[] got;
                        if ((i + round) % 2 == 0) {
                            got = c.readMessage();
                        } else {
                            in.clear();
                            assertThat(c.readMessage(in)).isEqualTo(sizes[i]);
                            in.flip();
                            got = new byte[in.remaining()];
                            in.get(got);
                        }
                        assertThat(got).as("message %d of round %d", i, round).isEqualTo(messages[i]);
                    }
                }
                writing.join();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void aMessageReadLeavesTheBufferBeyondTheMessageUntouched(String kind) {
        String name = TestNames.unique("bb-bounded");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                PipeConnection client = PipeClient.connect(name, CLIENT.withMode(PipeMode.MESSAGE));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            byte[] large = random(200_000, 7);
            client.writeMessage("abc".getBytes());
            client.writeMessage("defgh".getBytes());
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> client.writeMessage(large));
            ByteBuffer in = allocator(kind).apply(1 << 20);
            while (in.hasRemaining()) {
                in.put((byte) 0x55);
            }
            in.clear();
            assertThat(c.readMessage(in)).isEqualTo(3);
            assertThat(in.position()).isEqualTo(3);
            assertThat(in.get(3)).as("the byte after the message").isEqualTo((byte) 0x55);
            assertThat(c.readMessage(in)).isEqualTo(5);
            int end = in.position();
            assertThat(end).isEqualTo(8);
            assertThat(c.readMessage(in)).isEqualTo(large.length);
            writing.join();
            assertThat(in.position()).isEqualTo(8 + large.length);
            for (int i = in.position(); i < in.capacity(); i++) {
                if (in.get(i) != 0x55) {
                    throw new AssertionError("byte " + i + " beyond the last message was written: " + in.get(i));
                }
            }
            byte[] got = new byte[large.length];
            in.get(8, got);
            assertThat(got).isEqualTo(large);
            byte[] first = new byte[8];
            in.get(0, first);
            assertThat(new String(first)).isEqualTo("abcdefgh");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap"})
    void aTooLargeMessageIsRefusedBeforeItsPayloadArrives(String kind) {
        String name = TestNames.unique("bb-refuse");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE).withMaxMessageSize(1000));
                PipeConnection client = PipeClient.connect(name, CLIENT.withMode(PipeMode.MESSAGE));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            // The writer blocks once the socket buffer is full: the reader must decide from the header alone.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> client.writeMessage(new byte[8 << 20]));
            ByteBuffer in = allocator(kind).apply(1 << 20);
            assertThatThrownBy(() -> c.readMessage(in)).isInstanceOf(OutOfRangeException.class)
                    .hasMessageContaining("1000");
            assertThat(in.position()).isZero();
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(writing::join).hasCauseInstanceOf(io.winipc.WinipcException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTE", "MESSAGE"})
    void aDirectBufferWriteHonoursTimeoutAndInterrupt(PipeMode mode) throws Exception {
        String name = TestNames.unique("bb-write-wake");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(mode).withMaxMessageSize(64 << 20));
                PipeConnection client = PipeClient.connect(name, CLIENT.withMode(mode).withMaxMessageSize(64 << 20));
                PipeConnection c = server.accept(Duration.ofSeconds(10));
                PipeConnection other = PipeClient.connect(name, CLIENT.withMode(mode).withMaxMessageSize(64 << 20));
                PipeConnection c2 = server.accept(Duration.ofSeconds(10))) {
            // Nobody reads: far more than any pipe buffer holds, so the write has to wait for room.
            ByteBuffer large = ByteBuffer.allocateDirect(32 << 20);
            client.setWriteTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> write(client, large, mode)).isInstanceOf(WinipcTimeoutException.class);
            if (mode == PipeMode.BYTE) {
                assertThat(large.position()).as("what went out before the timeout").isLessThan(large.limit());
            }

            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread writer = new Thread(() -> {
                try {
                    write(other, ByteBuffer.allocateDirect(32 << 20), mode);
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            writer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> failure.isDone() || BlockedCalls.isBlockedInWinipc(writer));
            assertThat(failure).as("the write ended instead of blocking").isNotDone();
            writer.interrupt();
            assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(OperationCanceledException.class);
            assertThat(other.isOpen()).isFalse();
        }
    }

    private static void write(PipeConnection c, ByteBuffer buffer, PipeMode mode) {
        if (mode == PipeMode.MESSAGE) {
            c.writeMessage(buffer);
        } else {
            c.write(buffer);
        }
    }

    private static int read(PipeConnection c, ByteBuffer buffer, PipeMode mode) {
        return mode == PipeMode.MESSAGE ? c.readMessage(buffer) : c.read(buffer);
    }
}
