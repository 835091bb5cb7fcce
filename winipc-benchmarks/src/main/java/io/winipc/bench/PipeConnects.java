package io.winipc.bench;

import java.nio.file.Path;

/** Connects per second (group {@code pipe-connect}): connect, one 64 B exchange, close. */
final class PipeConnects extends BenchGroup {
    PipeConnects(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    void run() {
        int warm = n(2_000, 50);
        int count = n(20_000, 200);
        String row = "Connects per second (connect, 64 B exchange, close)";
        if (haveC()) {
            log(row + ": C");
            String address = cAddress("connect");
            try (Peer server = cServer(address, "echo-byte", 0, false);
                    Peer client = Peer.c(cPeer, "pipe-client", address, "connect", Integer.toString(warm), Integer.toString(count))) {
                results.rate(row, Results.C, Double.parseDouble(client.result().get("per_s")));
            }
        }
        for (Endpoint.Kind kind : javaKinds()) {
            log(row + ": " + kind);
            String address = address(kind, "connect");
            try (Peer server = javaServer(kind, address, "echo-byte", 0, false)) {
                byte[] req = new byte[64];
                byte[] rep = new byte[64];
                long t0 = 0;
                for (int i = -warm; i < count; i++) {
                    if (i == 0) {
                        t0 = System.nanoTime();
                    }
                    try (Endpoint c = kind.connect(address, false)) {
                        c.write(req, 0, 64);
                        c.readFully(rep, 0, 64);
                    }
                }
                results.rate(row, label(kind), count / ((System.nanoTime() - t0) / 1e9));
            }
        }
    }
}
