package io.winipc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that the harness runs end to end with tiny counts: a pipe server in a second JVM, the
 * measuring client here, and the report written between its markers. Measures nothing, and
 * asserts no timing: only that every implementation produced a value.
 */
class HarnessSmokeTest {

    @Test
    void quickRoundTripRunProducesAValuePerJavaImplementationAndAReport(@TempDir Path dir) throws Exception {
        Results results = BenchMain.runQuick(null, List.of("pipe-rt"));

        Results.Row median = results.rows.get("Pipe round trip, 64 B, byte mode — median");
        assertThat(median).isNotNull();
        assertThat(median.value(Results.WINIPC)).isPositive();
        if (!Peer.isWindows()) {
            assertThat(median.value(Results.JDK)).isPositive();
        }
        assertThat(results.rows.get("Pipe round trip, 64 B, message mode — p99").value(Results.WINIPC)).isPositive();
        // The direct-ByteBuffer rows carry winipc's own figure and the array rows' baselines.
        Results.Row direct = results.rows.get(BenchMain.directRow("Pipe round trip, 64 B, message mode") + " — median");
        assertThat(direct).isNotNull();
        assertThat(direct.value(Results.WINIPC)).isPositive();
        if (!Peer.isWindows()) {
            assertThat(direct.value(Results.JDK)).isEqualTo(results.rows.get("Pipe round trip, 64 B, message mode — median").value(Results.JDK));
        }

        Path report = dir.resolve("BENCHMARKS.md");
        Files.writeString(report, "# Benchmarks\n\nkept before\n");
        BenchMain.writeReport(report, results);
        BenchMain.writeReport(report, results);
        String text = Files.readString(report);
        assertThat(text).startsWith("# Benchmarks\n\nkept before\n");
        assertThat(text).containsOnlyOnce("| Pipe round trip, 64 B, byte mode — median | µs |");
    }
}
