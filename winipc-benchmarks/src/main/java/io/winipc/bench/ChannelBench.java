package io.winipc.bench;

import io.winipc.channel.ChannelOptions;
import io.winipc.channel.ChannelReceiver;
import io.winipc.channel.ChannelSender;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shared-memory channel group ({@code --only channel}): round trips over two channels against
 * the C spin floor and winipc's own pipe, wake-up round trips of sleeping ends against the event
 * ping-pong, one-way throughput, and the CPU of an idle receiver. It keeps its own table (its
 * baselines are not the C/JDK columns of the other groups) and writes it, with an SVG chart,
 * beside the platform's other tables.
 */
final class ChannelBench extends BenchGroup {
    /** Unmeasured round trips before the "both ends spinning" ones. */
    private static final int HOT_WARM_UP = 200_000;
    /** Spin budget of the "both ends spinning" runs: longer than any wait there, so nobody sleeps. */
    private static final long HOT_SPIN_NANOS = 5_000_000_000L;
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final double TARGET_MESSAGES_PER_SECOND = 10_000_000;

    static final String ROW_RT = "Round trip, 64 B, two channels, both ends spinning — median";
    static final String ROW_RT_P99 = "Round trip, 64 B, two channels, both ends spinning — p99";
    static final String ROW_RT_PIPE = "Round trip, 64 B: channels (spinning) against winipc's pipe — median";
    static final String ROW_WAKE = "Wake-up round trip, 64 B, both ends asleep in the OS — median";
    static final String ROW_WAKE_C = "Wake-up round trip, 64 B, both ends asleep: against C futexes — median";
    static final String ROW_TP64 = "One-way throughput, 64 B messages";
    static final String ROW_TP64K = "One-way throughput, 64 KiB messages";
    static final String ROW_IDLE = "Idle receiver with the default waits: CPU of one core";

    /** One row: the channel's value (as {@link Results#WINIPC}) and its baseline's, per round, in a {@link Results.Row}. */
    static final class Row {
        static final String BASE = "baseline";
        final String name;
        /** The row's name in the chart. */
        final String label;
        final String unit;
        final boolean lowerIsBetter;
        final String baseline;
        final Double target;
        final Results.Row data;

        Row(String name, String label, String unit, boolean lowerIsBetter, @Nullable String baseline, @Nullable Double target) {
            this.name = name;
            this.label = label;
            this.unit = unit;
            this.lowerIsBetter = lowerIsBetter;
            this.baseline = baseline;
            this.target = target;
            this.data = new Results.Row(name, lowerIsBetter ? Results.Unit.MICROS : Results.Unit.PER_S);
        }

        void channel(double value) {
            data.add(Results.WINIPC, value);
        }

        void base(double value) {
            data.add(BASE, value);
        }

        Double channel() {
            return data.value(Results.WINIPC);
        }

        Double base() {
            return data.value(BASE);
        }

        Double ratio() {
            return data.ratio(BASE);
        }

        Boolean met() {
            Double r = ratio();
            if (target == null || r == null) {
                return null;
            }
            return lowerIsBetter ? r <= target : r >= target;
        }
    }

    private final @Nullable Path spinFloor;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    /**
     * @param cPeer the C baseline of the other groups; the spin floor is built beside it (scripts/bench.sh)
     * @param results the run's shared table, which this group leaves alone (its rows are its own)
     */
    ChannelBench(@Nullable Path cPeer, boolean quick, Results results) {
        super(cPeer, quick, results);
        Path floor = cPeer == null ? null : cPeer.resolveSibling(windows ? "spin_floor.exe" : "spin_floor");
        this.spinFloor = floor != null && Files.isExecutable(floor) ? floor : null;
        row(ROW_RT, "round trip, spinning ÷ C spin floor", "µs", true, "C spin floor", 2.0);
        row(ROW_RT_P99, "round trip p99, spinning ÷ C spin floor", "µs", true, "C spin floor", null);
        row(ROW_RT_PIPE, "round trip, spinning ÷ winipc pipe", "µs", true, "winipc pipe, byte mode", null);
        row(ROW_WAKE, "wake-up round trip ÷ winipc Event", "µs", true, "winipc Event ping-pong", 1.3);
        row(ROW_WAKE_C, "wake-up round trip ÷ C futex (unpinned)", "µs", true, "C futex ping-pong", null);
        row(ROW_TP64, "64 B messages/s ÷ 10 M/s", "msg/s", false, "target 10 M/s", windows ? null : 1.0);
        row(ROW_TP64K, "", "MB/s", false, null, null);
        row(ROW_IDLE, "", "%", true, null, null);
    }

