package io.winipc.internal.linux.objects;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.winipc.NamedObjectOptions;
import io.winipc.NotOwnerException;
import io.winipc.WinipcOsException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.OpenMode;
import io.winipc.internal.linux.Errno;
import io.winipc.internal.linux.LibC;
import io.winipc.internal.linux.LinuxArchitecture;

/**
 * A robust, process-shared pthread mutex. If its owner dies, the kernel marks it and the next
 * locker gets EOWNERDEAD, makes it consistent and reports the abandonment. A lock first tries
 * (pthread_mutex_trylock); only a taken mutex costs a timed wait. A blocked lock waits
 * in slices of {@link SyncFile#SLICE_NANOS} (pthread_mutex_timedlock) and looks at close and
 * interrupt between them, because nothing else can wake a thread inside pthread_mutex_timedlock.
 * While this process holds the mutex the file stays mapped even if closed (unmapping it would
 * strand the kernel's robust-list entry); the final unlock then lets it go.
 */
final class LinuxMutex extends SyncFile implements NativeMutex {
    /** glibc's pthread_mutexattr_t (4 bytes on x86_64, 8 on aarch64), with room to spare. */
    private static final int ATTR_BYTES = Math.max(64, LinuxArchitecture.PTHREAD_MUTEXATTR_SIZE);

    private LinuxMutex(String what, NamedFiles.Held file, long address) {
        super(what, file, address);
    }

    static LinuxMutex obtain(String name, OpenMode mode, NamedObjectOptions options) {
        String what = "mutex '" + name + "'";
        long[] address = new long[1];
        NamedFiles.Held held = obtain("mutex", KIND_MUTEX, name, mode, options, what, (r, base) -> {
            Memory attr = new Memory(ATTR_BYTES);
            check(what, "pthread_mutexattr_init", LibC.pthread_mutexattr_init(attr));
            try {
                check(what, "pthread_mutexattr_setpshared", LibC.pthread_mutexattr_setpshared(attr, LibC.PTHREAD_PROCESS_SHARED));
                check(what, "pthread_mutexattr_setrobust", LibC.pthread_mutexattr_setrobust(attr, LibC.PTHREAD_MUTEX_ROBUST));
                check(what, "pthread_mutex_init", LibC.pthread_mutex_init(base.share(OFF_STATE), attr));
            } finally {
                LibC.pthread_mutexattr_destroy(attr);
            }
        }, address);
        return new LinuxMutex(what, held, address[0]);
    }

    private static void check(String what, String call, int rc) {
        if (rc != 0) {
            throw Errno.exception(call + " failed for " + what, rc);
        }
    }

    @Override
    public LockResult lock(Deadline deadline) {
        enter();
        try {
            checkWaitable();
            // A free mutex costs one trylock: no clock, no timespec, nothing allocated.
            int rc = LibC.pthread_mutex_trylock(state);
            if (rc == LibC.EBUSY) {
                rc = timedLock(deadline);
                if (rc == LibC.ETIMEDOUT) {
                    return LockResult.TIMED_OUT;
                }
            }
            return outcome(rc);
        } finally {
            exit();
        }
    }

    /** @return pthread's result, ETIMEDOUT once the deadline has passed */
    private int timedLock(Deadline deadline) {
        while (true) {
            long left = deadline.remainingNanos();
            if (left == 0) {
                return LibC.ETIMEDOUT;
            }
            // pthread_mutex_timedlock takes an absolute CLOCK_REALTIME time, which is what
            // currentTimeMillis reads (without a native call of ours). Millisecond precision is
            // enough: a slice that ends up to 1 ms early is followed by another.
            long end = System.currentTimeMillis() * 1_000_000L + Math.min(left, SLICE_NANOS);
            Memory abs = timespec();
            abs.setLong(0, end / 1_000_000_000L);
            abs.setLong(8, end % 1_000_000_000L);
            int rc = LibC.pthread_mutex_timedlock(state, Pointer.nativeValue(abs));
            if (rc != LibC.ETIMEDOUT) {
                return rc;
            }
            checkWaitable();
        }
    }

    private LockResult outcome(int rc) {
        if (rc == 0) {
            setPinned(true);
            return LockResult.ACQUIRED;
        }
        if (rc == LibC.EOWNERDEAD) {
            int c = LibC.pthread_mutex_consistent(state);
            setPinned(true);
            if (c != 0) {
                throw Errno.exception("pthread_mutex_consistent failed for " + what, c);
            }
            return LockResult.ACQUIRED_ABANDONED;
        }
        if (rc == LibC.ENOTRECOVERABLE) {
            throw new WinipcOsException(what + " is unrecoverable: an owner released it after abandonment"
                    + " without making it consistent", rc);
        }
        throw Errno.exception("locking " + what + " failed", rc);
    }

    @Override
    public void unlock() {
        if (!isPinned()) {
            if (isClosed()) {
                throw closedException();
            }
            throw new NotOwnerException(what + " is not held by this process", LibC.EPERM);
        }
        int rc = LibC.pthread_mutex_unlock(state);
        if (rc == LibC.EPERM) {
            throw new NotOwnerException(what + " is not held by the calling OS thread", rc);
        }
        if (rc != 0) {
            throw Errno.exception("unlocking " + what + " failed", rc);
        }
        setPinned(false);
    }

    @Override
    public void ownerThreadEnded() {
        // The kernel walked the ended thread's robust list and marked the mutex owner-dead, so
        // nothing refers to this mapping any more: it may go with the last handle.
        setPinned(false);
    }

    @Override
    void wakeForClose() {
        // Waiters notice close between slices.
    }
}
