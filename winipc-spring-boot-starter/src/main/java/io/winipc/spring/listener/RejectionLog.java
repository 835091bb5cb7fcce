package io.winipc.spring.listener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs failures caused by clients (oversized messages, payloads that do not convert) at most once
 * per interval for one endpoint, so that a misbehaving client cannot flood the log; the next line
 * says how many were left out.
 */
final class RejectionLog {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Consumer<String> sink;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    RejectionLog(Duration interval, LongSupplier clock, Consumer<String> sink) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.sink = sink;
        this.nextAllowed = new AtomicLong(clock.getAsLong());
    }

    /** @param line one line, without a stack trace */
    void log(String line) {
        long now = clock.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed >= 0 && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            long left = suppressed.getAndSet(0);
            sink.accept(left == 0 ? line : line + " (" + left + " more since the last such line, not logged)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
