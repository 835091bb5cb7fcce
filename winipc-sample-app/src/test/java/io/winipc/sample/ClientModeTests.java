package io.winipc.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientModeTests {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ClientMode.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void explainsItsUsageWhenTheCommandIsIncomplete() {
        assertThat(run("echo")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: client")
                .as("the job endpoint takes milliseconds").contains("job MILLISECONDS");
    }

    @Test
    void rejectsAnUnknownCommand() {
        assertThat(run("dance", "now")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command: dance");
    }

    @Test
    void reportsAFailureWhenNoServerListens() {
        assertThat(run("--prefix=client-mode-test-" + ProcessHandle.current().pid(), "echo", "hi")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("failed: io.winipc.WinipcTimeoutException");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
