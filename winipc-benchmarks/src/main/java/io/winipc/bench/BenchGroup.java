package io.winipc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What every group of measurements shares: the run's settings (quick or full, Wine or not, the C
 * peer), the results table, counts scaled for the run, unique addresses, and the peers' start-up.
 * {@link BenchMain} runs the groups; each group is a subclass with a {@code run} method.
 */
abstract class BenchGroup {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Whether the round-trip and streaming groups keep client and server on different CPUs (see Affinity). */
    static final boolean PIN = true;

    final Path cPeer;
    final boolean quick;
    final Results results;
    final boolean windows = Peer.isWindows();

    BenchGroup(Path cPeer, boolean quick, Results results) {
        this.cPeer = cPeer;
        this.quick = quick;
        this.results = results;
    }

    /** @return a number unique in this run, for object and pipe names */
    static int nextId() {
        return SEQUENCE.incrementAndGet();
    }

    /**
     * @return the count for a full run, or the quick one; under Wine every kernel-object call is a
     *     round trip to wineserver, so full counts are a tenth there to stay within the time budget
     */
    int n(int full, int small) {
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
    int warmUp(int full, int small) {
        return quick ? small : full;
    }

    /** @return the measured count of a latency measurement: a third under Wine, where each exchange costs ten times more */
    int latencyCount(int full, int small) {
        return quick ? small : windows ? full / 3 : full;
    }

    String address(Endpoint.Kind kind, String scenario) {
        String unique = ProcessHandle.current().pid() + "-" + nextId();
        if (kind == Endpoint.Kind.WINIPC) {
            return "winipc-bench/" + scenario + "-" + unique;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "winipc-bench-jdk-" + unique + ".sock").toString();
    }

    String cAddress(String scenario) {
        String unique = ProcessHandle.current().pid() + "-" + nextId();
        if (windows) {
            return "\\\\.\\pipe\\winipc-bench-c-" + scenario + "-" + unique;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "winipc-bench-c-" + unique + ".sock").toString();
    }

    /** The Java implementations to measure: winipc, and on Linux the JDK's channel as well. */
    List<Endpoint.Kind> javaKinds() {
        return windows ? List.of(Endpoint.Kind.WINIPC) : List.of(Endpoint.Kind.WINIPC, Endpoint.Kind.JDK);
    }

    static String label(Endpoint.Kind kind) {
        return kind == Endpoint.Kind.WINIPC ? Results.WINIPC : Results.JDK;
    }

    /** @param pinned whether the server runs on the server CPU (round trips and streaming; see Affinity) */
    Peer javaServer(Endpoint.Kind kind, String address, String scenario, long arg, boolean pinned) {
        return javaServer(kind, address, scenario, arg, pinned, List.of());
    }

    /** @param extraOptions more options for the server's JVM */
    Peer javaServer(Endpoint.Kind kind, String address, String scenario, long arg, boolean pinned, List<String> extraOptions) {
        List<String> options = new java.util.ArrayList<>(extraOptions);
        if (Affinity.enabled(pinned)) {
            // A JVM started on one CPU would size itself for one (serial GC, one compiler thread): keep the sizing of this machine.
            options.add("-XX:ActiveProcessorCount=" + Runtime.getRuntime().availableProcessors());
        }
        return Peer.java(Affinity.prefix(pinned, Affinity.SERVER_CPU), PipePeer.class, options, kind.name().toLowerCase(),
                address, scenario, Long.toString(arg)).awaitReady();
    }

    Peer cServer(String address, String scenario, long arg, boolean pinned) {
        return Peer.c(Affinity.prefix(pinned, Affinity.SERVER_CPU), cPeer, "pipe-server", address, scenario, Long.toString(arg))
                .awaitReady();
    }

    /** A C client on the client CPU (round trips and streaming only). */
    Peer cClient(String... args) {
        return Peer.c(Affinity.prefix(PIN, Affinity.CLIENT_CPU), cPeer, args);
    }

    /**
     * One Java implementation the pipe measurements run: winipc with arrays, winipc with direct
     * ByteBuffers (extra rows, measured against the same baselines), or the JDK's channel.
     */
    record Variant(Endpoint.Kind kind, boolean direct) {
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

    List<Variant> pipeVariants() {
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

    boolean haveC() {
        if (cPeer == null) {
            System.err.println("[bench] no C peer given (--c-peer): C baselines skipped");
        }
        return cPeer != null;
    }

    static void log(String what) {
        System.err.println("[bench] " + what);
    }

    Map<String, Double> jmh(Class<?> benchmark, int measurements) throws Exception {
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
}
