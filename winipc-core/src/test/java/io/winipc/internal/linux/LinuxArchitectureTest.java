package io.winipc.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.Winipc;
import io.winipc.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Linux backend runs on x86_64 and aarch64 only, and says so anywhere else. */
@EnabledOnOs(OS.LINUX)
class LinuxArchitectureTest {

    @Test
    void x86_64AndAarch64AreSupported() {
        assertThat(LinuxArchitecture.unsupportedReason("amd64")).isNull();
        assertThat(LinuxArchitecture.unsupportedReason("x86_64")).isNull();
        assertThat(LinuxArchitecture.unsupportedReason("aarch64")).isNull();
        assertThat(LinuxArchitecture.NAME).isIn("x86_64", "aarch64");
    }

    @Test
    void theNumbersAndLayoutsMatchTheRunningArchitecture() {
        if (LinuxArchitecture.NAME.equals("aarch64")) {
            assertThat(LinuxArchitecture.SYS_FUTEX).isEqualTo(98);
            assertThat(LinuxArchitecture.O_NOFOLLOW).isEqualTo(0100000);
            assertThat(LinuxArchitecture.O_TMPFILE).isEqualTo(020040000);
            assertThat(LinuxArchitecture.PACKED_EPOLL_EVENT).isFalse();
        } else {
            assertThat(LinuxArchitecture.SYS_FUTEX).isEqualTo(202);
            assertThat(LinuxArchitecture.O_NOFOLLOW).isEqualTo(0400000);
            assertThat(LinuxArchitecture.O_TMPFILE).isEqualTo(020200000);
            assertThat(LinuxArchitecture.PACKED_EPOLL_EVENT).isTrue();
        }
    }

    @Test
    void otherArchitecturesAreNamedInTheReason() {
        assertThat(LinuxArchitecture.unsupportedReason("riscv64")).contains("'riscv64'").contains("x86_64 and aarch64");
        assertThat(LinuxArchitecture.unsupportedReason("x86")).contains("'x86'");
        assertThat(LinuxArchitecture.unsupportedReason("arm")).contains("'arm'");
    }

    /** A real JVM that reports another architecture gets no backend, and the reason names it. */
    @Test
    void aJvmOnAnotherArchitectureHasNoLinuxBackend() {
        try (ChildJvm child = ChildJvm.start(List.of("-Dos.arch=riscv64"), Reason.class)) {
            assertThat(child.readLine()).contains("'riscv64'").contains("x86_64 and aarch64");
            child.assertSucceeds(60);
        }
    }

    /** Prints why the backend is unavailable. */
    public static final class Reason {
        public static void main(String[] args) {
            System.out.println(Winipc.unavailableReason().orElse("available"));
        }
    }
}
