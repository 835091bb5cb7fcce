package io.winipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.testing.ChildJvm;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WinipcTest {

    @Test
    void reportsTheBackendOfThisOperatingSystem() {
        String expected = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "windows" : "linux";

        assertThat(Winipc.isSupported()).isTrue();
        assertThat(Winipc.unavailableReason()).isEmpty();
        assertThat(Winipc.backend()).isEqualTo(expected);
    }

    /** A process whose backend cannot start: a fresh JVM, since the choice is made once per process. */
    @Test
    void saysWhyWhenThereIsNoBackend() {
        try (ChildJvm child = ChildJvm.start(List.of("-D" + Winipc.BACKEND_PROPERTY + "=plan9"), Probe.class)) {
            assertThat(child.readLine()).isEqualTo("supported=false");
            assertThat(child.readLine()).startsWith("reason=").contains("'plan9'");
            assertThat(child.readLine()).startsWith("backend threw WinipcException").contains("'plan9'");
            child.assertSucceeds(30);
        }
    }

    /** Prints what {@link Winipc} answers, one fact a line. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("supported=" + Winipc.isSupported());
            System.out.println("reason=" + Winipc.unavailableReason().orElse("<none>"));
            try {
                System.out.println("backend=" + Winipc.backend());
            } catch (WinipcException e) {
                System.out.println("backend threw WinipcException: " + e.getMessage());
            }
        }
    }
}
