package io.winipc.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the start time out of a /proc/PID/stat line, whatever the command name holds. */
class ProcessStartStampTest {
    private static final String REST = " S 1 4242 4242 0 -1 4194560 1000 0 0 0 12 3 0 0 20 0 25 0 123456 8000000 2000";

    @Test
    void field22IsTakenAfterTheCommandNameInMilliseconds() {
        assertThat(LinuxPlatform.startStampFromStat("4242 (java)" + REST)).isEqualTo(123456L * 1000 / LinuxArchitecture.USER_HZ);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        assertThat(LinuxPlatform.startStampFromStat("4242 (a) b (c) 1 2 3)" + REST)).isEqualTo(1_234_560L);
    }

    @Test
    void aLineThatIsNotAStatLineGivesZero() {
        assertThat(LinuxPlatform.startStampFromStat("")).isZero();
        assertThat(LinuxPlatform.startStampFromStat("4242 (java) S 1 2")).isZero();
        assertThat(LinuxPlatform.startStampFromStat("4242 (java)" + REST.replace("123456", "x"))).isZero();
    }
}
