package io.winipc.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Windows backend refuses a 32-bit JVM with a reason, before any native call. */
class WindowsArchitectureTest {

    @Test
    void a32BitJvmIsRefusedWithItsArchitecture() {
        assertThat(WindowsPlatform.unsupportedReason(4, "x86")).isEqualTo("the Windows backend needs a 64-bit JVM; this one is 32-bit (x86)");
    }

    @Test
    void a64BitJvmIsAccepted() {
        assertThat(WindowsPlatform.unsupportedReason(8, "amd64")).isNull();
        assertThat(WindowsPlatform.unsupportedReason(8, "aarch64")).isNull();
    }
}
