package io.winipc.bench;

import io.winipc.channel.ChannelOptions;
import io.winipc.channel.ChannelReceiver;
import io.winipc.channel.ChannelSender;
import io.winipc.channel.PeerGoneException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The other process of the channel benchmarks ({@link ChannelBench}), on channels the harness
 * created:
 * <ul>
 *   <li>{@code echo IN OUT SPIN_NANOS [pin-thread]}: receives each message from IN and sends it back on OUT,
 *       until the harness closes IN; with {@code pin-thread}, on the server CPU (the rest of the JVM unpinned);
 *   <li>{@code send OUT COUNT SIZE SPIN_NANOS}: after "GO" on standard input, sends COUNT
 *       messages of SIZE bytes as fast as the channel takes them.
 * </ul>
 * {@code SPIN_NANOS} is the spin of the waits (0: sleep in the OS at once, no yield either).
 */
public final class ChannelPeer {
    private static final Duration LONG = Duration.ofMinutes(10);

    private ChannelPeer() {
    }

    static ChannelOptions waits(long spinNanos) {
        Duration spin = Duration.ofNanos(spinNanos);
        return ChannelOptions.defaults().withSpin(spin).withYield(spinNanos == 0 ? Duration.ZERO : ChannelOptions.defaults().yield());
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> {
                ChannelOptions options = waits(Long.parseLong(args[3]));
                boolean pinThread = args.length > 4 && "pin-thread".equals(args[4]);
                try (ChannelReceiver in = ChannelReceiver.open(args[1], options); ChannelSender out = ChannelSender.open(args[2], options);
                        Affinity.Pin pinned = Affinity.pinCurrentThread(pinThread, Affinity.SERVER_CPU)) {
                    System.out.println("READY");
                    System.out.flush();
                    ByteBuffer buf = ByteBuffer.allocateDirect(in.maxMessageSize());
                    try {
                        for (;;) {
                            buf.clear();
                            if (in.receive(buf, LONG) < 0) {
                                throw new IllegalStateException("nothing came for " + LONG);
                            }
                            buf.flip();
                            out.send(buf, LONG);
                        }
                    } catch (PeerGoneException done) {
                        // the harness closed its end
                    }
                }
            }
            case "send" -> {
                long count = Long.parseLong(args[2]);
                int size = Integer.parseInt(args[3]);
                try (ChannelSender out = ChannelSender.open(args[1], waits(Long.parseLong(args[4])))) {
                    System.out.println("READY");
                    System.out.flush();
                    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    if (!"GO".equals(stdin.readLine())) {
                        return;
                    }
                    byte[] message = new byte[size];
                    for (long i = 0; i < count; i++) {
                        message[0] = (byte) i;
                        out.send(message, LONG);
                    }
                    System.out.println("RESULT sent=" + count);
                    System.out.flush();
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
