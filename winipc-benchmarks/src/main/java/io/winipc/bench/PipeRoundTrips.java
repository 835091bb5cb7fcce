package io.winipc.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Pipe round trips (group {@code pipe-rt}): 64 B request and reply, byte and message mode, arrays and direct buffers. */
final class PipeRoundTrips extends BenchGroup {
    PipeRoundTrips(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    void run(boolean message) {
        String mode = message ? "message" : "byte";
        String scenario = "echo-" + mode;
        int warm = warmUp(5_000, 200);
        int count = latencyCount(30_000, 500);
        String row = "Pipe round trip, 64 B, " + mode + " mode";
        if (haveC()) {
            log(row + ": C");
            String address = cAddress("rt");
            try (Peer server = cServer(address, scenario, 0, PIN);
                    Peer client = cClient("pipe-client", address, "rt", mode, Integer.toString(warm), Integer.toString(count))) {
                Map<String, String> r = client.result();
                double median = Double.parseDouble(r.get("median_ns"));
                double p99 = Double.parseDouble(r.get("p99_ns"));
                results.latency(row, Results.C, median, p99);
                results.latency(directRow(row), Results.C, median, p99);
            }
        }
        for (Variant variant : pipeVariants()) {
            log(row + ": " + variant);
            String address = address(variant.kind(), "rt");
            long[] lat = new long[count];
            try (Peer server = javaServer(variant.kind(), address, variant.serverScenario(scenario), 0, PIN);
                    Endpoint c = variant.kind().connect(address, message);
                    Affinity.Pin pinned = Affinity.pinCurrentThread(PIN, Affinity.CLIENT_CPU)) {
                if (variant.direct()) {
                    directRoundTrips(c, message, warm, lat);
                } else {
                    arrayRoundTrips(c, message, warm, lat);
                }
            }
            Arrays.sort(lat);
            double median = lat[count / 2];
            double p99 = lat[Math.min(count - 1, (int) (count * 0.99))];
            if (variant.direct()) {
                results.latency(directRow(row), Results.WINIPC, median, p99);
            } else {
                results.latency(row, variant.label(), median, p99);
                if (variant.kind() == Endpoint.Kind.JDK) {
                    results.latency(directRow(row), Results.JDK, median, p99);
                }
            }
        }
    }

    private static void arrayRoundTrips(Endpoint c, boolean message, int warm, long[] lat) {
        byte[] req = new byte[64];
        byte[] rep = new byte[64];
        Arrays.fill(req, (byte) 'q');
        for (int i = -warm; i < lat.length; i++) {
            long t0 = System.nanoTime();
            if (message) {
                c.writeMessage(req, 0, 64);
                if (c.readMessage().length != 64) {
                    throw new IllegalStateException("short reply");
                }
            } else {
                c.write(req, 0, 64);
                c.readFully(rep, 0, 64);
            }
            if (i >= 0) {
                lat[i] = System.nanoTime() - t0;
            }
        }
    }

    private static void directRoundTrips(Endpoint c, boolean message, int warm, long[] lat) {
        ByteBuffer req = ByteBuffer.allocateDirect(64);
        ByteBuffer rep = ByteBuffer.allocateDirect(64);
        while (req.hasRemaining()) {
            req.put((byte) 'q');
        }
        for (int i = -warm; i < lat.length; i++) {
            long t0 = System.nanoTime();
            req.clear();
            rep.clear();
            if (message) {
                c.writeMessage(req);
                if (c.readMessage(rep) != 64) {
                    throw new IllegalStateException("short reply");
                }
            } else {
                c.write(req);
                c.readFully(rep);
            }
            if (i >= 0) {
                lat[i] = System.nanoTime() - t0;
            }
        }
    }
}
