package io.winipc.sync;

import io.winipc.AbandonedMutexException;
import io.winipc.NamedObjectOptions;
import io.winipc.NotOwnerException;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Cleaners;
import io.winipc.internal.Deadline;
import io.winipc.internal.Names;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.Offload;
import io.winipc.internal.OpenMode;
import io.winipc.internal.Platforms;
import io.winipc.internal.VirtualThreads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

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
 * {@link NotOwnerException}.
 *
 * <p><b>Abandonment.</b> If the owning process dies holding the mutex (or an owning thread ends
 * without releasing it), the next acquirer gets the mutex and is told: {@link #lock()} and
 * {@link #tryLock} throw {@link AbandonedMutexException} <em>with the mutex held by the caller</em>,
 * who must still unlock it; {@link #acquire(Duration)} reports {@link LockResult#ACQUIRED_ABANDONED}
 * instead of throwing. {@link #withLock} releases the mutex and throws
 * {@link AbandonedMutexException} without running the block, since the state the block would work
 * on may be inconsistent. Either way the mutex works normally afterwards.
 *
 * <p><b>Waiting.</b> Waits take a timeout or are interruptible (an interrupt throws
 * {@link OperationCanceledException} with the interrupt status kept), and {@link #close()} from
 * another thread ends them with {@link ObjectClosedException}. Mutex ownership belongs to an OS
 * thread, so a wait for a mutex held by another process blocks a platform thread: a platform
 * thread waits itself; a virtual thread parks while a platform thread dedicated to this Mutex
 * object waits for it (and later releases it), so a virtual thread may lock on one carrier and
 * unlock on another. That dedicated thread lives until the Mutex is closed; calls from virtual
 * threads are serialised on it.
 *
 * <p><b>Lifetime.</b> {@link #create} opens the live mutex of that name or creates one, as
 * Windows' {@code CreateMutex} does (unless {@link NamedObjectOptions#exclusive()});
 * {@link #open} requires it to be live. The mutex disappears when the last holder closes it or
 * dies. Closing while a thread of this process holds the mutex wakes this object's waiters; the
 * holder may still {@link #unlock()} (the one operation allowed after close), and the OS object is
 * let go on that last release.
 */
public final class Mutex implements AutoCloseable {
    private final String name;
    private final Shared shared;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantLock guard = new ReentrantLock();
    private final Condition changed = guard.newCondition();
    private Thread owner;
    private int holds;
    private boolean ownerOnWorker;
    private boolean closed;

    /** What the Cleaner needs: never the Mutex itself. */
    private static final class Shared implements Runnable {
        final NativeMutex nat;
        final AtomicBoolean closing = new AtomicBoolean();
        private final String name;
        private ExecutorService worker;

        Shared(NativeMutex nat, String name) {
            this.nat = nat;
            this.name = name;
        }

        synchronized ExecutorService worker() {
            if (worker == null) {
                // One thread that never retires while the Mutex is open: it may own the OS mutex.
                ThreadPoolExecutor w = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "winipc-mutex-" + name);
                    t.setDaemon(true);
                    return t;
                });
                worker = w;
            }
            return worker;
        }

        @Override
        public void run() {
            closing.set(true);
            nat.close();
            synchronized (this) {
                if (worker != null) {
                    worker.shutdown();
                }
            }
        }
    }

    private Mutex(String name, NativeMutex nat) {
        this.name = name;
        this.shared = new Shared(nat, name);
        this.cleanable = Cleaners.register(this, shared);
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
        return new Mutex(name, Platforms.get().mutex(name, mode, options));
    }

    /**
     * Opens a live mutex with the default options.
     *
     * @param name its name
     * @return the mutex, not held
     * @throws io.winipc.ObjectNotFoundException if no live mutex has that name
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
     */
    public static Mutex open(String name, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        return new Mutex(name, Platforms.get().mutex(name, OpenMode.OPEN_EXISTING, options));
    }

    /** @return the mutex's name */
    public String name() {
        return name;
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
    public LockResult acquire(Duration timeout) {
        return acquire(Deadline.after(timeout));
    }

    /**
     * Runs {@code block} holding the mutex and always releases it, waiting as long as it takes.
     *
     * @return what the block returned
     * @throws AbandonedMutexException if the previous owner died holding it; the block did not run
     *     and the mutex has been released
     */
    public <T> T withLock(Supplier<T> block) {
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
    public <T> T withLock(Duration timeout, Supplier<T> block) {
        Objects.requireNonNull(timeout, "timeout");
        return withLock(Deadline.after(timeout), block);
    }

    private <T> T withLock(Deadline deadline, Supplier<T> block) {
        Objects.requireNonNull(block, "block");
        LockResult result = acquire(deadline);
        if (result == LockResult.TIMED_OUT) {
            throw new WinipcTimeoutException("mutex '" + name + "' stayed held by another owner until the timeout", 0);
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
        return new AbandonedMutexException("mutex '" + name + "' was abandoned: its previous owner died holding it");
    }

    private LockResult acquire(Deadline deadline) {
        Thread me = Thread.currentThread();
        boolean onWorker;
        try {
            guard.lockInterruptibly();
        } catch (InterruptedException e) {
            throw canceled(e);
        }
        try {
            ensureOpen();
            if (owner == me && holds > 0) {
                if (holds == Integer.MAX_VALUE) {
                    throw new IllegalStateException("mutex '" + name + "' is held too many times by this thread");
                }
                holds++;
                return LockResult.ACQUIRED;
            }
            while (owner != null) {
                long left = deadline.remainingNanos();
                if (left == 0) {
                    return LockResult.TIMED_OUT;
                }
                try {
                    if (deadline.isInfinite()) {
                        changed.await();
                    } else {
                        changed.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    throw canceled(e);
                }
                ensureOpen();
            }
            owner = me;
            holds = 0;
            onWorker = VirtualThreads.isCurrentThreadVirtual();
            ownerOnWorker = onWorker;
        } finally {
            guard.unlock();
        }
        NativeMutex.LockResult r;
        try {
            Supplier<NativeMutex.LockResult> call = () -> nativeLock(deadline);
            r = onWorker ? Offload.runOn(shared.worker(), call) : call.get();
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
        if (r == NativeMutex.LockResult.TIMED_OUT) {
            release();
            return LockResult.TIMED_OUT;
        }
        guard.lock();
        try {
            holds = 1;
        } finally {
            guard.unlock();
        }
        return r == NativeMutex.LockResult.ACQUIRED_ABANDONED ? LockResult.ACQUIRED_ABANDONED : LockResult.ACQUIRED;
    }

    /** Runs on the thread that will own the OS mutex. */
    private NativeMutex.LockResult nativeLock(Deadline deadline) {
        NativeMutex.LockResult r = shared.nat.lock(deadline);
        if (r != NativeMutex.LockResult.TIMED_OUT && shared.closing.get()) {
            // Closed while the lock was being granted: give it back, or no one else could have it.
            shared.nat.unlock();
            throw new ObjectClosedException("mutex '" + name + "' was closed during the wait");
        }
        return r;
    }

    private OperationCanceledException canceled(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new OperationCanceledException("waiting for mutex '" + name + "' was interrupted", 0, e);
    }

    /**
     * Releases one hold; the last release by the owning thread releases the OS mutex.
     *
     * @throws NotOwnerException if the calling thread does not hold the mutex
     * @throws ObjectClosedException if closed and the calling thread does not hold it
     */
    public void unlock() {
        Thread me = Thread.currentThread();
        boolean onWorker;
        guard.lock();
        try {
            if (owner != me || holds == 0) {
                ensureOpen();
                throw new NotOwnerException("mutex '" + name + "' is not held by the calling thread", 0);
            }
            if (--holds > 0) {
                return;
            }
            onWorker = ownerOnWorker;
        } finally {
            guard.unlock();
        }
        try {
            if (onWorker) {
                Offload.runOn(shared.worker(), () -> {
                    shared.nat.unlock();
                    return null;
                });
            } else {
                shared.nat.unlock();
            }
        } finally {
            release();
        }
    }

    private void release() {
        boolean closeNow;
        guard.lock();
        try {
            owner = null;
            holds = 0;
            changed.signalAll();
            closeNow = closed;
        } finally {
            guard.unlock();
        }
        if (closeNow) {
            cleanable.clean();
        }
    }

    /** @return whether the calling thread holds the mutex */
    public boolean isHeldByCurrentThread() {
        guard.lock();
        try {
            return owner == Thread.currentThread() && holds > 0;
        } finally {
            guard.unlock();
        }
    }

    /** @return how many times the calling thread holds the mutex (0 if not at all) */
    public int holdCount() {
        guard.lock();
        try {
            return owner == Thread.currentThread() ? holds : 0;
        } finally {
            guard.unlock();
        }
    }

    /** @return false once closed */
    public boolean isOpen() {
        guard.lock();
        try {
            return !closed;
        } finally {
            guard.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ObjectClosedException("mutex '" + name + "' is closed");
        }
    }

    /**
     * Closes this handle: waiting threads get {@link ObjectClosedException}. If a thread holds the
     * mutex, the OS object is let go when that thread's last {@link #unlock()} releases it.
     * Idempotent and thread-safe.
     */
    @Override
    public void close() {
        boolean held;
        guard.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
            held = owner != null && holds > 0;
        } finally {
            guard.unlock();
        }
        if (!held) {
            cleanable.clean();
        }
    }

    @Override
    public String toString() {
        return "Mutex[" + name + "]";
    }
}
