package io.winipc.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.testing.ChildJvm;
import java.util.List;

/** Runs a ping-pong of two child processes over two events or semaphores (see {@code SyncChild}). */
final class PingPong {
    static final int ROUNDS = 10_000;

    private PingPong() {
    }

    /**
     * Both sides are child JVMs started with a Linux wait slice of ten minutes, so that a wait ends
     * only when it is woken (not when it looks again after 100 ms): a single lost wake-up stalls
     * the exchange past the timeout below and fails the test, where it would otherwise only cost a
     * slice. (The Windows backend waits in the kernel without slices and ignores the property.)
     */
    static void run(String kind, String there, String back) {
        List<String> options = List.of("-Dwinipc.internal.waitSliceMillis=600000");
        String rounds = Integer.toString(ROUNDS);
        try (ChildJvm pong = ChildJvm.start(options, SyncChild.class, "ping-pong", kind, "pong", there, back, rounds);
                ChildJvm ping = ChildJvm.start(options, SyncChild.class, "ping-pong", kind, "ping", there, back, rounds)) {
            assertThat(pong.readLine()).isEqualTo("ready");
            assertThat(ping.readLine()).isEqualTo("ready");
            ping.assertSucceeds(300);
            pong.assertSucceeds(60);
            assertThat(ping.readLine()).isEqualTo("done");
            assertThat(pong.readLine()).isEqualTo("done");
        }
    }
}
