package io.winipc.bench;

import io.winipc.bench.jmh.SharedMemoryBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared memory throughput (group {@code shm}): write then read 64 MiB with JMH, beside C and a JNI-copy what-if. */
final class SharedMemoryCopies extends BenchGroup {
    SharedMemoryCopies(Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
    }

    private static final String WHAT_IF_SHM = "What-if, not winipc's API: the same 64 MiB mapping copied by JNA Pointer.write/read (JNI memmove)";

    void run() throws Exception {
        String row = "Shared memory: write then read 64 MiB (MB/s counts both copies)";
        if (haveC()) {
            log(row + ": C");
            try (Peer c = Peer.c(cPeer, "shm", Integer.toString(SharedMemoryBenchmark.SIZE), Integer.toString(n(20, 2)))) {
                results.throughput(row, Results.C, Double.parseDouble(c.result().get("mb_per_s")));
            }
        }
        log(row + ": winipc (JMH)");
        Map<String, Double> scores = jmh(SharedMemoryBenchmark.class, 2);
        results.throughput(row, Results.WINIPC, 2.0 * SharedMemoryBenchmark.SIZE / 1e6 / (scores.get("writeThenRead64MiB") / 1e3));
        // Not winipc's API: the same mapping copied by JNI's memmove, to show what the copy routine costs.
        results.throughput(WHAT_IF_SHM, Results.WINIPC,
                2.0 * SharedMemoryBenchmark.SIZE / 1e6 / (scores.get("writeThenRead64MiBWithJniCopy") / 1e3));
        List<Double> c = results.rows.get(row).rounds.get(Results.C);
        if (c != null) {
            results.throughput(WHAT_IF_SHM, Results.C, c.get(c.size() - 1));
        }
    }
}
