package io.winipc.pipe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The other process in cross-process pipe tests. It prints {@code READY} once it is set up,
 * results as lines, and exits 0 on success.
 *
 * <pre>
 * echo-server NAME MODE            serve: echo each message (or byte chunk) back, until killed
 * client NAME MODE TEXT...         connect, send each TEXT, print "REPLY text" for each reply
 * clients NAME THREADS ROUNDS      THREADS concurrent message-mode clients, ROUNDS exchanges each
 * big-client NAME SIZE             send one SIZE-byte message, print "SHA sha256" of the reply
 * partial-writer NAME              write half a message, print READY, then wait to be killed
 * hold-server NAME                 listen and print READY, then wait to be killed
 * hold-client NAME                 connect, print READY, then wait for stdin to close
 * </pre>
 */
public final class PipePeer {
    private PipePeer() {
    }

    public static void main(String[] args) throws Exception {
        String command = args[0];
        String name = args[1];
        switch (command) {
            case "echo-server" -> echoServer(name, PipeMode.valueOf(args[2]));
            case "client" -> client(name, PipeMode.valueOf(args[2]), args);
            case "clients" -> clients(name, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "big-client" -> bigClient(name, Integer.parseInt(args[2]));
            case "partial-writer" -> partialWriter(name);
            case "hold-server" -> holdServer(name);
            case "hold-client" -> holdClient(name);
            default -> throw new IllegalArgumentException(command);
        }
    }

    private static void echoServer(String name, PipeMode mode) {
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(mode)
                .withMaxInstances(64).withMaxMessageSize(64 * 1024 * 1024))) {
            System.out.println("READY " + ProcessHandle.current().pid());
            server.serve(c -> {
                if (mode == PipeMode.MESSAGE) {
                    for (byte[] m; (m = c.readMessage()) != null; ) {
                        c.writeMessage(m);
                    }
                } else {
                    byte[] buffer = new byte[8192];
                    for (int n; (n = c.read(buffer)) > 0; ) {
                        c.write(buffer, 0, n);
                    }
                }
            });
        }
    }

    private static void client(String name, PipeMode mode, String[] args) {
        try (PipeConnection c = PipeClient.connect(name, PipeClientOptions.defaults().withMode(mode)
                .withConnectTimeout(Duration.ofSeconds(30)))) {
            System.out.println("PEER " + c.peer().pid());
            for (int i = 3; i < args.length; i++) {
                byte[] text = args[i].getBytes(StandardCharsets.UTF_8);
                if (mode == PipeMode.MESSAGE) {
                    c.writeMessage(text);
                    System.out.println("REPLY " + new String(c.readMessage(), StandardCharsets.UTF_8));
                } else {
                    c.write(text);
                    System.out.println("REPLY " + new String(c.readFully(text.length), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void clients(String name, int threads, int rounds) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try (PipeConnection c = PipeClient.connect(name, PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                        .withConnectTimeout(Duration.ofSeconds(60)))) {
                    for (int r = 0; r < rounds; r++) {
                        byte[] m = ("client " + id + " round " + r).getBytes(StandardCharsets.UTF_8);
                        c.writeMessage(m);
                        if (java.util.Arrays.equals(c.readMessage(), m)) {
                            ok.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        System.out.println("OK " + ok.get());
    }

    private static void bigClient(String name, int size) throws Exception {
        byte[] payload = new byte[size];
        new java.util.Random(size).nextBytes(payload);
        try (PipeConnection c = PipeClient.connect(name, PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                .withConnectTimeout(Duration.ofSeconds(30)).withMaxMessageSize(64 * 1024 * 1024))) {
            c.writeMessage(payload);
            byte[] reply = c.readMessage();
            System.out.println("SENT " + sha256(payload));
            System.out.println("SHA " + sha256(reply));
        }
    }

    private static void partialWriter(String name) throws Exception {
        if (System.getProperty("os.name").startsWith("Windows")) {
            // A message far larger than the pipe's buffer stays in flight until the reader drains it.
            PipeConnection c = PipeClient.connect(name, PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                    .withConnectTimeout(Duration.ofSeconds(30)));
            Thread writer = new Thread(() -> c.writeMessage(new byte[32 * 1024 * 1024]));
            writer.start();
            System.out.println("READY");
        } else {
            PipeConnection c = PipeClient.connect(name, PipeClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(30)));
            // A 100-byte message header followed by only 10 bytes: the frame of message mode on Linux,
            // written through the byte API so that the message stays unfinished.
            byte[] partial = new byte[14];
            partial[3] = 100;
            c.write(partial);
            System.out.println("READY");
        }
        System.in.read();
    }

    private static void holdServer(String name) throws Exception {
        try (PipeServer server = PipeServer.listen(name)) {
            System.out.println("READY " + server.name());
            System.in.read();
        }
    }

    private static void holdClient(String name) throws Exception {
        try (PipeConnection c = PipeClient.connect(name, Duration.ofSeconds(30))) {
            System.out.println("READY");
            System.in.read();
        }
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
