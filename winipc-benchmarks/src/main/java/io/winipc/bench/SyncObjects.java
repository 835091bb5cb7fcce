package io.winipc.bench;

import io.winipc.bench.jmh.SyncBenchmark;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Mutex and semaphore operations (group {@code sync}), uncontended (JMH) and contended by two processes. */
final class SyncObjects extends BenchGroup {
    SyncObjects(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    void run() throws Exception {
        // Under Wine a contended wait costs a wineserver round trip (~100 µs): fewer operations there.
        int count = windows && !quick ? 10_000 : n(1_000_000, 2_000);
        if (haveC()) {
            for (String kind : List.of("mutex", "semaphore")) {
                for (String contention : List.of("uncontended", "contended")) {
                    log(kind + " " + contention + ": C");
                    try (Peer c = Peer.c(cPeer, "sync", kind, contention, Integer.toString(count))) {
                        results.nanosPerOp(syncRow(kind, contention), Results.C, Double.parseDouble(c.result().get("ns_per_op")));
                    }
                }
            }
        }
        log("mutex and semaphore uncontended: winipc (JMH)");
        Map<String, Double> scores = jmh(SyncBenchmark.class, 5);
        results.nanosPerOp(syncRow("mutex", "uncontended"), Results.WINIPC, scores.get("mutexLockUnlock"));
        results.nanosPerOp(syncRow("semaphore", "uncontended"), Results.WINIPC, scores.get("semaphoreAcquireRelease"));
        for (String kind : List.of("mutex", "semaphore")) {
            log(kind + " contended: winipc");
            String name = "winipc-bench/contend-" + kind + "-" + ProcessHandle.current().pid() + "-" + nextId();
            boolean isMutex = kind.equals("mutex");
            try (Mutex m = isMutex ? Mutex.create(name) : null;
                    Semaphore s = isMutex ? null : Semaphore.create(name, 1, 1);
                    Peer peer = Peer.java(SyncPeer.class, List.of(), "contend", kind, name, Integer.toString(count)).awaitReady()) {
                SyncPeer.SyncOps.run(m, s, Math.min(count, 50_000));
                peer.send("GO");
                long t0 = System.nanoTime();
                SyncPeer.SyncOps.run(m, s, count);
                long mine = System.nanoTime() - t0;
                long theirs = Long.parseLong(peer.result().get("ns"));
                results.nanosPerOp(syncRow(kind, "contended"), Results.WINIPC, Math.max(mine, theirs) / (2.0 * count));
            }
        }
    }

    private static String syncRow(String kind, String contention) {
        String op = kind.equals("mutex") ? "Mutex lock + unlock" : "Semaphore acquire + release";
        return op + ", " + (contention.equals("contended") ? "contended by 2 processes" : "uncontended");
    }
}
