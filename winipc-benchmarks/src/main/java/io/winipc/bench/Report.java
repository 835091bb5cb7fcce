package io.winipc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Renders the results as Markdown and puts them between this platform's markers in docs/BENCHMARKS.md. */
final class Report {
    private Report() {
    }

    static String begin(String platform) {
        return "<!-- BEGIN GENERATED: " + platform + " (scripts/bench.sh rewrites this part) -->";
    }

    static String end(String platform) {
        return "<!-- END GENERATED: " + platform + " -->";
    }

    static String markdown(Results results, Environment before, Environment after, long seconds, boolean quick, boolean windows) {
        StringBuilder s = new StringBuilder();
        s.append("Run of ").append(before.date()).append(quick ? " (**--quick: tiny counts, not a measurement**)" : "")
                .append(", ").append(seconds).append(" s.\n\n");
        s.append("- Machine: ").append(before.machine()).append("; ").append(before.processors()).append(" processors as the JVM sees them\n");
        s.append("- OS: ").append(before.os()).append('\n');
        s.append("- JDK: ").append(before.jdk()).append('\n');
        s.append("- Load: 1/5/15-minute load average ").append(before.loadAverage()).append(" before the run, ")
                .append(after.loadAverage()).append(" after; CPU busy with other work in the second before the run: ")
                .append(before.otherBusyPercent()).append('\n');
        s.append("- Ratio = winipc ÷ baseline, same run. For µs and ns/op lower is better, for MB/s and /s higher."
                + " Where a measurement ran in several rounds (implementations side by side in each round), the"
                + " value is the median over the rounds and [brackets] give the lowest and highest per-round ratio.\n\n");
        String baselineC = windows ? "C (mingw-w64, Win32)" : "C (gcc)";
        s.append("| Measurement | unit | winipc | ").append(baselineC).append(" | winipc ÷ C | target vs C |");
        if (!windows) {
            s.append(" JDK SocketChannel | winipc ÷ JDK | target vs JDK |");
        }
        s.append('\n');
        s.append(windows ? "|---|---|--:|--:|--:|---|\n" : "|---|---|--:|--:|--:|---|--:|--:|---|\n");
        for (Results.Row row : results.rows.values()) {
            s.append("| ").append(row.name).append(" | ").append(row.unit.label).append(" | ")
                    .append(value(row.value(Results.WINIPC))).append(" | ")
                    .append(value(row.value(Results.C))).append(" | ")
                    .append(ratio(row.ratio(Results.C), row.ratioRange(Results.C))).append(" | ")
                    .append(target(row, row.targetVsC, row.met(Results.C))).append(" |");
            if (!windows) {
                boolean pipe = row.name.startsWith("Pipe") || row.name.startsWith("Streaming") || row.name.startsWith("Connects");
                s.append(' ').append(pipe ? value(row.value(Results.JDK)) : "n/a").append(" | ")
                        .append(pipe ? ratio(row.ratio(Results.JDK), row.ratioRange(Results.JDK)) : "").append(" | ")
                        .append(target(row, row.targetVsJdk, row.met(Results.JDK))).append(" |");
            }
            s.append('\n');
        }
        if (!results.virtualThreadRuns.isEmpty()) {
            s.append("\nVirtual threads (").append(before.jdk()).append("), one server process, clients in another;"
                    + " pinned = jdk.VirtualThreadPinned events recorded by JFR (threshold 0) in the client / server JVM:\n\n");
            s.append("| Clients | implementation | exchanges/s | connections/s | pinned (client / server) |\n");
            s.append("|---|---|--:|--:|--:|\n");
            for (Results.VirtualThreadRun r : results.virtualThreadRuns) {
                s.append("| ").append(r.name()).append(" | ").append(r.impl().equals(Results.JDK) ? "JDK SocketChannel" : r.impl())
                        .append(" | ").append(value(r.exchangesPerSecond())).append(" | ").append(value(r.connectsPerSecond()))
                        .append(" | ").append(r.pinnedClientSide()).append(" / ").append(r.pinnedServerSide()).append(" |\n");
            }
        }
        return s.toString();
    }

    private static String value(Double v) {
        if (v == null) {
            return "–";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(Double r, double[] range) {
        if (r == null) {
            return "–";
        }
        String text = String.format(Locale.ROOT, "%.2fx", r);
        return range == null ? text : text + String.format(Locale.ROOT, " [%.2f–%.2f]", range[0], range[1]);
    }

    private static String target(Results.Row row, Double target, Boolean met) {
        if (target == null) {
            return "";
        }
        String bound = (row.unit.lowerIsBetter ? "≤ " : "≥ ") + String.format(Locale.ROOT, "%.2fx", target);
        return met == null ? bound : bound + (met ? " ✅" : " ❌ missed");
    }

    static void update(Path file, String platform, String table) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
                : "# Benchmarks\n\n## Linux\n\n" + begin("linux") + "\n" + end("linux") + "\n\n## Windows (under Wine)\n\n"
                        + begin("windows") + "\n" + end("windows") + "\n";
        int b = text.indexOf(begin(platform));
        int e = text.indexOf(end(platform));
        if (b < 0 || e < b) {
            text = text + "\n" + begin(platform) + "\n" + end(platform) + "\n";
            b = text.indexOf(begin(platform));
            e = text.indexOf(end(platform));
        }
        String updated = text.substring(0, b + begin(platform).length()) + "\n\n" + table + "\n" + text.substring(e);
        Files.writeString(file, updated, StandardCharsets.UTF_8);
    }
}
