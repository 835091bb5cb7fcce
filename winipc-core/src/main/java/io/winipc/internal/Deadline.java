package io.winipc.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A point in time by which a blocking call must finish, or none. Immutable. */
public final class Deadline {
    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, true);

    private final long atNanos;
    private final boolean infinite;

    private Deadline(long atNanos, boolean infinite) {
        this.atNanos = atNanos;
        this.infinite = infinite;
    }

    /** @return a deadline that never passes */
    public static Deadline none() {
        return NONE;
    }

    /**
     * @param timeout not negative; null means none
     * @return the deadline that far from now
     */
    public static Deadline after(@Nullable Duration timeout) {
        if (timeout == null) {
            return NONE;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return NONE;
        }
        long now = System.nanoTime();
        long at = now + nanos;
        if (at - now < 0 || nanos > Long.MAX_VALUE / 4) {
            return NONE;
        }
        return new Deadline(at, false);
    }

    /** @return whether this deadline never passes */
    public boolean isInfinite() {
        return infinite;
    }

    /** @return nanoseconds left, 0 once passed, {@link Long#MAX_VALUE} if infinite */
    public long remainingNanos() {
        if (infinite) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, atNanos - System.nanoTime());
    }

    /** @return whether the deadline has passed */
    public boolean hasPassed() {
        return !infinite && atNanos - System.nanoTime() <= 0;
    }

    /** @return milliseconds left rounded up, capped at {@code Integer.MAX_VALUE}; -1 if infinite (poll's convention) */
    public int remainingMillisForPoll() {
        if (infinite) {
            return -1;
        }
        long nanos = remainingNanos();
        long millis = (nanos + 999_999) / 1_000_000;
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}
