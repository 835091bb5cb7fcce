package io.winipc.bench;

import io.winipc.bench.jmh.SharedMemoryBenchmark;
import io.winipc.bench.jmh.SyncBenchmark;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

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
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String WHAT_IF_SHM = "What-if, not winipc's API: the same 64 MiB mapping copied by JNA Pointer.write/read (JNI memmove)";

    private final Path cPeer;
    private final boolean quick;
    private final List<String> only;
    private final Results results = new Results();
    private final boolean windows = Peer.isWindows();
    /** Whether the round-trip and streaming groups keep client and server on different CPUs (see Affinity). */
    private static final boolean PIN = true;
    /** The source buffer of the direct-ByteBuffer streaming runs, reused like the array of the array runs. */
    private ByteBuffer directSource;

    /** The channel group, with a table and chart of its own. */
    private final ChannelBench channels;

    private BenchMain(Path cPeer, boolean quick, List<String> only) {
        this.cPeer = cPeer;
        this.channels = new ChannelBench(cPeer, quick);
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

    /**
     * @return the count for a full run, or the quick one; under Wine every kernel-object call is a
     *     round trip to wineserver, so full counts are a tenth there to stay within the time budget
     */
    private int n(int full, int small) {
        if (quick) {
            return small;
        }
        return windows ? Math.max(small, full / 10) : full;
    }

    /**
     * @return the warm-up of a latency measurement: the full one under Wine too, since with a tenth
     *     of it the Windows JVM was still compiling the measured loop (an event ping-pong measured
     *     1.62x of C after 500 warm-up round trips and 1.12x after 5,000, back to back)
     */
    private int warmUp(int full, int small) {
        return quick ? small : full;
    }

    /** @return the measured count of a latency measurement: a third under Wine, where each exchange costs ten times more */
    private int latencyCount(int full, int small) {
        return quick ? small : windows ? full / 3 : full;
    }

    /** Rounds of the measurements that have targets: the machine's load drifts, so each round runs them side by side. */
    private int rounds() {
        // Under Wine a round takes about 30 s since the Windows backend's transfers stopped going
        // through the completion port: three rounds give a median and a range within the budget.
        return quick ? 1 : windows ? 3 : 5;
    }

    private void runAll() throws Exception {
        for (int round = 1; round <= rounds(); round++) {
            log("round " + round + " of " + rounds());
            if (wanted("pipe-rt")) {
                roundTrips(false);
                roundTrips(true);
            }
            if (wanted("pipe-stream")) {
                streaming(false, 64 << 10);
                streaming(false, 1 << 20);
                streaming(true, 1 << 20);
            }
            if (wanted("event")) {
                eventPingPong();
            }
            if (wanted("shm")) {
                sharedMemory();
            }
            if (wanted("channel")) {
                channels.round();
            }
        }
        if (wanted("channel")) {
            channels.idleCpu();
        }
        if (wanted("pipe-connect")) {
            connects();
        }
        if (wanted("pipe-vt")) {
            virtualThreadClients(1_000);
            virtualThreadClients(10_000);
        }
        if (wanted("sync")) {
            syncObjects();
        }
    }

    // ---------- addresses and servers ----------

    private String address(Endpoint.Kind kind, String scenario) {
        String unique = ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        if (kind == Endpoint.Kind.WINIPC) {
            return "winipc-bench/" + scenario + "-" + unique;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "winipc-bench-jdk-" + unique + ".sock").toString();
    }

    private String cAddress(String scenario) {
        String unique = ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        if (windows) {
            return "\\\\.\\pipe\\winipc-bench-c-" + scenario + "-" + unique;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "winipc-bench-c-" + unique + ".sock").toString();
    }

    /** The Java implementations to measure: winipc, and on Linux the JDK's channel as well. */
    private List<Endpoint.Kind> javaKinds() {
        return windows ? List.of(Endpoint.Kind.WINIPC) : List.of(Endpoint.Kind.WINIPC, Endpoint.Kind.JDK);
    }

    private static String label(Endpoint.Kind kind) {
        return kind == Endpoint.Kind.WINIPC ? Results.WINIPC : Results.JDK;
    }

    /** @param pinned whether the server runs on the server CPU (round trips and streaming; see Affinity) */
    private Peer javaServer(Endpoint.Kind kind, String address, String scenario, long arg, boolean pinned) {
        // A JVM started on one CPU would size itself for one (serial GC, one compiler thread): keep the sizing of this machine.
        List<String> options = Affinity.enabled(pinned)
                ? List.of("-XX:ActiveProcessorCount=" + Runtime.getRuntime().availableProcessors()) : List.of();
        return Peer.java(Affinity.prefix(pinned, Affinity.SERVER_CPU), PipePeer.class, options, kind.name().toLowerCase(),
                address, scenario, Long.toString(arg)).awaitReady();
    }

    private Peer cServer(String address, String scenario, long arg, boolean pinned) {
        return Peer.c(Affinity.prefix(pinned, Affinity.SERVER_CPU), cPeer, "pipe-server", address, scenario, Long.toString(arg))
                .awaitReady();
    }

    /** A C client on the client CPU (round trips and streaming only). */
    private Peer cClient(String... args) {
        return Peer.c(Affinity.prefix(PIN, Affinity.CLIENT_CPU), cPeer, args);
    }

    /**
     * One Java implementation the pipe measurements run: winipc with arrays, winipc with direct
     * ByteBuffers (extra rows, measured against the same baselines), or the JDK's channel.
     */
    private record Variant(Endpoint.Kind kind, boolean direct) {
        String label() {
            return kind == Endpoint.Kind.WINIPC ? Results.WINIPC : Results.JDK;
        }

        String serverScenario(String scenario) {
            return direct ? scenario + "-direct" : scenario;
        }

        @Override
        public String toString() {
            return kind + (direct ? " (direct ByteBuffer)" : "");
        }
    }

    private List<Variant> pipeVariants() {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(Endpoint.Kind.WINIPC, false));
        variants.add(new Variant(Endpoint.Kind.WINIPC, true));
        if (!windows) {
            variants.add(new Variant(Endpoint.Kind.JDK, false));
        }
        return variants;
    }

    /** The name of the extra row that holds winipc's direct-ByteBuffer figure beside the same baselines. */
    static String directRow(String row) {
        return row + " (winipc, direct ByteBuffer)";
    }

    private boolean haveC() {
        if (cPeer == null) {
            System.err.println("[bench] no C peer given (--c-peer): C baselines skipped");
        }
        return cPeer != null;
    }

    private static void log(String what) {
        System.err.println("[bench] " + what);
    }

    // ---------- pipes ----------

    private void roundTrips(boolean message) {
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

    private void streaming(boolean message, int writeSize) {
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
            try (Peer server = javaServer(variant.kind(), address, variant.serverScenario(scenario), arg, PIN);
                    Endpoint c = variant.kind().connect(address, message);
                    Affinity.Pin pinned = Affinity.pinCurrentThread(PIN, Affinity.CLIENT_CPU)) {
                for (int r = -1; r < reps; r++) {
                    long t0 = System.nanoTime();
                    if (variant.direct()) {
                        streamDirect(c, message, writeSize, total);
                    } else {
                        streamArrays(c, message, writeSize, total);
                    }
                    double mbs = total / 1e6 / ((System.nanoTime() - t0) / 1e9);
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

    private void connects() {
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

    private void virtualThreadClients(int clients) throws Exception {
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

    // ---------- shared memory, events, locks ----------

    private Map<String, Double> jmh(Class<?> benchmark, int measurements) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmark.getName().replace(".", "\\.") + "\\.")
                // JMH's fork talks to this JVM over a loopback socket, and under Wine 8 the Windows Java 21
                // aborts looking up the loopback address (iphlpapi!GetAnycastIpAddressTable is missing):
                // there the benchmarks run in this JVM instead.
                .forks(windows ? 0 : 1)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.milliseconds(quick ? 100 : 1000))
                .measurementIterations(quick ? 1 : measurements)
                .measurementTime(TimeValue.milliseconds(quick ? 100 : 1000))
                .jvmArgsAppend(Peer.childJvmOptions().toArray(String[]::new))
                .shouldFailOnError(true);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            String method = r.getParams().getBenchmark();
            scores.put(method.substring(method.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        return scores;
    }

    private void sharedMemory() throws Exception {
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

    private void eventPingPong() {
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
        String base = "winipc-bench/event-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
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

    private void syncObjects() throws Exception {
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
            String name = "winipc-bench/contend-" + kind + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
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
