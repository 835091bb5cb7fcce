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
import io.winipc.internal.VirtualThreads;
import io.winipc.internal.linux.Errno;
import io.winipc.internal.linux.LibC;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The 4096-byte /dev/shm file behind a mutex, event or semaphore, mapped shared, and the
 * bookkeeping that keeps it mapped while calls are in flight. Layout version 2 (native byte order):
 * <pre>
 * 0   u32 magic 0x43504957 ("WIPC" in little-endian bytes)
 * 4   u32 kind: 1 mutex, 2 event, 3 semaphore
 * 8   u32 layout version, 2
 * 12  i32 parameter: event 1 = manual reset, 0 = auto reset; semaphore: maximum count
 * 64  state: mutex: glibc's pthread_mutex_t of the architecture (40 bytes on x86_64, 48 on
 *            aarch64), robust and process-shared;
 *            event: i32 word, bit 0 = signalled, bits 1-31 = count of signals (wraps);
 *            semaphore: i32 current count
 * 68  event and semaphore: i32 waiters, the number of threads (in all processes) that are about
 *     to sleep or sleeping in FUTEX_WAIT on the word at 64
 * </pre>
 * Version 2 added the waiter count: a signal or release makes the FUTEX_WAKE system call only if
 * it is not zero. The protocol, which every process using the file must follow (all accesses
 * sequentially consistent atomics):
 * <ul>
 *   <li>wait: increment waiters, read the word again and FUTEX_WAIT only if it still says "not
 *       available" (the kernel compares once more), then decrement waiters;</li>
 *   <li>signal or release: change the word with a CAS, then read waiters and FUTEX_WAKE only if it
 *       is not zero.</li>
 * </ul>
 * Why no wake-up is lost: the waiter's increment and the releaser's CAS are both sequentially
 * consistent read-modify-writes, so they happen in one order that both sides agree on. If the
 * releaser's read of waiters comes before the increment, its CAS came before it too, and the
 * waiter's later read of the word (its own, and the kernel's inside FUTEX_WAIT) sees the released
 * state and does not sleep. Otherwise the releaser sees a non-zero count and wakes, and the
 * kernel orders that wake against the waiter's FUTEX_WAIT (either the waiter is queued and is
 * woken, or its in-kernel compare sees the new word). A process that dies between increment and
 * decrement leaves the count too high, which costs later releases a needless FUTEX_WAKE, never a
 * lost wake-up.
 */
abstract class SyncFile {
    static final int FILE_SIZE = 4096;
    static final int MAGIC = 0x43504957;
    static final int VERSION = 2;
    static final int KIND_MUTEX = 1;
    static final int KIND_EVENT = 2;
    static final int KIND_SEMAPHORE = 3;
    static final long OFF_PARAM = 12;
    static final long OFF_STATE = 64;
    /** Events and semaphores: the waiter count (see the class comment). */
    static final long OFF_WAITERS = 68;

    /**
     * The longest a wait sleeps before it looks again at close and interrupt (the race a wake-up
     * can lose): 100 ms. The internal system property {@value #SLICE_PROPERTY} (milliseconds) exists
     * for tests only: with a slice of minutes, a lost wake-up shows as a hang instead of a delay.
     */
    static final long SLICE_NANOS = Math.max(1, Long.getLong(SyncFile.SLICE_PROPERTY, 100)) * 1_000_000L;
    static final String SLICE_PROPERTY = "winipc.internal.waitSliceMillis";

    /** Bit of {@link #calls} set once closed; the bits below count the calls in flight. */
    private static final int CLOSED = 1 << 30;

