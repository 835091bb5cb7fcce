package io.winipc.sync;

import io.winipc.AbandonedMutexException;
import io.winipc.NamedObject;
import io.winipc.NamedObjectOptions;
import io.winipc.NotOwnerException;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.Scope;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NamedHandle;
import io.winipc.internal.Names;
import io.winipc.internal.OpenMode;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A named mutex shared between processes, owned by the thread that acquired it and reentrant, as
 * a Windows mutex is.
 *
 * <pre>{@code
 * try (Mutex mutex = Mutex.create("myapp/lock")) {
 *     mutex.withLock(() -> updateSharedState());
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> The thread that acquires the mutex owns it; further acquisitions by that
 * thread only count up ({@link #holdCount()}) and it must {@link #unlock()} as often. Only the
 * outermost acquisition and release reach the OS. {@link #unlock()} by any other thread throws
 * {@link NotOwnerException}. As on Windows, ownership belongs to the thread, not to the handle:
 * all {@code Mutex} objects of one name (and scope) in a process share it, so a thread holding the
 * mutex through one of them holds it through all.
 *
 * <p><b>Abandonment.</b> If the owning process dies holding the mutex, or an owning thread ends
 * without releasing it, the next acquirer gets the mutex and is told: {@link #lock()} and
 * {@link #tryLock} throw {@link AbandonedMutexException} <em>with the mutex held by the caller</em>,
 * who must still unlock it; {@link #acquire(Duration)} reports {@link LockResult#ACQUIRED_ABANDONED}
 * instead of throwing. {@link #withLock} releases the mutex and throws
 * {@link AbandonedMutexException} without running the block, since the state the block would work
 * on may be inconsistent. Either way the mutex works normally afterwards. (Threads of the same
 * process notice an owner thread that ended within about a second.)
 *
 * <p><b>Waiting.</b> Waits take a timeout or are interruptible (an interrupt throws
 * {@link OperationCanceledException} with the interrupt status kept), and {@link #close()} from
 * another thread ends the waits made through that handle with {@link ObjectClosedException}.
 * Mutex ownership belongs to an OS thread, so a wait for a mutex held by another process blocks a
 * platform thread: a platform thread waits itself; a virtual thread parks while a platform thread
 * dedicated to this mutex waits for it (and later releases it), so a virtual thread may lock on
 * one carrier and unlock on another. That dedicated thread lives until the last handle of the
 * mutex in this process is closed; OS-level calls from virtual threads are serialised on it.
 * OS-level waits last at most 100 ms each and are repeated until the timeout, which is how close
 * and interrupt reach them.
 *
 * <p><b>Lifetime.</b> {@link #create} opens the live mutex of that name or creates one, as
 * Windows' {@code CreateMutex} does (unless {@link NamedObjectOptions#exclusive()});
 * {@link #open} requires it to be live. The mutex disappears when the last holder closes it or
 * dies. A thread holding the mutex may still {@link #unlock()} after closing its handle (the one
 * operation allowed after close); the OS object is let go once no handle is open and no live thread
 * of this process holds it. A thread that ended holding it does not keep it: as on Windows, the
 * object goes with the last handle, and the name is free again.
 */
public final class Mutex implements NamedObject {
    private final MutexCore core;
    private final NamedHandle handle;

    private Mutex(String name, NamedObjectOptions options, MutexCore.Attachment attachment) {
        MutexCore core = attachment.core();
        this.core = core;
        // Marked closed before the waiters are woken, so that they see why.
        this.handle = new NamedHandle(this, "mutex", name, options.scope(), attachment.created(), () -> {
            core.wakeWaiters();
            core.detach();
        });
    }

    /**
     * Opens the live mutex of that name or creates it, with the default options.
     *
     * @param name a bare name such as {@code myapp/lock}
     * @return the mutex, not held
     */
    public static Mutex create(String name) {
        return create(name, NamedObjectOptions.defaults());
    }

    /**
     * Opens the live mutex of that name or creates it; with {@link NamedObjectOptions#exclusive()}
     * only creates it.
     *
     * @param name a bare name such as {@code myapp/lock}
     * @param options scope, access, exclusivity
     * @return the mutex, not held
     * @throws io.winipc.ObjectExistsException if exclusive and the name is live
     */
    public static Mutex create(String name, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        OpenMode mode = options.exclusive() ? OpenMode.CREATE_EXCLUSIVE : OpenMode.CREATE_OR_OPEN;
        return new Mutex(name, options, MutexCore.attach(name, mode, options));
    }

    /**
     * Opens a live mutex with the default options.
     *
     * @param name its name
     * @return the mutex, not held
     * @throws io.winipc.ObjectNotFoundException if no live mutex has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static Mutex open(String name) {
        return open(name, NamedObjectOptions.defaults());
    }

    /**
     * Opens a live mutex.
     *
     * @param name its name
     * @param options scope and access
     * @return the mutex, not held
     * @throws io.winipc.ObjectNotFoundException if no live mutex has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static Mutex open(String name, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        return new Mutex(name, options, MutexCore.attach(name, OpenMode.OPEN_EXISTING, options));
    }

    /** @return the mutex's name */
    @Override
    public String name() {
        return handle.name();
    }

    /**
     * Waits as long as it takes for the mutex.
     *
     * @throws AbandonedMutexException if the previous owner died holding it; the caller holds it
     * @throws OperationCanceledException if interrupted (the interrupt status stays set)
     * @throws ObjectClosedException if closed, before or during the wait
     */
    public void lock() {
        throwIfAbandoned(acquire(Deadline.none()));
    }

    /**
     * Takes the mutex only if it is free now.
     *
     * @return whether the caller now holds it
     * @throws AbandonedMutexException if the previous owner died holding it; the caller holds it
     */
    public boolean tryLock() {
        return throwIfAbandoned(acquire(Deadline.after(Duration.ZERO)));
    }

    /**
     * Waits up to {@code timeout} for the mutex.
     *
     * @param timeout not negative
     * @return whether the caller now holds it
     * @throws AbandonedMutexException if the previous owner died holding it; the caller holds it
     */
    public boolean tryLock(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return throwIfAbandoned(acquire(Deadline.after(timeout)));
    }

    /**
     * Waits up to {@code timeout} for the mutex and reports abandonment as a result instead of an exception.
     *
     * @param timeout not negative; null waits as long as it takes
     * @return how the wait ended
     */
    public LockResult acquire(@Nullable Duration timeout) {
        return acquire(Deadline.after(timeout));
    }

    /**
     * Runs {@code block} holding the mutex and always releases it, waiting as long as it takes.
     *
     * @return what the block returned
     * @throws AbandonedMutexException if the previous owner died holding it; the block did not run
     *     and the mutex has been released
     */
    public <T extends @Nullable Object> T withLock(Supplier<T> block) {
        return withLock(Deadline.none(), block);
    }

    /**
     * Runs {@code block} holding the mutex and always releases it, waiting as long as it takes.
     *
     * @throws AbandonedMutexException as {@link #withLock(Supplier)}
     */
    public void withLock(Runnable block) {
        Objects.requireNonNull(block, "block");
        withLock(Deadline.none(), () -> {
            block.run();
            return null;
        });
    }

    /**
     * Runs {@code block} holding the mutex, waiting up to {@code timeout} for it, and always releases it.
     *
     * @return what the block returned
     * @throws WinipcTimeoutException if the mutex stayed taken until the timeout; the block did not run
     * @throws AbandonedMutexException as {@link #withLock(Supplier)}
     */
    public <T extends @Nullable Object> T withLock(Duration timeout, Supplier<T> block) {
        Objects.requireNonNull(timeout, "timeout");
        return withLock(Deadline.after(timeout), block);
    }

    private <T extends @Nullable Object> T withLock(Deadline deadline, Supplier<T> block) {
        Objects.requireNonNull(block, "block");
        LockResult result = acquire(deadline);
        if (result == LockResult.TIMED_OUT) {
            throw new WinipcTimeoutException("mutex '" + handle.name() + "' stayed held by another owner until the timeout", 0);
        }
        try {
            if (result == LockResult.ACQUIRED_ABANDONED) {
                throw abandoned();
            }
            return block.get();
        } finally {
            unlock();
        }
    }

    private boolean throwIfAbandoned(LockResult result) {
        if (result == LockResult.ACQUIRED_ABANDONED) {
            throw abandoned();
        }
        return result == LockResult.ACQUIRED;
    }

    private AbandonedMutexException abandoned() {
        return new AbandonedMutexException("mutex '" + handle.name() + "' was abandoned: its previous owner died holding it");
    }

    private LockResult acquire(Deadline deadline) {
        handle.ensureOpen();
        return core.acquire(deadline, handle);
    }

    /**
     * Releases one hold; the last release by the owning thread releases the OS mutex.
     *
     * @throws NotOwnerException if the calling thread does not hold the mutex
     * @throws ObjectClosedException if closed and the calling thread does not hold it
     */
    public void unlock() {
        core.unlock(handle);
    }

    /** @return whether the calling thread holds the mutex */
    public boolean isHeldByCurrentThread() {
        return core.isHeldByCurrentThread();
    }

    /** @return how many times the calling thread holds the mutex (0 if not at all) */
    public int holdCount() {
        return core.holdCount();
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

    /**
     * Closes this handle: threads waiting through it get {@link ObjectClosedException}. If a thread
     * holds the mutex, the OS object is let go when that thread's last {@link #unlock()} releases
     * it. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return handle.describe("Mutex", "");
    }
}
