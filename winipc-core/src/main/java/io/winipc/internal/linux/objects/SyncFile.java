package io.winipc.internal.linux.objects;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcOsException;
import io.winipc.internal.MappedRegion;
import io.winipc.internal.OpenMode;
import io.winipc.internal.linux.Errno;

/**
 * The 4096-byte /dev/shm file behind a mutex, event or semaphore, mapped shared, and the
 * bookkeeping that keeps it mapped while calls are in flight. Layout (native byte order):
 * <pre>
 * 0   u32 magic 0x43504957 ("WIPC" in little-endian bytes)
 * 4   u32 kind: 1 mutex, 2 event, 3 semaphore
 * 8   u32 layout version, 1
 * 12  i32 parameter: event 1 = manual reset, 0 = auto reset; semaphore: maximum count
 * 64  state: mutex: a glibc x86_64 pthread_mutex_t, robust and process-shared;
 *            event: i32 word, bit 0 = signalled, bits 1-31 = count of signals (wraps);
 *            semaphore: i32 current count
 * </pre>
 */
abstract class SyncFile {
    static final int FILE_SIZE = 4096;
    static final int MAGIC = 0x43504957;
    static final int VERSION = 1;
    static final int KIND_MUTEX = 1;
    static final int KIND_EVENT = 2;
    static final int KIND_SEMAPHORE = 3;
    static final long OFF_PARAM = 12;
    static final long OFF_STATE = 64;

    /** The longest a wait sleeps before it looks again at close and interrupt (the race a wake-up can lose). */
    static final long SLICE_NANOS = 100_000_000L;

    final String what;
    final MappedRegion region;
    final Pointer state;
    private final NamedFiles.Held file;
    private int inFlight;
    private boolean pinned;
    private volatile boolean closed;
    private boolean released;

    interface StateInit {
        void initialize(MappedRegion region, Pointer base);
    }

    SyncFile(String what, NamedFiles.Held file, long address) {
        this.what = what;
        this.file = file;
        this.region = new MappedRegion(address, FILE_SIZE);
        this.state = new Pointer(address + OFF_STATE);
    }

    /** Obtains and maps the file; {@code init} fills a new one. @return {file, address} */
    static NamedFiles.Held obtain(String kindName, int kind, String name, OpenMode mode, NamedObjectOptions options,
            String what, StateInit init, long[] addressOut) {
        String path = NamedFiles.path(kindName, name, options);
        NamedFiles.Held held = NamedFiles.acquire(path, mode, what, fd -> {
            if (ObjectsLibC.ftruncate(fd, FILE_SIZE) != 0) {
                throw Errno.exception("cannot size " + what, Native.getLastError());
            }
            long a = map(fd, what);
            try {
                MappedRegion r = new MappedRegion(a, FILE_SIZE);
                r.putInt(4, kind);
                r.putInt(8, VERSION);
                init.initialize(r, new Pointer(a));
                r.setIntVolatile(0, MAGIC);
            } finally {
                ObjectsLibC.munmap(new Pointer(a), FILE_SIZE);
            }
        });
        try {
            if (held.size() != FILE_SIZE) {
                throw new WinipcOsException(what + " at " + path + " is not a winipc object (size " + held.size() + ")", 0);
            }
            long a = map(held.fd(), what);
            MappedRegion r = new MappedRegion(a, FILE_SIZE);
            if (r.getIntVolatile(0) != MAGIC || r.getInt(4) != kind || r.getInt(8) != VERSION) {
                ObjectsLibC.munmap(new Pointer(a), FILE_SIZE);
                throw new WinipcOsException(what + " at " + path + " is not a winipc " + kindName
                        + " of layout version " + VERSION, 0);
            }
            addressOut[0] = a;
            return held;
        } catch (RuntimeException | Error e) {
            NamedFiles.release(held.fd(), held.path());
            throw e;
        }
    }

    private static long map(int fd, String what) {
        Pointer p = ObjectsLibC.mmap(null, FILE_SIZE, ObjectsLibC.PROT_READ | ObjectsLibC.PROT_WRITE, ObjectsLibC.MAP_SHARED, fd, 0);
        if (Pointer.nativeValue(p) == -1L) {
            throw Errno.exception("cannot map " + what, Native.getLastError());
        }
        return Pointer.nativeValue(p);
    }

    /** Marks a call in flight, so that close cannot unmap under it. */
    final synchronized void enter() {
        if (closed) {
            throw closedException();
        }
        inFlight++;
    }

    final synchronized void exit() {
        inFlight--;
        releaseIfIdle();
    }

    /** While pinned (a mutex held by this process) the file stays mapped even after close. */
    final synchronized void setPinned(boolean value) {
        pinned = value;
        releaseIfIdle();
    }

    final synchronized boolean isPinned() {
        return pinned;
    }

    final boolean isClosed() {
        return closed;
    }

    final ObjectClosedException closedException() {
        return new ObjectClosedException(what + " is closed");
    }

    /** Throws if the object was closed or the thread interrupted; called between wait slices. */
    final void checkWaitable() {
        if (closed) {
            throw new ObjectClosedException(what + " was closed during the wait");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new OperationCanceledException("waiting for " + what + " was interrupted", ObjectsLibC.EINTR);
        }
    }

    /** Wakes this process's waiters (and, harmlessly, others') so they notice close or interrupt. */
    abstract void wakeForClose();

    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (inFlight > 0) {
                wakeForClose();
            }
            releaseIfIdle();
        }
    }

    private void releaseIfIdle() {
        if (closed && inFlight == 0 && !pinned && !released) {
            released = true;
            ObjectsLibC.munmap(new Pointer(region.address()), FILE_SIZE);
            NamedFiles.release(file.fd(), file.path());
        }
    }

    // ---- futex helpers on the i32 state word ----

    final void futexWake(int count) {
        ObjectsLibC.syscall(ObjectsLibC.SYS_FUTEX, state, ObjectsLibC.FUTEX_WAKE, count, null, null, 0);
    }

    /** Sleeps while the state word equals {@code expected}, at most {@code nanos} (capped at a slice). */
    final void futexWait(int expected, long nanos) {
        long n = Math.min(nanos, SLICE_NANOS);
        Memory ts = new Memory(16);
        ts.setLong(0, n / 1_000_000_000L);
        ts.setLong(8, n % 1_000_000_000L);
        ObjectsLibC.syscall(ObjectsLibC.SYS_FUTEX, state, ObjectsLibC.FUTEX_WAIT, expected, ts, null, 0);
        // EAGAIN (value changed), ETIMEDOUT, EINTR and wake-ups all mean: look again.
    }
}
