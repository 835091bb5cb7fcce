package io.winipc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Many concurrent virtual-thread clients (group {@code pipe-vt}), with the pinning each side saw. */
final class VirtualThreadClients extends BenchGroup {
    VirtualThreadClients(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    void run(int clients) throws Exception {
        if (!VirtualThreadsSupport.available()) {
            log("virtual threads need Java 21+: skipped");
            return;
        }
        int exchanges = 5;
        if (quick) {
            clients = Math.min(clients, 50);
        }
        if (windows && clients > 1_000 && !quick) {
            // 10,000 clients under Wine would take far beyond the time budget: see docs/BENCHMARKS.md.
            log(clients + " clients skipped under Wine");
            return;
        }
        String row = String.format("%,d concurrent virtual-thread clients (connect, %d x 64 B exchanges, close)", clients, exchanges);
        for (Endpoint.Kind kind : javaKinds()) {
            log(row + ": " + kind);
            String address = address(kind, "vt");
            try (Peer server = Peer.java(PipePeer.class, List.of(), kind.name().toLowerCase(), address, "vt-echo").awaitReady()) {
                try (Endpoint warmUp = kind.connect(address, false)) {
                    byte[] b = new byte[64];
                    warmUp.write(b, 0, 64);
                    warmUp.readFully(b, 0, 64);
                }
                ExecutorService executor = VirtualThreadsSupport.perTaskExecutor();
                long pinnedHere;
                long t0;
                long elapsed;
                try (Pinning pinning = Pinning.record()) {
                    List<Future<?>> done = new ArrayList<>(clients);
                    t0 = System.nanoTime();
                    for (int i = 0; i < clients; i++) {
                        done.add(executor.submit(() -> {
                            byte[] b = new byte[64];
                            try (Endpoint c = kind.connect(address, false)) {
                                for (int e = 0; e < exchanges; e++) {
                                    c.write(b, 0, 64);
                                    c.readFully(b, 0, 64);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(300, TimeUnit.SECONDS);
                    }
                    elapsed = System.nanoTime() - t0;
                    pinnedHere = pinning.count();
                } finally {
                    executor.shutdownNow();
                }
                server.send("STOP");
                long pinnedThere = Long.parseLong(server.result().get("pinned"));
                double seconds = elapsed / 1e9;
                results.virtualThreads(row, label(kind), clients * (double) exchanges / seconds, clients / seconds,
                        pinnedHere, pinnedThere);
            }
        }
    }
}
