package io.winipc.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.winipc.internal.ConnectAttempt;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import io.winipc.internal.NativePipeServer;
import io.winipc.pipe.PipeMode;
import io.winipc.testing.TestNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A platform thread transfers on its own: its ReadFile/WriteFile carry an event whose low-order
 * bit is set, which keeps the system from queuing a completion packet to the port the handle is
 * associated with (documented for GetQueuedCompletionStatus; checked here to hold under Wine too),
 * and nothing of it goes through the port thread.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsPipeTransferTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final WindowsPlatform platform = new WindowsPlatform();

    @Test
    void platformThreadTransfersQueueNoCompletionPacketAndBypassThePort() {
        for (PipeMode mode : PipeMode.values()) {
            String name = TestNames.unique("transfer-" + mode);
            try (NativePipeServer server = platform.listen(name, Specs.listen(mode))) {
                CompletableFuture<NativePipe> accepted = CompletableFuture.supplyAsync(
                        () -> server.accept(Deadline.after(TIMEOUT)));
                try (NativePipe client = ((ConnectAttempt.Connected) platform.tryConnect(name, Specs.connect(mode))).pipe();
                        NativePipe serverSide = accepted.join()) {
                    long operationsBefore = IoPort.get().operations();
                    long strayBefore = IoPort.get().strayPackets();
                    byte[] request = new byte[64];
                    // Replies are read before they are written, so the reads are pending ones, not only immediate ones.
                    for (int i = 0; i < 50; i++) {
                        Arrays.fill(request, (byte) i);
                        CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(() -> read64(client, mode));
                        write(serverSide, request, mode);
                        assertThat(reply.join()).isEqualTo(request);
                    }
                    // A packet, had one been queued, is dequeued by the port thread right away: none may turn up.
                    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                            .until(() -> IoPort.get().strayPackets() == strayBefore);
                    assertThat(IoPort.get().operations()).as("transfers through the port").isEqualTo(operationsBefore);
                }
            }
        }
    }

    @Test
    void transferEventsAreNotInheritable() {
        String name = TestNames.unique("transfer-events");
        try (NativePipeServer server = platform.listen(name, Specs.listen(PipeMode.BYTE))) {
            CompletableFuture<NativePipe> accepted = CompletableFuture.supplyAsync(() -> server.accept(Deadline.after(TIMEOUT)));
            try (NativePipe client = ((ConnectAttempt.Connected) platform.tryConnect(name, Specs.connect(PipeMode.BYTE))).pipe();
                    NativePipe serverSide = accepted.join()) {
                client.write(new byte[] {1}, 0, 1, Deadline.none());
                byte[] one = new byte[1];
                assertThat(serverSide.read(one, 0, 1, Deadline.none())).isEqualTo(1);
                long[] clientEvents = ((WindowsPipe) client).transferEvents();
                long[] serverEvents = ((WindowsPipe) serverSide).transferEvents();
                for (long e : new long[] {clientEvents[1], serverEvents[0]}) {
                    assertThat(e).isPositive();
                    assertThat(WindowsHandleInheritanceTest.inheritable(e)).isFalse();
                }
            }
        }
    }

    private static byte[] read64(NativePipe pipe, PipeMode mode) {
        if (mode == PipeMode.MESSAGE) {
            return pipe.readMessage(1024, Deadline.after(TIMEOUT));
        }
        byte[] b = new byte[64];
        int n = 0;
        while (n < 64) {
            int r = pipe.read(b, n, 64 - n, Deadline.after(TIMEOUT));
            assertThat(r).isPositive();
            n += r;
        }
        return b;
    }

    private static void write(NativePipe pipe, byte[] data, PipeMode mode) {
        if (mode == PipeMode.MESSAGE) {
            pipe.writeMessage(data, 0, data.length, Deadline.after(TIMEOUT));
        } else {
            pipe.write(data, 0, data.length, Deadline.after(TIMEOUT));
        }
    }
}