    private void row(String name, String label, String unit, boolean lowerIsBetter, @Nullable String baseline, @Nullable Double target) {
        rows.put(name, new Row(name, label, unit, lowerIsBetter, baseline, target));
    }

    boolean isEmpty() {
        return rows.values().stream().allMatch(r -> r.channel() == null);
    }

    private static void logStep(String what) {
        log("channel: " + what);
    }

    private static String unique(String what) {
        return "winipc-bench/channel-" + what + "-" + ProcessHandle.current().pid() + "-" + nextId();
    }

    /** A JVM peer on the server CPU, sized for the whole machine (see Affinity). */
    private static Peer javaPeer(Class<?> main, String... args) {
        List<String> options = Affinity.enabled(true)
                ? List.of("-XX:ActiveProcessorCount=" + Runtime.getRuntime().availableProcessors()) : List.of();
        return Peer.java(Affinity.prefix(true, Affinity.SERVER_CPU), main, options, args).awaitReady();
    }

    /** One round of every measurement with a baseline, side by side. */
    void round() throws Exception {
        int warm = quick ? 200 : 20_000;
        int count = quick ? 500 : windows ? 10_000 : 50_000;
        if (spinFloor != null) {
            logStep("spin floor (C)");
            try (Peer floor = Peer.c(spinFloor, Integer.toString(warm), Integer.toString(count))) {
                floor.awaitReady();
                Map<String, String> r = floor.result();
                rows.get(ROW_RT).base(Double.parseDouble(r.get("median_ns")) / 1000);
                rows.get(ROW_RT_P99).base(Double.parseDouble(r.get("p99_ns")) / 1000);
            }
        }
        logStep("round trip, both ends spinning");
        // Both JVMs compile for longer than 20,000 round trips (10 ms) take: warm up for 100-200 ms.
        long[] hot = channelRoundTrips(HOT_SPIN_NANOS, quick ? warm : HOT_WARM_UP, count);
        rows.get(ROW_RT).channel(hot[0] / 1000.0);
        rows.get(ROW_RT_P99).channel(hot[1] / 1000.0);
        rows.get(ROW_RT_PIPE).channel(hot[0] / 1000.0);
        logStep("pipe round trip");
        rows.get(ROW_RT_PIPE).base(pipeRoundTrips(quick ? 100 : 5_000, quick ? 300 : windows ? 3_000 : 20_000) / 1000.0);

        int sleepWarm = quick ? 100 : 5_000;
        int sleepCount = quick ? 300 : windows ? 3_000 : 20_000;
        logStep("wake-up round trip, both ends asleep");
        long[] asleep = channelRoundTrips(0, sleepWarm, sleepCount);
        rows.get(ROW_WAKE).channel(asleep[0] / 1000.0);
        rows.get(ROW_WAKE_C).channel(asleep[0] / 1000.0);
        logStep("event ping-pong (winipc)");
        rows.get(ROW_WAKE).base(eventPingPong(sleepWarm, sleepCount) / 1000.0);
        if (cPeer != null) {
            logStep("event ping-pong (C)");
            // Unpinned, as in the event group: the C peer forks its partner, which a taskset prefix would put on the same CPU.
            try (Peer c = Peer.c(cPeer, "event-pingpong", Integer.toString(sleepWarm), Integer.toString(sleepCount))) {
                rows.get(ROW_WAKE_C).base(Double.parseDouble(c.result().get("median_ns")) / 1000);
            }
        }

        logStep("throughput, 64 B");
        double perSecond = throughput(64, n(20_000_000, 20_000));
        rows.get(ROW_TP64).channel(perSecond);
        rows.get(ROW_TP64).base(TARGET_MESSAGES_PER_SECOND);
        logStep("throughput, 64 KiB");
        rows.get(ROW_TP64K).channel(throughput(64 * 1024, n(50_000, 200)) * 64 * 1024 / 1e6);
    }

