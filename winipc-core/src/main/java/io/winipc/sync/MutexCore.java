package io.winipc.sync;

import io.winipc.NamedObjectOptions;
import io.winipc.NotOwnerException;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NamedHandle;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.Offload;
import io.winipc.internal.OpenMode;
import io.winipc.internal.Platforms;
import io.winipc.internal.VirtualThreads;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One named mutex as this process sees it, shared by every {@link Mutex} handle of that name and
 * scope: ownership belongs to a thread, not to a handle, as on Windows, so a thread that holds the
 * mutex through one handle holds it through all. It keeps in-process ownership and reentrancy in
 * Java and reaches the OS only for the outermost acquisition and release, always on the same OS
 * thread for a lock/unlock pair: the caller's own platform thread, or for virtual threads a
 * platform thread dedicated to this mutex (OS mutexes belong to OS threads, and a virtual thread
 * may move between carriers).
 *
 * <p>The uncontended path takes no lock: a thread claims the mutex in this process with a CAS on
 * {@link #owner}, and only the owner writes {@link #holds}. The {@link #guard} and its condition
 * serve threads of this process that wait for another thread of it; they announce themselves in
 * {@link #localWaiters} so that a release signals only when someone waits.
 */
final class MutexCore {
    private static final Map<String, MutexCore> LIVE = new HashMap<>();
    /** How long one OS-level wait lasts before the handle's close and the owner's life are looked at again. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration SLICE = Duration.ofNanos(SLICE_NANOS);
    private static final long OWNER_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger(MutexCore.class.getName());
    /**
     * Looks, once a second, at mutexes held by virtual threads: a virtual thread that ends holding
     * one leaves the OS mutex with the dedicated platform thread, and nothing else would notice
     * while no thread of this process contends. Its one thread ends when nothing is watched.
     */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(MutexCore.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    private final String key;
    private final NativeMutex nat;
    private final ReentrantLock guard = new ReentrantLock();
    private final Condition changed = guard.newCondition();
    /** The thread that holds the mutex in this process, or is acquiring it at the OS level; CAS only. */
    private volatile Thread owner;
    /** The owner's hold count, 0 while it is still acquiring; written by the owner (or for a dead owner under guard). */
    private volatile int holds;
    private volatile boolean ownerOnWorker;
    /** The watchdog's check while a virtual thread holds the mutex, else null. */
    private volatile ScheduledFuture<?> ownerWatch;
    /** Threads of this process waiting on {@link #changed}; changed under guard. */
    private volatile int localWaiters;
    /** Open handles; changed under LIVE. */
    private volatile int handles;
    private boolean disposed;
    private ExecutorService worker;
    /**
     * The deadline of the latest full slice (at most 100 ms after it was made; perhaps passed),
     * shared by all threads (Deadline is immutable), so that a lock need neither allocate one nor
     * read the clock before its first OS-level call.
     */
    private volatile Deadline slice;

    private MutexCore(String key, String name, NativeMutex nat) {
        this.key = key;
        this.name = name;
        this.nat = nat;
    }

    /**
     * A handle's share of a core.
     *
     * @param created whether this attach brought the OS object into being (not when this process had it open already)
     */
    record Attachment(MutexCore core, boolean created) {
    }

    static Attachment attach(String name, OpenMode mode, NamedObjectOptions options) {
        // Keyed by the namespace the name really lives in: in a Windows service Local\x is Global\x.
        String key = Platforms.get().namespaceOf(options.scope()) + "/" + name;
        synchronized (LIVE) {
            MutexCore core = LIVE.get(key);
            if (core != null) {
                if (mode == OpenMode.CREATE_EXCLUSIVE) {
                    throw new ObjectExistsException("mutex '" + name + "' already exists (this process has it open)", 0);
                }
                core.handles++;
                return new Attachment(core, false);
            }
            core = new MutexCore(key, name, Platforms.get().mutex(name, mode, options));
            core.handles = 1;
            LIVE.put(key, core);
            return new Attachment(core, core.nat.created());
        }
    }

    /** A handle let go: closed, or collected unclosed. */
    void detach() {
        synchronized (LIVE) {
            handles--;
            disposeIfUnused();
        }
    }

    /**
     * Lets the OS object go once no handle is left and no thread holds or is acquiring it. Holds
     * LIVE. An acquirer sets {@link #owner} and then reads its handle's closed flag; a closer sets
     * that flag, decrements {@link #handles} and then reads owner here: with volatile accesses on
     * both sides, either the acquirer sees its handle closed (and backs out) or this sees the owner.
     */
    private void disposeIfUnused() {
        if (handles > 0 || disposed) {
            return;
        }
        Thread o = owner;
        if (o != null && holds > 0 && !o.isAlive()) {
            // The owner ended holding it and no handle is left, so nobody here can release it any
            // more. Windows destroys the object with its last handle; so do we.
            reclaimFromClosedDeadOwner(o);
        }
        if (owner != null) {
            return;
        }
        disposed = true;
        LIVE.remove(key);
        nat.close();
        synchronized (this) {
            if (worker != null) {
                worker.shutdown();
            }
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "winipc-mutex-watchdog");
            t.setDaemon(true);
            return t;
        });
        w.setRemoveOnCancelPolicy(true);
        w.setKeepAliveTime(5, TimeUnit.SECONDS);
        w.allowCoreThreadTimeOut(true);
        return w;
    }

    /** Called by a virtual thread that now holds the mutex through the dedicated thread. */
    private void watchOwner() {
        ownerWatch = WATCHDOG.scheduleWithFixedDelay(this::checkVirtualOwner, 1, 1, TimeUnit.SECONDS);
    }

    private void unwatchOwner() {
        ScheduledFuture<?> w = ownerWatch;
        if (w != null) {
            ownerWatch = null;
            w.cancel(false);
        }
    }

    /**
     * Abandons the mutex if the virtual thread that holds it has ended, so that other processes
     * are not locked out until a thread of this one happens to contend.
     */
    private void checkVirtualOwner() {
        Thread o = owner;
        if (o == null || o.isAlive() || holds == 0 || !ownerOnWorker) {
            return;
        }
        guard.lock();
        try {
            if (owner != o || holds == 0) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "virtual thread " + o + " ended holding mutex '" + name
                    + "'; the mutex is abandoned (its next acquirer, here or in another process, gets ACQUIRED_ABANDONED)");
            reclaimFromDeadOwner(o);
            changed.signalAll();
        } finally {
            guard.unlock();
        }
        disposeIfNoHandle();
    }

    /**
     * Ends the dedicated thread, which holds the OS mutex for a virtual thread that ended: the OS
     * then marks the mutex abandoned, exactly as when a platform thread ends holding it. The next
     * virtual thread to need one gets a new dedicated thread.
     */
    private synchronized void retireWorker() {
        if (worker != null) {
            worker.shutdown();
            worker = null;
        }
    }

    private synchronized ExecutorService worker() {
        if (worker == null) {
            // One thread that never retires while the mutex is in use here: it may own the OS mutex.
            worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "winipc-mutex-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        return worker;
    }

    /** Wakes this process's threads waiting for the mutex, so they look at their handle's state. */
    void wakeWaiters() {
        guard.lock();
        try {
            changed.signalAll();
        } finally {
            guard.unlock();
        }
    }

    private ObjectClosedException closed() {
        return new ObjectClosedException("mutex '" + name + "' is closed");
    }

    private OperationCanceledException canceled(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new OperationCanceledException("waiting for mutex '" + name + "' was interrupted", 0, e);
    }

    LockResult acquire(Deadline deadline, NamedHandle handle) {
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            throw canceled(new InterruptedException());
        }
        if (handle.isClosed()) {
            throw closed();
        }
        if (owner == me && holds > 0) {
            int h = holds;
            if (h == Integer.MAX_VALUE) {
                throw new IllegalStateException("mutex '" + name + "' is held too many times by this thread");
            }
            holds = h + 1;
            return LockResult.ACQUIRED;
        }
        if (!OWNER.compareAndSet(this, null, me) && !awaitLocalOwner(me, deadline, handle)) {
            return LockResult.TIMED_OUT;
        }
        // Owner first, then the handle's state: see disposeIfUnused.
        if (handle.isClosed()) {
            release();
            throw closed();
        }
        boolean onWorker = VirtualThreads.isCurrentThreadVirtual();
        ownerOnWorker = onWorker;
        NativeMutex.LockResult r;
        try {
            r = nativeLock(deadline, handle, onWorker);
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
        if (r == NativeMutex.LockResult.TIMED_OUT) {
            release();
            return LockResult.TIMED_OUT;
        }
        holds = 1;
        if (onWorker) {
            watchOwner();
        }
        return r == NativeMutex.LockResult.ACQUIRED_ABANDONED ? LockResult.ACQUIRED_ABANDONED : LockResult.ACQUIRED;
    }

    /**
     * Waits while another thread of this process owns the mutex, then claims it.
     *
     * @return false on timeout
     */
    private boolean awaitLocalOwner(Thread me, Deadline deadline, NamedHandle handle) {
        try {
            guard.lockInterruptibly();
        } catch (InterruptedException e) {
            throw canceled(e);
        }
        try {
            // Announced before owner is read again: a releaser clears owner and then reads
            // localWaiters, so either it signals or this sees the mutex free.
            localWaiters++;
            while (true) {
                if (handle.isClosed()) {
                    throw closed();
                }
                Thread o = owner;
                if (o == null) {
                    if (OWNER.compareAndSet(this, null, me)) {
                        return true;
                    }
                    continue;
                }
                if (!o.isAlive() && holds > 0) {
                    reclaimFromDeadOwner(o);
                    continue;
                }
                long left = deadline.remainingNanos();
                if (left == 0) {
                    return false;
                }
                try {
                    changed.awaitNanos(Math.min(left, OWNER_CHECK_NANOS));
                } catch (InterruptedException e) {
                    throw canceled(e);
                }
            }
        } finally {
            localWaiters--;
            guard.unlock();
        }
    }

    /**
     * The thread that held the mutex ended without releasing it. A platform thread's OS thread is
     * gone, so the OS has marked the mutex abandoned already; a virtual thread's hold is kept by the
     * dedicated thread, which is ended here so that the OS abandons it too (found by a local
     * contender, or by the watchdog when none contends). Either way the OS tells the next
     * acquirer, in this process or another, exactly once. Holds guard.
     */
    private void reclaimFromDeadOwner(Thread dead) {
        if (ownerOnWorker) {
            unwatchOwner();
            retireWorker();
        }
        holds = 0;
        OWNER.compareAndSet(this, dead, null);
    }

    /**
     * Takes the mutex back from an owner thread that ended, once every handle is closed: a platform
     * thread's OS mutex was abandoned when its OS thread ended, which the backend is told; a virtual
     * thread's is given back by the dedicated thread. Holds LIVE.
     */
    private void reclaimFromClosedDeadOwner(Thread dead) {
        guard.lock();
        try {
            if (owner != dead || holds == 0) {
                return;
            }
            boolean platformOwner = !ownerOnWorker;
            reclaimFromDeadOwner(dead);
            if (platformOwner) {
                nat.ownerThreadEnded();
            }
        } finally {
            guard.unlock();
        }
    }

    /** Waits for the OS mutex in slices, so that closing the handle or an interrupt ends the wait. */
    private NativeMutex.LockResult nativeLock(Deadline deadline, NamedHandle handle, boolean onWorker) {
        // The first call may use the shared slice as it is, without reading the clock (a lock with
        // no deadline reads none on its way): a free mutex is taken at once whatever the deadline,
        // and a slice that has passed already costs one try before a fresh one is made.
        Deadline slice = this.slice;
        if (slice == null || !deadline.isInfinite() && deadline.remainingNanos() <= SLICE_NANOS) {
            slice = nextSlice(deadline);
        }
        while (true) {
            if (handle.isClosed()) {
                throw new ObjectClosedException("mutex '" + name + "' was closed during the wait");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationCanceledException("waiting for mutex '" + name + "' was interrupted", 0);
            }
            Deadline s = slice;
            NativeMutex.LockResult r = onWorker ? Offload.runOn(worker(), () -> nat.lock(s)) : nat.lock(s);
            if (r != NativeMutex.LockResult.TIMED_OUT || deadline.hasPassed()) {
                return r;
            }
            slice = nextSlice(deadline);
        }
    }

    /** @return {@code deadline} if it is at most a slice away, else a new deadline one slice from now, which it shares */
    private Deadline nextSlice(Deadline deadline) {
        if (!deadline.isInfinite() && deadline.remainingNanos() <= SLICE_NANOS) {
            return deadline;
        }
        Deadline s = Deadline.after(SLICE);
        this.slice = s;
        return s;
    }

    void unlock(NamedHandle handle) {
        Thread me = Thread.currentThread();
        int h = holds;
        if (owner != me || h == 0) {
            if (handle.isClosed()) {
                throw closed();
            }
            throw new NotOwnerException("mutex '" + name + "' is not held by the calling thread", 0);
        }
        if (h > 1) {
            holds = h - 1;
            return;
        }
        holds = 0;
        try {
            if (ownerOnWorker) {
                unlockOnWorker();
            } else {
                nat.unlock();
            }
        } finally {
            release();
        }
    }

    /**
     * Releases the OS mutex on the dedicated thread that holds it, and waits for that to happen
     * whatever interrupts the caller gets (its interrupt status is kept): an interrupt must not
     * cancel a release, or the OS mutex would stay held by that thread while this process thinks
     * it free, locking out every other process.
     */
    private void unlockOnWorker() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        worker().execute(() -> {
            try {
                nat.unlock();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Gives up ownership in this process; signals local waiters and disposes only when there is reason to. */
    private void release() {
        unwatchOwner();
        holds = 0;
        owner = null;
        if (localWaiters > 0) {
            guard.lock();
            try {
                changed.signalAll();
            } finally {
                guard.unlock();
            }
        }
        disposeIfNoHandle();
    }

    private void disposeIfNoHandle() {
        if (handles == 0) {
            synchronized (LIVE) {
                disposeIfUnused();
            }
        }
    }

    boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread() && holds > 0;
    }

    int holdCount() {
        return owner == Thread.currentThread() ? holds : 0;
    }
}
