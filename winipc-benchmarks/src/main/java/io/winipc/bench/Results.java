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
        /** Per implementation, one value per round; the table shows their median. */
        final Map<String, List<Double>> rounds = new LinkedHashMap<>();
        /** The bound on winipc ÷ C, and on winipc ÷ JDK; null where the issue sets none. */
        Double targetVsC;
        Double targetVsJdk;

        Row(String name, Unit unit) {
            this.name = name;
            this.unit = unit;
        }

        void add(String impl, double value) {
            rounds.computeIfAbsent(impl, k -> new ArrayList<>()).add(value);
        }

        /** @return the median over the rounds, or null if not measured */
        Double value(String impl) {
            List<Double> v = rounds.get(impl);
            if (v == null || v.isEmpty()) {
                return null;
            }
            List<Double> sorted = new ArrayList<>(v);
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        /** @return the ratio of winipc to the baseline per round (rounds ran side by side), min and max */
        double[] ratioRange(String baseline) {
            List<Double> w = rounds.get(WINIPC);
            List<Double> b = rounds.get(baseline);
            if (w == null || b == null || w.size() != b.size() || w.size() < 2) {
                return null;
            }
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int i = 0; i < w.size(); i++) {
                double r = w.get(i) / b.get(i);
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            return new double[] {min, max};
        }

        Double ratio(String baseline) {
            Double w = value(WINIPC);
            Double b = value(baseline);
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
        row(name + " — median", Unit.MICROS).add(impl, medianNanos / 1000);
        row(name + " — p99", Unit.MICROS).add(impl, p99Nanos / 1000);
    }

    void throughput(String name, String impl, double mbPerSecond) {
        row(name, Unit.MB_PER_S).add(impl, mbPerSecond);
    }

    void rate(String name, String impl, double perSecond) {
        row(name, Unit.PER_S).add(impl, perSecond);
    }

    void nanosPerOp(String name, String impl, double nanos) {
        row(name, Unit.NANOS_PER_OP).add(impl, nanos);
    }

    void virtualThreads(String name, String impl, double exchangesPerSecond, double connectsPerSecond,
            long pinnedClientSide, long pinnedServerSide) {
        virtualThreadRuns.add(new VirtualThreadRun(name, impl, exchangesPerSecond, connectsPerSecond, pinnedClientSide,
                pinnedServerSide));
    }
}
