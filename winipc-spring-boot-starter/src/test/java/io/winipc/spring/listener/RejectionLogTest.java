package io.winipc.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionLogTest {

    @Test
    void logsOneLinePerIntervalAndCountsWhatItLeftOut() {
        AtomicLong now = new AtomicLong(1_000);
        List<String> lines = new ArrayList<>();
        RejectionLog log = new RejectionLog(Duration.ofSeconds(10), now::get, lines::add);
        log.log("first");
        log.log("second");
        log.log("third");
        assertThat(lines).containsExactly("first");
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        log.log("fourth");
        assertThat(lines).containsExactly("first");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        log.log("fifth");
        assertThat(lines).containsExactly("first", "fifth (3 more since the last such line, not logged)");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        log.log("sixth");
        assertThat(lines).last().isEqualTo("sixth");
    }
}
