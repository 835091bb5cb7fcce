package io.winipc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test harness keeps its promises: a silent child makes readLine fail in time, not hang. */
class ChildJvmTest {

    @Test
    @Timeout(120)
    void readLineGivesUpOnASilentChild() {
        try (ChildJvm child = ChildJvm.start(Silent.class)) {
            assertThat(child.readLine()).isEqualTo("started");
            assertThatThrownBy(() -> child.readLine(Duration.ofSeconds(2))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("printed no line within 2 s").hasMessageContaining("alive: true");
            child.send("line please");
            assertThat(child.readLine()).isEqualTo("line please");
        }
    }

    @Test
    @Timeout(120)
    void readLineReportsAChildThatEnded() {
        try (ChildJvm child = ChildJvm.start(Silent.class)) {
            assertThat(child.readLine()).isEqualTo("started");
            child.send("exit");
            assertThatThrownBy(child::readLine).isInstanceOf(AssertionError.class).hasMessageContaining("ended without output");
            assertThatThrownBy(child::readLine).isInstanceOf(AssertionError.class).hasMessageContaining("ended without output");
        }
    }

    /** Prints "started", then echoes each line of its input until "exit". */
    public static final class Silent {
        public static void main(String[] args) throws Exception {
            System.out.println("started");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                System.out.println(line);
            }
        }
    }
}