    /** One native timespec per platform thread, for the timeouts of its waits (see {@link #timespec()}). */
    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(16));

    final String what;
    final MappedRegion region;
    /** The address of the state word (offset 64). */
    final long state;
    private final NamedFiles.Held file;
    /**
     * Calls in flight, plus {@link #CLOSED}: one atomic add on the way in and one on the way out,
     * where a monitor would cost two enters and exits. The file is unmapped only once it reads
     * exactly CLOSED (closed, nothing in flight) and the mutex is not pinned.
     */
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean pinned;
    private boolean released;

    interface StateInit {
        void initialize(MappedRegion region, Pointer base);
    }

    /** @return whether this process's obtain created the file (else it opened a live one) */
    public boolean created() {
        return file.created();
    }

    SyncFile(String what, NamedFiles.Held file, long address) {
        this.what = what;
        this.file = file;
        this.region = new MappedRegion(address, FILE_SIZE);
        this.state = address + OFF_STATE;
    }

    /** Obtains and maps the file; {@code init} fills a new one. @return {file, address} */
    static NamedFiles.Held obtain(String kindName, int kind, String name, OpenMode mode, NamedObjectOptions options,
            String what, StateInit init, long[] addressOut) {
        String path = NamedFiles.path(kindName, name, options);
        NamedFiles.Held held = NamedFiles.acquire(path, mode, options, what, fd -> {
            if (LibC.ftruncate(fd, FILE_SIZE) != 0) {
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
                LibC.munmap(new Pointer(a), FILE_SIZE);
            }
        });
        try {
            if (held.size() != FILE_SIZE) {
                throw new WinipcOsException(what + " at " + path + " is not a winipc object (size " + held.size() + ")", 0);
            }
            long a = map(held.fd(), what);
            MappedRegion r = new MappedRegion(a, FILE_SIZE);
            if (r.getIntVolatile(0) != MAGIC || r.getInt(4) != kind || r.getInt(8) != VERSION) {
                LibC.munmap(new Pointer(a), FILE_SIZE);
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
        Pointer p = LibC.mmap(null, FILE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (Pointer.nativeValue(p) == -1L) {
            throw Errno.exception("cannot map " + what, Native.getLastError());
        }
        return Pointer.nativeValue(p);
    }

    /** Marks a call in flight, so that close cannot unmap under it; pair with {@link #exit()}. */
    final void enter() {
        if ((calls.getAndIncrement() & CLOSED) != 0) {
            exit();
            throw closedException();
        }
    }

    final void exit() {
        if (calls.decrementAndGet() == CLOSED) {
            releaseIfIdle();
        }
    }

    /**
     * While pinned (a mutex held by this process) the file stays mapped even after close. A
     * volatile write and read on each side: close sets CLOSED then reads pinned, unpinning clears
     * pinned then reads CLOSED, so at least one of them sees the other and lets the file go.
     */
    final void setPinned(boolean value) {
        pinned = value;
        if (!value && isClosed()) {
            releaseIfIdle();
        }
    }

    final boolean isPinned() {
        return pinned;
    }

    final boolean isClosed() {
        return (calls.get() & CLOSED) != 0;
    }

    final ObjectClosedException closedException() {
        return new ObjectClosedException(what + " is closed");
    }

    /** Throws if the object was closed or the thread interrupted; called between wait slices. */
    final void checkWaitable() {
        if (isClosed()) {
            throw new ObjectClosedException(what + " was closed during the wait");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new OperationCanceledException("waiting for " + what + " was interrupted", LibC.EINTR);
        }
    }

    /** Wakes this process's waiters (and, harmlessly, others') so they notice close or interrupt. */
    abstract void wakeForClose();

    public final void close() {
        // Counted as a call itself, so that the mapping outlives the wake-up below even if every
        // other call ends meanwhile; its own exit lets the file go if nothing else holds it.
        calls.getAndIncrement();
        int before = calls.getAndUpdate(v -> v | CLOSED);
        if ((before & CLOSED) == 0 && before > 1) {
            wakeForClose();
        }
        exit();
    }

    private synchronized void releaseIfIdle() {
        if (calls.get() == CLOSED && !pinned && !released) {
            released = true;
            LibC.munmap(new Pointer(region.address()), FILE_SIZE);
            NamedFiles.release(file.fd(), file.path());
        }
    }

    // ---- futex helpers on the i32 state word ----

    final int word() {
        return region.getIntVolatile(OFF_STATE);
    }

    final boolean casWord(int expected, int value) {
        return region.compareAndSetInt(OFF_STATE, expected, value);
    }

    /** Wakes up to {@code count} sleepers if any thread of any process has announced a wait. */
    final void wakeIfWaiters(int count) {
        if (region.getIntVolatile(OFF_WAITERS) != 0) {
            futexWake(count);
        }
    }

    final void futexWake(int count) {
        LibC.syscall(LibC.SYS_FUTEX, state, LibC.FUTEX_WAKE, count, 0L, 0L, 0L);
    }

    /**
     * Announces a waiter, sleeps while the state word equals {@code expected} (at most
     * {@code nanos}, capped at a slice), and withdraws the announcement. The caller read
     * {@code expected} before; if a releaser changed the word in between, FUTEX_WAIT returns at
     * once (the kernel compares), and if it changed after the increment the releaser saw the
     * count (see the class comment).
     */
    final void futexWait(int expected, long nanos) {
        long n = Math.min(nanos, SLICE_NANOS);
        Memory ts = timespec();
        ts.setLong(0, n / 1_000_000_000L);
        ts.setLong(8, n % 1_000_000_000L);
        region.getAndAddInt(OFF_WAITERS, 1);
        try {
            if (word() == expected) {
                LibC.syscall(LibC.SYS_FUTEX, state, LibC.FUTEX_WAIT, expected, Pointer.nativeValue(ts), 0L, 0L);
                // EAGAIN (value changed), ETIMEDOUT, EINTR and wake-ups all mean: look again.
            }
        } finally {
            region.getAndAddInt(OFF_WAITERS, -1);
        }
    }

    /**
     * A 16-byte native buffer for a timespec, reused by the calling platform thread (no allocation
     * per wait: JNA's {@code Memory} costs a malloc, a map entry and a Cleaner each). Waits here run
     * on platform threads: virtual threads offload them (the public layer), so a virtual thread
     * gets a fresh buffer rather than a thread-local of its own.
     */
    static Memory timespec() {
        return VirtualThreads.isCurrentThreadVirtual() ? new Memory(16) : TIMESPEC.get();
    }
}
