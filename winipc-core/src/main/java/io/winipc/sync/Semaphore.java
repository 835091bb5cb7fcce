package io.winipc.sync;

import io.winipc.NamedObject;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.Scope;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NamedHandle;
import io.winipc.internal.Names;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.Offload;
import io.winipc.internal.OpenMode;
import io.winipc.internal.Platforms;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A named counting semaphore shared between processes, with a maximum count.
 *
 * <pre>{@code
 * try (Semaphore slots = Semaphore.create("myapp/slots", 3, 3)) {
 *     slots.withPermit(() -> useOneSlot());
 * }
 * }</pre>
 *
 * <p>Permits are not owned: any thread of any process may release them. A release that would
 * raise the count above the maximum throws {@link io.winipc.WouldExceedMaximumException} and
 * leaves the count unchanged. The counts are the creator's: opening a live semaphore keeps its own.
 *
 * <p>Waits take a timeout or are interruptible ({@link io.winipc.OperationCanceledException},
 * interrupt status kept), and {@link #close()} from another thread ends them with
 * {@link ObjectClosedException}. On a virtual thread the native wait runs on a bounded pool of
 * platform threads while the virtual thread parks (see {@link Event}).
 *
 * <p>{@link #create} opens the live semaphore of that name or creates one (Windows'
 * {@code CreateSemaphore}), unless {@link NamedObjectOptions#exclusive()}; {@link #open} requires
 * it to be live. It disappears when the last holder closes it or dies.
 */
public final class Semaphore implements NamedObject {
    private final NativeSemaphore nat;
    private final NamedHandle handle;

    private Semaphore(String name, NamedObjectOptions options, NativeSemaphore nat) {
        this.nat = nat;
        this.handle = new NamedHandle(this, "semaphore", name, options.scope(), nat.created(), nat::close);
    }

    /**
     * Opens the live semaphore of that name or creates it, with the default options.
     *
     * @param name a bare name such as {@code myapp/slots}
     * @param initialCount permits available at creation, 0 to {@code maximumCount}
     * @param maximumCount the most permits there can be, at least 1
     * @return the semaphore
     */
    public static Semaphore create(String name, int initialCount, int maximumCount) {
        return create(name, initialCount, maximumCount, NamedObjectOptions.defaults());
    }

    /**
     * Opens the live semaphore of that name or creates it; with {@link NamedObjectOptions#exclusive()} only creates it.
     *
     * @param name a bare name such as {@code myapp/slots}
     * @param initialCount permits available at creation, 0 to {@code maximumCount}
     * @param maximumCount the most permits there can be, at least 1
     * @param options scope, access, exclusivity
     * @return the semaphore
     * @throws IllegalArgumentException if the counts are out of range
     * @throws io.winipc.ObjectExistsException if exclusive and the name is live
     */
    public static Semaphore create(String name, int initialCount, int maximumCount, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        if (maximumCount < 1) {
            throw new IllegalArgumentException("maximumCount must be at least 1: " + maximumCount);
        }
        if (initialCount < 0 || initialCount > maximumCount) {
            throw new IllegalArgumentException("initialCount must be between 0 and maximumCount (" + maximumCount + "): " + initialCount);
        }
        OpenMode mode = options.exclusive() ? OpenMode.CREATE_EXCLUSIVE : OpenMode.CREATE_OR_OPEN;
        return new Semaphore(name, options, Platforms.get().semaphore(name, mode, initialCount, maximumCount, options));
    }

    /**
     * Opens a live semaphore with the default options.
     *
     * @param name its name
     * @return the semaphore
     * @throws io.winipc.ObjectNotFoundException if no live semaphore has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static Semaphore open(String name) {
        return open(name, NamedObjectOptions.defaults());
    }

    /**
     * Opens a live semaphore.
     *
     * @param name its name
     * @param options scope and access
     * @return the semaphore
     * @throws io.winipc.ObjectNotFoundException if no live semaphore has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static Semaphore open(String name, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        return new Semaphore(name, options, Platforms.get().semaphore(name, OpenMode.OPEN_EXISTING, 0, 1, options));
    }

    /** @return the semaphore's name */
    @Override
    public String name() {
        return handle.name();
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws io.winipc.OperationCanceledException if interrupted (interrupt status kept)
     * @throws ObjectClosedException if closed, before or during the wait
     */
    public void acquire() {
        acquire(Deadline.none());
    }

    /** @return whether a permit was free and is now taken */
    public boolean tryAcquire() {
        return acquire(Deadline.after(Duration.ZERO));
    }

    /**
     * Takes a permit, waiting up to {@code timeout}.
     *
     * @param timeout not negative
     * @return whether a permit was taken
     */
    public boolean tryAcquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return acquire(Deadline.after(timeout));
    }

    private boolean acquire(Deadline deadline) {
        handle.ensureOpen();
        return Offload.await(nat::acquire, deadline);
    }

    /**
     * Returns one permit.
     *
     * @return the count before the release
     * @throws io.winipc.WouldExceedMaximumException if the count is at its maximum (it stays unchanged)
     */
    public int release() {
        return release(1);
    }

    /**
     * Returns {@code permits} permits at once.
     *
     * @param permits at least 1
     * @return the count before the release
     * @throws io.winipc.WouldExceedMaximumException if the count would pass the maximum (it stays unchanged)
     */
    public int release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        handle.ensureOpen();
        return nat.release(permits);
    }

    /**
     * Runs {@code block} holding a permit, waiting as long as it takes, and always returns the permit.
     *
     * @return what the block returned
     */
    public <T extends @Nullable Object> T withPermit(Supplier<T> block) {
        Objects.requireNonNull(block, "block");
        acquire();
        try {
            return block.get();
        } finally {
            release(1);
        }
    }

    /** Runs {@code block} holding a permit, waiting as long as it takes, and always returns the permit. */
    public void withPermit(Runnable block) {
        Objects.requireNonNull(block, "block");
        withPermit(() -> {
            block.run();
            return null;
        });
    }

    /**
     * Runs {@code block} holding a permit, waiting up to {@code timeout} for one, and always returns the permit.
     *
     * @return what the block returned
     * @throws WinipcTimeoutException if no permit came free in time; the block did not run
     */
    public <T extends @Nullable Object> T withPermit(Duration timeout, Supplier<T> block) {
        Objects.requireNonNull(block, "block");
        if (!tryAcquire(timeout)) {
            throw new WinipcTimeoutException("no permit of semaphore '" + handle.name() + "' came free before the timeout", 0);
        }
        try {
            return block.get();
        } finally {
            release(1);
        }
    }

    @Override
    public Scope scope() {
        return handle.scope();
    }

    @Override
    public boolean created() {
        return handle.created();
    }

    /** @return false once closed */
    @Override
    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Closes this handle; threads waiting on it get {@link ObjectClosedException}. Idempotent and thread-safe. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return handle.describe("Semaphore", "");
    }
}