    /** @return the sorted nanoseconds of {@code count} exchanges after {@code warm} unmeasured ones */
    private static long[] time(int warm, int count, Runnable exchange) {
        long[] lat = new long[count];
        for (int i = -warm; i < count; i++) {
            long t0 = System.nanoTime();
            exchange.run();
            if (i >= 0) {
                lat[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(lat);
        return lat;
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static long p99(long[] sorted) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))];
    }

    /** @return median and p99 in ns of a 64-byte message sent on one channel and echoed back on another */
    private long[] channelRoundTrips(long spinNanos, int warm, int count) {
        String ping = unique("ping");
        String pong = unique("pong");
        ChannelOptions options = ChannelPeer.waits(spinNanos).withCapacity(64 * 1024);
        long[] lat;
        // Spinning, each end's thread has a CPU of its own and the rest of each JVM (compiler, GC)
        // runs wherever the scheduler puts it; sleeping, the peer JVM is placed as the event ping-pong's.
        boolean hot = spinNanos > 0 && Affinity.enabled(true);
        try (ChannelSender out = ChannelSender.create(ping, options); ChannelReceiver in = ChannelReceiver.create(pong, options);
                Peer peer = hot
                        ? Peer.java(ChannelPeer.class, List.of(), "echo", ping, pong, Long.toString(spinNanos), "pin-thread").awaitReady()
                        : javaPeer(ChannelPeer.class, "echo", ping, pong, Long.toString(spinNanos));
                Affinity.Pin pinned = Affinity.pinCurrentThread(true, Affinity.CLIENT_CPU)) {
            ByteBuffer request = ByteBuffer.allocateDirect(64);
            ByteBuffer reply = ByteBuffer.allocateDirect(64);
            lat = time(warm, count, () -> {
                request.clear();
                out.send(request, LONG);
                reply.clear();
                if (in.receive(reply, LONG) != 64) {
                    throw new IllegalStateException("no 64-byte reply");
                }
            });
            out.close();
            peer.waitFor(60);
        }
        return new long[] {median(lat), p99(lat)};
    }

    /** @return the median ns of a 64-byte round trip over winipc's pipe, byte mode, placed as the channel runs are */
    private long pipeRoundTrips(int warm, int count) {
        String address = unique("pipe");
        try (Peer server = javaPeer(PipePeer.class, "winipc", address, "echo-byte", "0");
                Endpoint c = Endpoint.Kind.WINIPC.connect(address, false);
                Affinity.Pin pinned = Affinity.pinCurrentThread(true, Affinity.CLIENT_CPU)) {
            byte[] req = new byte[64];
            byte[] rep = new byte[64];
            return median(time(warm, count, () -> {
                c.write(req, 0, 64);
                c.readFully(rep, 0, 64);
            }));
        }
    }

    /** @return the median ns of an auto-reset event ping-pong between two processes, placed as the channel runs are */
    private long eventPingPong(int warm, int count) {
        String base = unique("event");
        try (Event a = Event.create(base + "-a", EventResetMode.AUTO); Event b = Event.create(base + "-b", EventResetMode.AUTO);
                Peer peer = javaPeer(SyncPeer.class, "event-pong", base + "-a", base + "-b", Integer.toString(warm + count));
                Affinity.Pin pinned = Affinity.pinCurrentThread(true, Affinity.CLIENT_CPU)) {
            long[] lat = time(warm, count, () -> {
                a.signal();
                b.await();
            });
            peer.waitFor(60);
            return median(lat);
        }
    }

