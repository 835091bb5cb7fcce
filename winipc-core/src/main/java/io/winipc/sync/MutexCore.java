package io.winipc.sync;

import io.winipc.NamedObjectOptions;
import io.winipc.NotOwnerException;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.Offload;
import io.winipc.internal.OpenMode;
import io.winipc.internal.Platforms;
import io.winipc.internal.VirtualThreads;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One named mutex as this process sees it, shared by every {@link Mutex} handle of that name and
 * scope: ownership belongs to a thread, not to a handle, as on Windows, so a thread that holds the
 * mutex through one handle holds it through all. It keeps in-process ownership and reentrancy in
 * Java and reaches the OS only for the outermost acquisition and release, always on the same OS
 * thread for a lock/unlock pair: the caller's own platform thread, or for virtual threads a
 * platform thread dedicated to this mutex (OS mutexes belong to OS threads, and a virtual thread
 * may move between carriers).
 */
final class MutexCore {
    private static final Map<String, MutexCore> LIVE = new HashMap<>();
    /** How long one OS-level wait lasts before the handle's close and the owner's life are looked at again. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long OWNER_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    final String name;
    private final String key;
    private final NativeMutex nat;
    private final ReentrantLock guard = new ReentrantLock();
    private final Condition changed = guard.newCondition();
    private Thread owner;
    private int holds;
    private boolean ownerOnWorker;
    private boolean abandonedInProcess;
    private int handles;
    private boolean disposed;
    private ExecutorService worker;

    private MutexCore(String key, String name, NativeMutex nat) {
        this.key = key;
        this.name = name;
        this.nat = nat;
    }

    static MutexCore attach(String name, OpenMode mode, NamedObjectOptions options) {
        String key = options.scope() + "/" + name;
        synchronized (LIVE) {
            MutexCore core = LIVE.get(key);
            if (core != null) {
                if (mode == OpenMode.CREATE_EXCLUSIVE) {
                    throw new ObjectExistsException("mutex '" + name + "' already exists (this process has it open)", 0);
                }
                core.handles++;
                return core;
            }
            core = new MutexCore(key, name, Platforms.get().mutex(name, mode, options));
            core.handles = 1;
            LIVE.put(key, core);
            return core;
        }
    }

    /** A handle let go: closed, or collected unclosed. */
    void detach() {
        synchronized (LIVE) {
            handles--;
            disposeIfUnused();
        }
    }

    /** Lets the OS object go once no handle is left and no thread holds or is acquiring it. Holds LIVE. */
    private void disposeIfUnused() {
        if (handles > 0 || disposed) {
            return;
        }
        guard.lock();
        try {
            if (owner != null) {
                return;
            }
        } finally {
            guard.unlock();
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

    LockResult acquire(Deadline deadline, BooleanSupplier handleClosed) {
        Thread me = Thread.currentThread();
        boolean onWorker;
        boolean abandonedHere = false;
        try {
            guard.lockInterruptibly();
        } catch (InterruptedException e) {
            throw canceled(e);
        }
        try {
            if (handleClosed.getAsBoolean()) {
                throw closed();
            }
            if (owner == me && holds > 0) {
                if (holds == Integer.MAX_VALUE) {
                    throw new IllegalStateException("mutex '" + name + "' is held too many times by this thread");
                }
                holds++;
                return LockResult.ACQUIRED;
            }
            while (owner != null) {
                if (!owner.isAlive() && holds > 0) {
                    reclaimFromDeadOwner();
                    break;
                }
                long left = deadline.remainingNanos();
                if (left == 0) {
                    return LockResult.TIMED_OUT;
                }
                try {
                    changed.awaitNanos(Math.min(left, OWNER_CHECK_NANOS));
                } catch (InterruptedException e) {
                    throw canceled(e);
                }
                if (handleClosed.getAsBoolean()) {
                    throw closed();
                }
            }
            owner = me;
            holds = 0;
            onWorker = VirtualThreads.isCurrentThreadVirtual();
            ownerOnWorker = onWorker;
            if (abandonedInProcess) {
                abandonedInProcess = false;
                abandonedHere = true;
            }
        } finally {
            guard.unlock();
        }
        NativeMutex.LockResult r;
        try {
            r = nativeLock(deadline, handleClosed, onWorker);
        } catch (RuntimeException | Error e) {
            restoreAbandonment(abandonedHere);
            release();
            throw e;
        }
        if (r == NativeMutex.LockResult.TIMED_OUT) {
            restoreAbandonment(abandonedHere);
            release();
            return LockResult.TIMED_OUT;
        }
        guard.lock();
        try {
            holds = 1;
        } finally {
            guard.unlock();
        }
        return r == NativeMutex.LockResult.ACQUIRED_ABANDONED || abandonedHere ? LockResult.ACQUIRED_ABANDONED : LockResult.ACQUIRED;
    }

    private void restoreAbandonment(boolean abandonedHere) {
        if (abandonedHere) {
            guard.lock();
            try {
                abandonedInProcess = true;
            } finally {
                guard.unlock();
            }
        }
    }

    /**
     * The thread that held the mutex ended without releasing it. A platform thread's OS thread is
     * gone, so the OS has marked the mutex abandoned already; a virtual thread's hold is kept by the
     * dedicated thread, which gives it back here. Either way the next acquirer is told. Holds guard.
     */
    private void reclaimFromDeadOwner() {
        if (ownerOnWorker) {
            try {
                Offload.runOn(worker(), () -> {
                    nat.unlock();
                    return null;
                });
            } catch (RuntimeException e) {
                // Nothing more can be done for it; the acquirer's own OS-level lock will tell.
            }
            abandonedInProcess = true;
        }
        owner = null;
        holds = 0;
    }

    /** Waits for the OS mutex in slices, so that closing the handle or an interrupt ends the wait. */
    private NativeMutex.LockResult nativeLock(Deadline deadline, BooleanSupplier handleClosed, boolean onWorker) {
        while (true) {
            if (handleClosed.getAsBoolean()) {
                throw new ObjectClosedException("mutex '" + name + "' was closed during the wait");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationCanceledException("waiting for mutex '" + name + "' was interrupted", 0);
            }
            Deadline slice = Deadline.after(Duration.ofNanos(Math.min(deadline.remainingNanos(), SLICE_NANOS)));
            Supplier<NativeMutex.LockResult> call = () -> nat.lock(slice);
            NativeMutex.LockResult r = onWorker ? Offload.runOn(worker(), call) : call.get();
            if (r != NativeMutex.LockResult.TIMED_OUT || deadline.hasPassed()) {
                return r;
            }
        }
    }

    void unlock(BooleanSupplier handleClosed) {
        Thread me = Thread.currentThread();
        boolean onWorker;
        guard.lock();
        try {
            if (owner != me || holds == 0) {
                if (handleClosed.getAsBoolean()) {
                    throw closed();
                }
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
                Offload.runOn(worker(), () -> {
                    nat.unlock();
                    return null;
                });
            } else {
                nat.unlock();
            }
        } finally {
            release();
        }
    }

    private void release() {
        guard.lock();
        try {
            owner = null;
            holds = 0;
            changed.signalAll();
        } finally {
            guard.unlock();
        }
        synchronized (LIVE) {
            disposeIfUnused();
        }
    }

    boolean isHeldByCurrentThread() {
        guard.lock();
        try {
            return owner == Thread.currentThread() && holds > 0;
        } finally {
            guard.unlock();
        }
    }

    int holdCount() {
        guard.lock();
        try {
            return owner == Thread.currentThread() ? holds : 0;
        } finally {
            guard.unlock();
        }
    }
}
