package io.winipc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the harness measured: one row per measurement, one value per implementation. */
final class Results {
    static final String WINIPC = "winipc";
    static final String C = "C";
    static final String JDK = "JDK";

    enum Unit {
        MICROS("µs", true), MB_PER_S("MB/s", false), PER_S("/s", false), NANOS_PER_OP("ns/op", true);

        final String label;
        final boolean lowerIsBetter;

        Unit(String label, boolean lowerIsBetter) {
            this.label = label;
            this.lowerIsBetter = lowerIsBetter;
        }
    }

    static final class Row {
        final String name;
        final Unit unit;
        final Map<String, Double> values = new LinkedHashMap<>();
        /** The bound on winipc ÷ C, and on winipc ÷ JDK; null where the issue sets none. */
        Double targetVsC;
        Double targetVsJdk;

        Row(String name, Unit unit) {
            this.name = name;
            this.unit = unit;
        }

        Double ratio(String baseline) {
            Double w = values.get(WINIPC);
            Double b = values.get(baseline);
            return w == null || b == null || b == 0 ? null : w / b;
        }

        /** @return null when there is no target or no value */
        Boolean met(String baseline) {
            Double target = baseline.equals(C) ? targetVsC : targetVsJdk;
            Double r = ratio(baseline);
            if (target == null || r == null) {
                return null;
            }
            return unit.lowerIsBetter ? r <= target : r >= target;
        }
    }

    record VirtualThreadRun(String name, String impl, double exchangesPerSecond, double connectsPerSecond,
            long pinnedClientSide, long pinnedServerSide) {
    }

    final Map<String, Row> rows = new LinkedHashMap<>();
    final List<VirtualThreadRun> virtualThreadRuns = new ArrayList<>();

    private Row row(String name, Unit unit) {
        return rows.computeIfAbsent(name, n -> {
            Row r = new Row(n, unit);
            if (n.startsWith("Pipe round trip") && n.endsWith("median")) {
                r.targetVsC = 1.3;
                r.targetVsJdk = 1.05;
            } else if (n.startsWith("Streaming")) {
                r.targetVsC = 0.9;
                r.targetVsJdk = 0.95;
            } else if (n.startsWith("Shared memory")) {
                r.targetVsC = 0.95;
            } else if (n.startsWith("Event ping-pong") && n.endsWith("median")) {
                r.targetVsC = 1.3;
            }
            return r;
        });
    }

    void latency(String name, String impl, double medianNanos, double p99Nanos) {
        row(name + " — median", Unit.MICROS).values.put(impl, medianNanos / 1000);
        row(name + " — p99", Unit.MICROS).values.put(impl, p99Nanos / 1000);
    }

    void throughput(String name, String impl, double mbPerSecond) {
        row(name, Unit.MB_PER_S).values.put(impl, mbPerSecond);
    }

    void rate(String name, String impl, double perSecond) {
        row(name, Unit.PER_S).values.put(impl, perSecond);
    }

    void nanosPerOp(String name, String impl, double nanos) {
        row(name, Unit.NANOS_PER_OP).values.put(impl, nanos);
    }

    void virtualThreads(String name, String impl, double exchangesPerSecond, double connectsPerSecond,
            long pinnedClientSide, long pinnedServerSide) {
        virtualThreadRuns.add(new VirtualThreadRun(name, impl, exchangesPerSecond, connectsPerSecond, pinnedClientSide,
                pinnedServerSide));
    }
}
