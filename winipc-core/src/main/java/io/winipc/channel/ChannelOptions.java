package io.winipc.channel;

import io.winipc.NamedObjectOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a channel is made and how its ends wait. Immutable; start from {@link #defaults()}.
 *
 * <p><b>Size.</b> {@link #capacity()} is the ring's size in bytes, a power of two from 4 KiB to
 * 1 GiB (default 1 MiB); each message takes its length plus an 8-byte header, rounded up to 8.
 * {@link #maxMessageSize()} (default 64 KiB) may be at most {@code capacity / 2 - 8}, so that a
 * message always fits after a wrap. Only the creating receiver's values count; a sender reads them
 * from the channel.
 *
 * <p><b>Waiting.</b> A call that has to wait first spins for {@link #spin()} (latency of a few
 * hundred nanoseconds, one core busy), then yields the CPU for {@link #yield()}, then sleeps in
 * the OS until the peer wakes it (a futex or a Windows event, some microseconds). The defaults,
 * 20 µs and 100 µs, keep an idle channel at no CPU; raise {@code spin} for the lowest latency when
 * a core can be spared. Each end chooses its own.
 *
 * @param capacity ring size in bytes, a power of two in [4096, 2^30]
 * @param maxMessageSize largest message in bytes, 1 to {@code capacity / 2 - 8}
 * @param spin how long a waiting call spins before yielding; zero to skip
 * @param yield how long it then yields before sleeping; zero to skip
 * @param objects scope and access of the channel's named objects ({@code exclusive} is ignored:
 *     a receiver always creates them exclusively)
 */
public record ChannelOptions(int capacity, int maxMessageSize, Duration spin, Duration yield, NamedObjectOptions objects) {
    /** The smallest capacity. */
    public static final int MIN_CAPACITY = 4096;
    /** The largest capacity. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Checks the values. */
    public ChannelOptions {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two from " + MIN_CAPACITY + " to " + MAX_CAPACITY + ": " + capacity);
        }
        if (maxMessageSize < 1 || maxMessageSize > capacity / 2 - 8) {
            throw new IllegalArgumentException("maxMessageSize must be from 1 to capacity / 2 - 8 = " + (capacity / 2 - 8) + ": " + maxMessageSize);
        }
        Objects.requireNonNull(spin, "spin");
        Objects.requireNonNull(yield, "yield");
        Objects.requireNonNull(objects, "objects");
        if (spin.isNegative() || yield.isNegative()) {
            throw new IllegalArgumentException("spin and yield must not be negative: " + spin + ", " + yield);
        }
    }

    /** @return 1 MiB ring, 64 KiB messages, 20 µs spin, 100 µs yield, default object options */
    public static ChannelOptions defaults() {
        return new ChannelOptions(1 << 20, 64 * 1024, Duration.ofNanos(20_000), Duration.ofNanos(100_000), NamedObjectOptions.defaults());
    }

    /** @return a copy with that capacity, its maximum message size lowered to {@code value / 2 - 8} if it was larger */
    public ChannelOptions withCapacity(int value) {
        return new ChannelOptions(value, Math.min(maxMessageSize, value / 2 - 8), spin, yield, objects);
    }

    /** @return a copy with that maximum message size */
    public ChannelOptions withMaxMessageSize(int value) {
        return new ChannelOptions(capacity, value, spin, yield, objects);
    }

    /** @return a copy with that spin time */
    public ChannelOptions withSpin(Duration value) {
        return new ChannelOptions(capacity, maxMessageSize, value, yield, objects);
    }

    /** @return a copy with that yield time */
    public ChannelOptions withYield(Duration value) {
        return new ChannelOptions(capacity, maxMessageSize, spin, value, objects);
    }

    /** @return a copy with those named-object options */
    public ChannelOptions withObjects(NamedObjectOptions value) {
        return new ChannelOptions(capacity, maxMessageSize, spin, yield, value);
    }
}
