package io.winipc.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs every benchmark of the harness, each implementation beside its baselines, and writes the
 * results table into docs/BENCHMARKS.md (between the markers of this platform).
 *
 * <p>Arguments: {@code --c-peer PATH} (the C baseline, built by scripts/bench.sh), {@code --out
 * FILE} (the Markdown file to update; none prints the table only), {@code --machine TEXT},
 * {@code --quick} (tiny counts: checks that the harness works, measures nothing useful),
 * {@code --only GROUP[,GROUP]} (pipe-rt, pipe-stream, pipe-connect, pipe-vt, shm, event, sync, channel).
 */
public final class BenchMain {
    private final Path cPeer;
    private final boolean quick;
    private final List<String> only;
    private final Results results = new Results();
    private final boolean windows = Peer.isWindows();

    /** The channel group, with a table and chart of its own. */
    private final ChannelBench channels;

    private BenchMain(Path cPeer, boolean quick, List<String> only) {
        this.cPeer = cPeer;
        this.channels = new ChannelBench(cPeer, quick, results);
        this.quick = quick;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        Path cPeer = null;
        Path out = null;
        String machine = null;
        boolean quick = false;
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--c-peer" -> cPeer = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--machine" -> machine = args[++i];
                case "--quick" -> quick = true;
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Environment before = Environment.sample(machine);
        long start = System.nanoTime();
        BenchMain bench = new BenchMain(cPeer, quick, only);
        bench.runAll();
        Environment after = Environment.sample(machine);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String table = Report.markdown(bench.results, before, after, seconds, quick, bench.windows);
        System.out.println(table);
        if (out != null) {
            Report.update(out, bench.windows ? "windows" : "linux", table);
            System.err.println("[bench] updated " + out);
        }
        if (!bench.channels.isEmpty()) {
            System.out.println(bench.channels.markdown(before, after, seconds));
            if (out != null) {
                bench.channels.write(out, bench.windows ? "windows" : "linux", before, after, seconds);
            }
        }
    }

    private boolean wanted(String group) {
        return only.isEmpty() || only.contains(group);
    }

    /** Rounds of the measurements that have targets: the machine's load drifts, so each round runs them side by side. */
    private int rounds() {
        // Under Wine a round takes about 30 s since the Windows backend's transfers stopped going
        // through the completion port: three rounds give a median and a range within the budget.
        return quick ? 1 : windows ? 3 : 5;
    }

    private void runAll() throws Exception {
        PipeRoundTrips roundTrips = new PipeRoundTrips(cPeer, quick, results);
        PipeStreaming streaming = new PipeStreaming(cPeer, quick, results);
        EventPingPong events = new EventPingPong(cPeer, quick, results);
        SharedMemoryCopies sharedMemory = new SharedMemoryCopies(cPeer, quick, results);
        for (int round = 1; round <= rounds(); round++) {
            BenchGroup.log("round " + round + " of " + rounds());
            if (wanted("pipe-rt")) {
                roundTrips.run(false);
                roundTrips.run(true);
            }
            if (wanted("pipe-stream")) {
                streaming.run(false, 64 << 10);
                streaming.run(false, 1 << 20);
                streaming.run(true, 1 << 20);
            }
            if (wanted("event")) {
                events.run();
            }
            if (wanted("shm")) {
                sharedMemory.run();
            }
            if (wanted("channel")) {
                channels.round();
            }
        }
        if (wanted("channel")) {
            channels.idleCpu();
        }
        if (wanted("pipe-connect")) {
            new PipeConnects(cPeer, quick, results).run();
        }
        if (wanted("pipe-vt")) {
            VirtualThreadClients clients = new VirtualThreadClients(cPeer, quick, results);
            clients.run(1_000);
            clients.run(10_000);
        }
        if (wanted("sync")) {
            new SyncObjects(cPeer, quick, results).run();
        }
    }

    /** The name of the extra row that holds winipc's direct-ByteBuffer figure beside the same baselines. */
    static String directRow(String row) {
        return BenchGroup.directRow(row);
    }

    /** For the smoke test. */
    static Results runQuick(Path cPeer, List<String> only) throws Exception {
        BenchMain bench = new BenchMain(cPeer, true, only);
        bench.runAll();
        return bench.results;
    }

    static void writeReport(Path out, Results results) throws IOException {
        Environment e = Environment.sample(null);
        Report.update(out, Peer.isWindows() ? "windows" : "linux", Report.markdown(results, e, e, 0, true, Peer.isWindows()));
    }
}
