package io.winipc.channel;

import java.time.Duration;

/**
 * The other process of the channel tests. The first argument picks the role; it prints progress
 * lines on standard output.
 */
public final class ChannelChild {
    private ChannelChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "send" -> send(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 0);
            case "receive" -> receive(args[1], Integer.parseInt(args[2]));
            case "hold-receiver" -> {
                try (ChannelReceiver in = ChannelReceiver.create(args[1], ChannelOptions.defaults().withCapacity(4096))) {
                    System.out.println("ready");
                    System.in.read();
                }
            }
            case "hold-senders" -> {
                // Opens a sender on each channel named and holds them until standard input ends.
                java.util.List<ChannelSender> held = new java.util.ArrayList<>();
                for (int i = 1; i < args.length; i++) {
                    held.add(ChannelSender.open(args[i]));
                }
                System.out.println("ready");
                System.in.read();
                held.forEach(ChannelSender::close);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    /**
     * Sends {@code count} checked messages (forever if negative); with {@code ackEvery} above 0,
     * prints "acked N" after every {@code ackEvery}-th send returned, so that a killer knows what
     * was acknowledged (1: every message, so most kills land in the printing; larger: most land
     * inside a send).
     */
    private static void send(String name, long count, int max, int ackEvery) {
        try (ChannelSender out = ChannelSender.open(name)) {
            System.out.println("ready");
            for (long seq = 0; count < 0 || seq < count; seq++) {
                out.send(Messages.message(seq, max));
                if (ackEvery > 0 && seq % ackEvery == 0) {
                    System.out.println("acked " + seq);
                }
            }
            System.out.println("sent " + count);
        }
    }

    /** Creates the channel, receives checked messages and prints how many, until the sender is gone. */
    private static void receive(String name, int max) {
        try (ChannelReceiver in = ChannelReceiver.create(name, ChannelOptions.defaults().withCapacity(8192).withMaxMessageSize(max))) {
            System.out.println("ready");
            long expected = 0;
            try {
                for (;;) {
                    byte[] m = in.receive(Duration.ofSeconds(60));
                    if (m == null) {
                        throw new AssertionError("nothing for 60 s");
                    }
                    long seq = Messages.sequenceOf(m, max);
                    if (seq != expected) {
                        throw new AssertionError("got message " + seq + ", expected " + expected);
                    }
                    expected++;
                }
            } catch (PeerGoneException e) {
                System.out.println("received " + expected + " crashed=" + e.peerCrashed());
            }
        }
    }
}
