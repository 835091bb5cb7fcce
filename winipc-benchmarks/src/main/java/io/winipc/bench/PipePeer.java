package io.winipc.bench;

import io.winipc.pipe.PipeServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * The server side of the pipe benchmarks, in its own JVM: {@code PipePeer winipc|jdk ADDRESS
 * SCENARIO [ARG]}, with the scenarios of the C peer (echo-byte, echo-message, sink-byte TOTAL,
 * sink-message COUNT) served one connection after another, the same with "-direct" appended
 * (winipc only: direct ByteBuffers through winipc's ByteBuffer methods), plus vt-echo: every connection on
 * its own virtual thread (Java 21+), until "STOP" arrives on standard input; then it prints
 * how many jdk.VirtualThreadPinned events it recorded.
 */
public final class PipePeer {
    private PipePeer() {
    }

    public static void main(String[] args) throws Exception {
        Endpoint.Kind kind = Endpoint.Kind.valueOf(args[0].toUpperCase());
        String address = args[1];
        String scenario = args[2];
        long arg = args.length > 3 ? Long.parseLong(args[3]) : 0;
        if (scenario.equals("vt-echo")) {
            virtualThreadEcho(kind, address);
            return;
        }
        boolean message = scenario.contains("-message");
        try (Endpoint.Listener listener = kind.listen(address, message, 16)) {
            System.out.println("READY");
            System.out.flush();
            byte[] buf = new byte[1 << 20];
            while (true) {
                try (Endpoint c = listener.accept()) {
                    serve(c, scenario, arg, buf);
                }
            }
        }
    }

    static void serve(Endpoint c, String scenario, long arg, byte[] buf) {
        if (scenario.endsWith("-direct")) {
            serveDirect(c, scenario, arg);
            return;
        }
        switch (scenario) {
            case "echo-byte" -> {
                while (c.readFullyOrEnd(buf, 0, 64)) {
                    c.write(buf, 0, 64);
                }
            }
            case "echo-message" -> {
                for (byte[] m; (m = c.readMessage()) != null; ) {
                    c.writeMessage(m, 0, m.length);
                }
            }
            case "sink-byte" -> {
                long pending = 0;
                byte[] ack = {'k'};
                for (int n; (n = c.read(buf, 0, buf.length)) > 0; ) {
                    pending += n;
                    while (pending >= arg) {
                        pending -= arg;
                        c.write(ack, 0, 1);
                    }
                }
            }
            case "sink-message" -> {
                long seen = 0;
                byte[] ack = {'k'};
                while (c.readMessage() != null) {
                    if (++seen % arg == 0) {
                        c.writeMessage(ack, 0, 1);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    /** The scenarios of {@link #serve} with direct buffers, allocated once per connection as a server would. */
    private static void serveDirect(Endpoint c, String scenario, long arg) {
        switch (scenario) {
            case "echo-byte-direct" -> {
                ByteBuffer b = ByteBuffer.allocateDirect(64);
                while (c.readFullyOrEnd(b.clear())) {
                    c.write(b.flip());
                }
            }
            case "echo-message-direct" -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                while (c.readMessage(b.clear()) >= 0) {
                    c.writeMessage(b.flip());
                }
            }
            case "sink-byte-direct" -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                ByteBuffer ack = ByteBuffer.allocateDirect(1).put(0, (byte) 'k');
                long pending = 0;
                for (int n; (n = c.read(b.clear())) > 0; ) {
                    pending += n;
                    while (pending >= arg) {
                        pending -= arg;
                        c.write(ack.clear());
                    }
                }
            }
            case "sink-message-direct" -> {
                // Room for the harness's largest message (1 MiB) with some to spare.
                ByteBuffer b = ByteBuffer.allocateDirect(4 << 20);
                ByteBuffer ack = ByteBuffer.allocateDirect(1).put(0, (byte) 'k');
                long seen = 0;
                while (c.readMessage(b.clear()) >= 0) {
                    if (++seen % arg == 0) {
                        c.writeMessage(ack.clear());
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private static void virtualThreadEcho(Endpoint.Kind kind, String address) throws Exception {
        ExecutorService handlers = VirtualThreadsSupport.perTaskExecutor();
        try (Pinning pinning = Pinning.record()) {
            Runnable stop;
            if (kind == Endpoint.Kind.WINIPC) {
                PipeServer server = Endpoint.Winipc.server(address, false, io.winipc.pipe.PipeServerOptions.MAX_INSTANCES_LIMIT);
                Thread serving = new Thread(() -> server.serve(c -> {
                    byte[] b = new byte[64];
                    Endpoint e = new Endpoint.Winipc(c);
                    while (e.readFullyOrEnd(b, 0, 64)) {
                        e.write(b, 0, 64);
                    }
                }, handlers), "serve");
                serving.start();
                stop = server::close;
            } else {
                Endpoint.Listener listener = kind.listen(address, false, io.winipc.pipe.PipeServerOptions.MAX_INSTANCES_LIMIT);
                Thread accepting = new Thread(() -> {
                    try {
                        while (true) {
                            Endpoint c = listener.accept();
                            handlers.execute(() -> {
                                try (c) {
                                    serve(c, "echo-byte", 0, new byte[64]);
                                }
                            });
                        }
                    } catch (RuntimeException closed) {
                        // The listener was closed: done.
                    }
                }, "accept");
                accepting.setDaemon(true);
                accepting.start();
                stop = listener::close;
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("STOP"); ) {
                // Nothing else is expected.
            }
            stop.run();
            handlers.shutdownNow();
            System.out.println("RESULT pinned=" + pinning.count());
            System.out.flush();
        }
        System.exit(0);
    }
}
