package io.winipc.internal;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decides when a mapping may be unmapped: only once it is closed, no call is touching it and every
 * ByteBuffer view handed out is unreachable, the rule the JDK applies to a {@code MappedByteBuffer}.
 * Until then the address range stays mapped to the same memory, so no access can fault or reach
 * memory that was mapped there afterwards, and nothing is left reserved or committed once it goes.
 *
 * <p>Calls bracket their access with {@link #enter()} and {@link #exit(int)}. The count of calls in
 * flight is striped by thread so that threads hammering one region do not share a cache line.
 * Correctness rests on sequential consistency of volatile accesses: a caller increments, then reads
 * {@code closed}; the closer writes {@code closed}, then reads the counts. Either the caller sees
 * the close and backs out without touching memory, or the closer sees the caller and leaves the
 * unmap to the last one out. Each stripe is only ever incremented and decremented by the same
 * call, so a non-atomic sum of the stripes is zero only when no call that can touch memory is in.
 *
 * <p>A view (the root buffer of {@code slice()}, {@code asByteBuffer()}) is counted while it is
 * reachable; buffers derived from it ({@code slice()}, {@code duplicate()}, {@code asIntBuffer()})
 * keep their root reachable, as the JDK's direct buffers hold their parent.
 */
public final class MappingLifetime {
    private static final int STRIPES = 8;
    /** 16 longs = 128 bytes between counters: no two stripes share a cache line (or an adjacent-line prefetch pair). */
    private static final int SPACING = 16;
    private static final System.Logger LOG = System.getLogger(MappingLifetime.class.getName());

    private final Runnable unmap;
    private final AtomicLongArray inFlight = new AtomicLongArray(STRIPES * SPACING);
    private final AtomicInteger views = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean closed;

    /** @param unmap unmaps the range and lets go of the OS object; run exactly once */
    public MappingLifetime(Runnable unmap) {
        this.unmap = unmap;
    }

    /**
     * Marks a call as touching the mapping.
     *
     * @return the stripe to pass to {@link #exit(int)}, or -1 if the mapping is closed (touch nothing then)
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+; ids only spread the stripes
    public int enter() {
        int stripe = ((int) Thread.currentThread().getId() & (STRIPES - 1)) * SPACING;
        inFlight.getAndIncrement(stripe);
        if (closed) {
            exit(stripe);
            return -1;
        }
        return stripe;
    }

    /** Ends a call begun with {@link #enter()}; unmaps if it was the last thing holding a closed mapping. */
    public void exit(int stripe) {
        inFlight.getAndDecrement(stripe);
        if (closed) {
            releaseIfUnused();
        }
    }

    /**
     * Counts {@code root} as a view of the mapping until it is unreachable. Call between
     * {@link #enter()} and {@link #exit(int)}, so that a close cannot slip in before it is counted.
     *
     * @param root a buffer created directly over the mapping (no parent buffer)
     * @return {@code root}
     */
    public ByteBuffer track(ByteBuffer root) {
        views.incrementAndGet();
        try {
            Cleaners.register(root, this::viewUnreachable);
        } catch (RuntimeException | Error e) {
            views.decrementAndGet();
            throw e;
        } finally {
            Reference.reachabilityFence(root);
        }
        return root;
    }

    private void viewUnreachable() {
        views.decrementAndGet();
        if (closed) {
            releaseIfUnused();
        }
    }

    /** Closes: the mapping goes now if nothing uses it, else when the last call or view lets go. Idempotent. */
    public void close() {
        closed = true;
        releaseIfUnused();
    }

    /** @return whether the range has been unmapped */
    public boolean isReleased() {
        return released.get();
    }

    /** @return how many views handed out are still counted as reachable */
    public int liveViews() {
        return views.get();
    }

    private void releaseIfUnused() {
        // In-flight calls first: a call that made a view counted it before it left.
        for (int i = 0; i < STRIPES; i++) {
            if (inFlight.get(i * SPACING) != 0) {
                return;
            }
        }
        if (views.get() != 0 || !released.compareAndSet(false, true)) {
            return;
        }
        try {
            unmap.run();
        } catch (RuntimeException | Error e) {
            // Runs on whichever thread let go last, possibly the Cleaner's: report, do not throw into it.
            LOG.log(System.Logger.Level.WARNING, "releasing a shared memory mapping failed", e);
        }
    }
}