    /** @return messages per second from a sender process into this one, timed from the first message to the last */
    private double throughput(int size, int count) {
        String name = unique("flow");
        ChannelOptions options = ChannelPeer.waits(HOT_SPIN_NANOS).withCapacity(1 << 20).withMaxMessageSize(64 * 1024);
        try (ChannelReceiver in = ChannelReceiver.create(name, options);
                Peer peer = javaPeer(ChannelPeer.class, "send", name, Integer.toString(count), Integer.toString(size),
                        Long.toString(HOT_SPIN_NANOS));
                Affinity.Pin pinned = Affinity.pinCurrentThread(true, Affinity.CLIENT_CPU)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(size);
            peer.send("GO");
            long first = 0;
            for (int i = 0; i < count; i++) {
                buf.clear();
                if (in.receive(buf, LONG) != size) {
                    throw new IllegalStateException("message " + i + " missing or of the wrong size");
                }
                if (i == 0) {
                    first = System.nanoTime();
                }
            }
            long elapsed = System.nanoTime() - first;
            peer.result();
            return (count - 1) * 1e9 / elapsed;
        }
    }

    /** The CPU a receiver uses while nothing comes, with the default waits, over a few seconds. */
    void idleCpu() throws Exception {
        Duration idle = Duration.ofSeconds(quick ? 1 : 10);
        logStep("idle receiver for " + idle.toSeconds() + " s");
        String name = unique("idle");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] percent = new double[1];
        try (ChannelReceiver in = ChannelReceiver.create(name)) {
            Thread t = new Thread(() -> {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (in.receive(idle) != null) {
                    throw new IllegalStateException("a message on an idle channel");
                }
                percent[0] = 100.0 * (threads.getCurrentThreadCpuTime() - cpu0) / (System.nanoTime() - t0);
            });
            t.start();
            t.join();
        }
        rows.get(ROW_IDLE).channel(percent[0]);
    }

    // ---------- report ----------

    private static String number(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    String markdown(Environment before, Environment after, long seconds) {
        StringBuilder md = new StringBuilder();
        md.append("Channel group, ").append(before.date()).append(", ").append(before.machine()).append(", ").append(before.jdk())
                .append("; load average before ").append(before.loadAverage()).append(", after ").append(after.loadAverage())
                .append("; ").append(seconds).append(" s for the whole run").append(quick ? " (QUICK: tiny counts, not a measurement)" : "")
                .append(". Medians over the rounds; in brackets the lowest and highest ratio of a single round.\n\n");
        md.append("| Measurement | Unit | Channel | Baseline | Ratio | Target |\n|---|---|---|---|---|---|\n");
        for (Row r : rows.values()) {
            Double c = r.channel();
            if (c == null) {
                continue;
            }
            Double b = r.base();
            Double ratio = r.ratio();
            double[] range = r.data.ratioRange(Row.BASE);
            md.append("| ").append(r.name).append(" | ").append(r.unit).append(" | ").append(number(c)).append(" | ")
                    .append(b == null ? "" : number(b) + " (" + r.baseline + ")").append(" | ")
                    .append(ratio == null ? "" : String.format(Locale.ROOT, "%.2fx", ratio)
                            + (range == null ? "" : String.format(Locale.ROOT, " (%.2f–%.2f)", range[0], range[1])))
                    .append(" | ").append(r.target == null ? "" : (r.lowerIsBetter ? "≤ " : "≥ ") + r.target + "x"
                            + (r.met() == null ? "" : r.met() ? " — met" : " — **missed**"))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Two charts: each row's ratio to its baseline with the target as a line, and the round trips on one log scale. */
    String svg(String platform) {
        List<Row> ratioRows = rows.values().stream().filter(r -> r.ratio() != null).toList();
        int width = 900;
        int barHeight = 26;
        int top = 50;
        int left = 430;
        int plot = width - left - 60;
        int panel1 = top + ratioRows.size() * barHeight + 40;
        Map<String, Double> trips = new LinkedHashMap<>();
        Row rt = rows.get(ROW_RT);
        Row wake = rows.get(ROW_WAKE);
        putIf(trips, "C spin floor", rt.base());
        putIf(trips, "channel, spinning", rt.channel());
        putIf(trips, "channel, asleep", wake.channel());
        putIf(trips, "winipc Event ping-pong", wake.base());
        putIf(trips, "C futex ping-pong", rows.get(ROW_WAKE_C).base());
        putIf(trips, "winipc pipe", rows.get(ROW_RT_PIPE).base());
        int height = panel1 + 60 + trips.size() * barHeight + 50;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(10, 22, "winipc channel (" + platform + "): ratio to the baseline per row; the red line is the target", 15, "bold"));
        // A linear scale up to 3x keeps the targets (1x to 2x) readable; longer bars are cut, their value written beside them.
        double maxRatio = 3;
        int y = top;
        for (Row r : ratioRows) {
            double ratio = r.ratio();
            int w = (int) Math.max(1, Math.min(ratio, maxRatio) / maxRatio * plot);
            String colour = r.met() == null ? "#8899aa" : r.met() ? "#3a8f4a" : "#c0504d";
            s.append(text(10, y + 17, r.label, 12, "normal"));
            s.append("<rect x=\"").append(left).append("\" y=\"").append(y + 4).append("\" width=\"").append(w).append("\" height=\"")
                    .append(barHeight - 8).append("\" fill=\"").append(colour).append("\"/>\n");
            s.append(text(left + w + 6, y + 17, (ratio > maxRatio ? "› " : "") + String.format(Locale.ROOT, "%.2fx", ratio), 12, "normal"));
            if (r.target != null) {
                int x = left + (int) (r.target / maxRatio * plot);
                s.append("<line x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"").append(y + 1).append("\" y2=\"")
                        .append(y + barHeight - 1).append("\" stroke=\"red\" stroke-width=\"3\"/>\n");
            }
            y += barHeight;
        }
        int one = left + (int) (1 / maxRatio * plot);
        s.append("<line x1=\"").append(one).append("\" x2=\"").append(one).append("\" y1=\"").append(top).append("\" y2=\"").append(y)
                .append("\" stroke=\"#444\" stroke-dasharray=\"4 3\"/>\n").append(text(one - 8, y + 16, "1x", 11, "normal"));

        int y2 = panel1 + 30;
        s.append(text(10, y2 - 8, "Round trips between two processes, median µs (log scale)", 15, "bold"));
        double lo = 0.05;
        double hi = 100;
        for (double v : trips.values()) {
            hi = Math.max(hi, v * 2);
        }
        double decades = Math.log10(hi / lo);
        for (double tick = lo; tick <= hi * 1.0001; tick *= 10) {
            int x = left + (int) (Math.log10(tick / lo) / decades * plot);
            s.append("<line x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"").append(y2).append("\" y2=\"")
                    .append(y2 + trips.size() * barHeight).append("\" stroke=\"#ddd\"/>\n");
            s.append(text(x - 10, y2 + trips.size() * barHeight + 16, number(tick), 11, "normal"));
        }
        for (Map.Entry<String, Double> e : trips.entrySet()) {
            int w = (int) Math.max(1, Math.log10(Math.max(e.getValue(), lo) / lo) / decades * plot);
            s.append(text(10, y2 + 17, e.getKey(), 12, "normal"));
            s.append("<rect x=\"").append(left).append("\" y=\"").append(y2 + 4).append("\" width=\"").append(w).append("\" height=\"")
                    .append(barHeight - 8).append("\" fill=\"").append(e.getKey().startsWith("channel") ? "#2f6db5" : "#8899aa")
                    .append("\"/>\n");
            s.append(text(left + w + 6, y2 + 17, number(e.getValue()) + " µs", 12, "normal"));
            y2 += barHeight;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void putIf(Map<String, Double> map, String key, Double value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String text(int x, int y, String text, int size, String weight) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\" font-weight=\"" + weight + "\">" + escaped + "</text>\n";
    }

    /** Writes the table between the channel markers of the platform in {@code file}, and the chart beside it. */
    void write(Path file, String platform, Environment before, Environment after, long seconds) throws IOException {
        String chart = "benchmarks-channel-" + platform + ".svg";
        Files.writeString(file.resolveSibling(chart), svg(platform), StandardCharsets.UTF_8);
        Report.update(file, "channel-" + platform, markdown(before, after, seconds) + "\n![channel benchmarks, " + platform + "](" + chart
                + ")\n");
    }
}
