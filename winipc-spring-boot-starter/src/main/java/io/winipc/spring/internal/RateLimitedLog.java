package io.winipc.spring.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Logs a recurring failure at most once per interval, so that a misbehaving client or observer
 * cannot flood the log; the next line says how many were left out. Thread-safe.
 */
public final class RateLimitedLog {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final BiConsumer<String, @Nullable Throwable> sink;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param interval how long after a logged line the next one waits
     * @param clock nanoseconds, as {@link System#nanoTime()}
     * @param sink writes a line and, when there is one, its cause's stack trace
     */
    public RateLimitedLog(Duration interval, LongSupplier clock, BiConsumer<String, @Nullable Throwable> sink) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.sink = sink;
        this.nextAllowed = new AtomicLong(clock.getAsLong());
    }

    /** @param line one line, without a stack trace */
    public void log(String line) {
        log(line, null);
    }

    /**
     * @param line one line
     * @param cause what failed, whose stack trace follows the line; null for none
     */
    public void log(String line, @Nullable Throwable cause) {
        long now = clock.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed >= 0 && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            long left = suppressed.getAndSet(0);
            sink.accept(left == 0 ? line : line + " (" + left + " more since the last such line, not logged)", cause);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
