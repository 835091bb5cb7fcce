package io.winipc.bench;

import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Event ping-pong between two processes (group {@code event}): round-trip latency. */
final class EventPingPong extends BenchGroup {
    EventPingPong(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    void run() {
        int warm = warmUp(5_000, 100);
        int count = latencyCount(30_000, 500);
        String row = "Event ping-pong between two processes (round trip)";
        if (haveC()) {
            log(row + ": C");
            try (Peer c = Peer.c(cPeer, "event-pingpong", Integer.toString(warm), Integer.toString(count))) {
                Map<String, String> r = c.result();
                results.latency(row, Results.C, Double.parseDouble(r.get("median_ns")), Double.parseDouble(r.get("p99_ns")));
            }
        }
        log(row + ": winipc");
        String base = "winipc-bench/event-" + ProcessHandle.current().pid() + "-" + nextId();
        try (Event a = Event.create(base + "-a", EventResetMode.AUTO);
                Event b = Event.create(base + "-b", EventResetMode.AUTO);
                Peer peer = Peer.java(SyncPeer.class, List.of(), "event-pong", base + "-a", base + "-b",
                        Integer.toString(warm + count)).awaitReady()) {
            long[] lat = new long[count];
            for (int i = -warm; i < count; i++) {
                long t0 = System.nanoTime();
                a.signal();
                b.await();
                if (i >= 0) {
                    lat[i] = System.nanoTime() - t0;
                }
            }
            peer.waitFor(60);
            Arrays.sort(lat);
            results.latency(row, Results.WINIPC, lat[count / 2], lat[Math.min(count - 1, (int) (count * 0.99))]);
        }
    }
}
