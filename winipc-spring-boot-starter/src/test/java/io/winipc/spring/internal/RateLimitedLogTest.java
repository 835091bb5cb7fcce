package io.winipc.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    @Test
    void logsOneLinePerIntervalAndCountsWhatItLeftOut() {
        AtomicLong now = new AtomicLong(1_000);
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), now::get, (line, cause) -> lines.add(line));
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

    @Test
    void passesTheCauseOfTheLineItLogs() {
        List<Object> logged = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), () -> 0, (line, cause) -> {
            logged.add(line);
            logged.add(String.valueOf(cause));
        });
        log.log("with", new IllegalStateException("why"));
        log.log("left out", new IllegalStateException("not logged"));
        assertThat(logged).containsExactly("with", "java.lang.IllegalStateException: why");
    }
}
