package io.winipc.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Pipe streaming (group {@code pipe-stream}): bulk writes or messages one way, then a one-byte answer. */
final class PipeStreaming extends BenchGroup {
    PipeStreaming(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    /** The source buffer of the direct-ByteBuffer streaming runs, reused like the array of the array runs. */
    private ByteBuffer directSource;

    private static final int WARM_UP_PASSES = 3;
    /**
     * The server JVMs' heap, touched once at start-up: a reader that allocates an array per
     * message otherwise spends its first hundreds of megabytes faulting in fresh pages, which
     * measured the JVM's start, not the pipe (winipc's and the JDK's readers alike).
     */
    private static final List<String> SERVER_HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

    void run(boolean message, int writeSize) {
        long total = quick ? 4L << 20 : windows ? 64L << 20 : 96L << 20;
        int reps = n(2, 1);
        String mode = message ? "message" : "byte";
        String row = "Streaming, " + (writeSize >= 1 << 20 ? (writeSize >> 20) + " MiB " : (writeSize >> 10) + " KiB ")
                + (message ? "messages" : "writes") + ", " + mode + " mode";
        String scenario = message ? "sink-message" : "sink-byte";
        long arg = message ? total / writeSize : total;
        if (haveC()) {
            log(row + ": C");
            String address = cAddress("stream");
            try (Peer server = cServer(address, scenario, arg, PIN);
                    Peer client = cClient("pipe-client", address, "stream", mode, Integer.toString(writeSize),
                            Long.toString(total), Integer.toString(reps))) {
                double mbs = Double.parseDouble(client.result().get("mb_per_s"));
                results.throughput(row, Results.C, mbs);
                results.throughput(directRow(row), Results.C, mbs);
            }
        }
        for (Variant variant : pipeVariants()) {
            log(row + ": " + variant);
            String address = address(variant.kind(), "stream");
            double sum = 0;
            try (Peer server = javaServer(variant.kind(), address, variant.serverScenario(scenario), arg, PIN, SERVER_HEAP);
                    Endpoint c = variant.kind().connect(address, message);
                    Affinity.Pin pinned = Affinity.pinCurrentThread(PIN, Affinity.CLIENT_CPU)) {
                // Three unmeasured passes: a fresh server JVM that allocates an array per message runs
                // its first passes at a fraction of its later speed (its heap's pages are touched for
                // the first time), winipc's and the JDK's alike.
                for (int r = -WARM_UP_PASSES; r < reps; r++) {
                    long t0 = System.nanoTime();
                    if (variant.direct()) {
                        streamDirect(c, message, writeSize, total);
                    } else {
                        streamArrays(c, message, writeSize, total);
                    }
                    double mbs = total / 1e6 / ((System.nanoTime() - t0) / 1e9);
                    log(String.format(java.util.Locale.ROOT, "  %s pass: %.0f MB/s", r < 0 ? "warm-up" : "measured", mbs));
                    if (r >= 0) {
                        sum += mbs;
                    }
                }
            }
            if (variant.direct()) {
                results.throughput(directRow(row), Results.WINIPC, sum / reps);
            } else {
                results.throughput(row, variant.label(), sum / reps);
                if (variant.kind() == Endpoint.Kind.JDK) {
                    results.throughput(directRow(row), Results.JDK, sum / reps);
                }
            }
        }
    }

    /** One pass: {@code total} bytes in writes (or messages) of {@code writeSize}, then the server's one-byte answer. */
    private static void streamArrays(Endpoint c, boolean message, int writeSize, long total) {
        byte[] buf = new byte[writeSize];
        Arrays.fill(buf, (byte) 's');
        for (long sent = 0; sent < total; sent += writeSize) {
            if (message) {
                c.writeMessage(buf, 0, writeSize);
            } else {
                c.write(buf, 0, writeSize);
            }
        }
        if (message) {
            c.readMessage();
        } else {
            c.readFully(new byte[1], 0, 1);
        }
    }

    /** As {@link #streamArrays}, from one direct buffer. */
    private void streamDirect(Endpoint c, boolean message, int writeSize, long total) {
        if (directSource == null || directSource.capacity() != writeSize) {
            directSource = ByteBuffer.allocateDirect(writeSize);
            while (directSource.hasRemaining()) {
                directSource.put((byte) 's');
            }
        }
        ByteBuffer buf = directSource;
        for (long sent = 0; sent < total; sent += writeSize) {
            buf.clear();
            if (message) {
                c.writeMessage(buf);
            } else {
                c.write(buf);
            }
        }
        ByteBuffer ack = ByteBuffer.allocateDirect(16);
        if (message) {
            c.readMessage(ack);
        } else {
            c.readFully(ack.limit(1));
        }
    }
}
