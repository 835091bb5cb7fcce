package io.winipc.channel;

import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NamedHandle;
import io.winipc.internal.Names;
import io.winipc.internal.Platforms;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What both ends of a channel share: the mapped ring, the two events, the in-process lock that
 * serialises this end's callers, the wait strategy (spin, yield, sleep in the OS) and the watch on
 * the peer's life.
 */
final class Endpoint {
    /** The longest one OS-level sleep lasts before close, interrupt and the peer's life are looked at again. */
    private static final long PARK_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often at most a waiting end asks the OS whether the peer's process still lives. */
    static final long PID_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Looks between two rounds of a spinning wait's bookkeeping: some microseconds at most. */
    private static final int SPIN_BURST = 32;

    final String name;
    final Layout layout;
    final NamedHandle handle;
    final ReentrantLock lock = new ReentrantLock();
    private final Resources resources;
    private final long spinNanos;
    private final long yieldNanos;
    private final boolean receiver;
    private long nextPidCheck;
    private @Nullable ProcessHandle peerProcess;

    /** The native objects, released by close or the Cleaner; holds no public object. */
    static final class Resources implements Runnable {
        final SharedMemory shm;
        final Event data;
        final Event space;
        final Layout layout;
        final boolean receiver;

        Resources(SharedMemory shm, Event data, Event space, Layout layout, boolean receiver) {
            this.shm = shm;
            this.data = data;
            this.space = space;
            this.layout = layout;
            this.receiver = receiver;
        }

        @Override
        public void run() {
            try {
                // Tell the peer first, and wake it if it sleeps, so that it learns at once rather than at its next look.
                layout.setInt(receiver ? Layout.RECEIVER_STATE_OFFSET : Layout.SENDER_STATE_OFFSET, Layout.STATE_CLOSED);
                (receiver ? space : data).signal();
            } catch (RuntimeException ignored) {
                // The peer still learns from the state or, failing that, from the pid check.
            } finally {
                // Closing the events ends this end's own sleeping caller with ObjectClosedException.
                data.close();
                space.close();
                shm.close();
            }
        }
    }

    Endpoint(Object owner, String name, Resources resources, ChannelOptions waits) {
        this.name = name;
        this.resources = resources;
        this.layout = resources.layout;
        this.receiver = resources.receiver;
        this.spinNanos = waits.spin().toNanos();
        this.yieldNanos = waits.yield().toNanos();
        this.nextPidCheck = System.nanoTime();
        this.handle = new NamedHandle(owner, receiver ? "channel receiver" : "channel sender", name, resources.shm.scope(),
                resources.shm.created(), resources);
    }

    /** How long an opener waits for a creator that has made the region but not yet written its header. */
    private static final long HEADER_WAIT_NANOS = 1_000_000_000L;

    /**
     * Creates a channel's objects exclusively and writes its header, this end attached.
     *
     * @param receiverSide whether the creator is the receiving end
     */
    static Resources create(String name, ChannelOptions options, boolean receiverSide) {
        Names.validate(name);
        Names.validate(dataEventName(name));
        Objects.requireNonNull(options, "options");
        var objects = options.objects().withExclusive(true);
        Event data = null;
        Event space = null;
        SharedMemory shm = null;
        try {
            data = Event.create(dataEventName(name), EventResetMode.AUTO, false, objects);
            space = Event.create(spaceEventName(name), EventResetMode.AUTO, false, objects);
            shm = SharedMemory.create(name, Layout.regionSize(options.capacity()), objects);
            ByteBuffer view = shm.asByteBuffer();
            view.putLong(receiverSide ? Layout.RECEIVER_PID_OFFSET : Layout.SENDER_PID_OFFSET, currentPid());
            view.putLong(receiverSide ? Layout.RECEIVER_START_OFFSET : Layout.SENDER_START_OFFSET, currentStartStamp());
            view.putInt(receiverSide ? Layout.RECEIVER_STATE_OFFSET : Layout.SENDER_STATE_OFFSET, Layout.STATE_OPEN);
            Layout layout = Layout.initialise(view, options.capacity(), options.maxMessageSize());
            return new Resources(shm, data, space, layout, receiverSide);
        } catch (RuntimeException | Error e) {
            closeAll(e, shm, space, data);
            throw e;
        }
    }

    /**
     * Opens a live channel's objects, checks its header and attaches this end, which must not have
     * been attached before.
     */
    static Resources open(String name, ChannelOptions options, boolean receiverSide) {
        Names.validate(name);
        Names.validate(dataEventName(name));
        Objects.requireNonNull(options, "options");
        var objects = options.objects().withExclusive(false);
        Event data = null;
        Event space = null;
        SharedMemory shm = null;
        try {
            shm = SharedMemory.open(name, objects);
            Layout layout = awaitHeader(name, shm);
            data = Event.open(dataEventName(name), objects);
            space = Event.open(spaceEventName(name), objects);
            int state = receiverSide ? Layout.RECEIVER_STATE_OFFSET : Layout.SENDER_STATE_OFFSET;
            if (!layout.casInt(state, Layout.STATE_NONE, Layout.STATE_ATTACHING)) {
                throw new ObjectExistsException("channel '" + name + "' has or had a " + (receiverSide ? "receiver" : "sender")
                        + "; a channel takes one of each", 0);
            }
            layout.setLong(receiverSide ? Layout.RECEIVER_PID_OFFSET : Layout.SENDER_PID_OFFSET, currentPid());
            layout.setLong(receiverSide ? Layout.RECEIVER_START_OFFSET : Layout.SENDER_START_OFFSET, currentStartStamp());
            layout.setInt(state, Layout.STATE_OPEN);
            return new Resources(shm, data, space, layout, receiverSide);
        } catch (RuntimeException | Error e) {
            closeAll(e, space, data, shm);
            throw e;
        }
    }

    private static void closeAll(Throwable failure, AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
        }
    }

    private static Layout awaitHeader(String name, SharedMemory shm) {
        if (shm.size() > Integer.MAX_VALUE) {
            throw new WinipcException("shared memory '" + name + "' is not a winipc channel: " + shm.size() + " bytes is too large");
        }
        ByteBuffer view = shm.asByteBuffer();
        long until = System.nanoTime() + HEADER_WAIT_NANOS;
        for (;;) {
            Layout layout = Layout.check(name, view, shm.size());
            if (layout != null) {
                return layout;
            }
            if (System.nanoTime() - until > 0) {
                throw new WinipcException("shared memory '" + name + "' has no channel header (magic 0): not a channel, or its creator died");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static String dataEventName(String name) {
        return name + "/data";
    }

    static String spaceEventName(String name) {
        return name + "/space";
    }

    /**
     * A call's deadline that reads the clock only when first needed: a send or receive that waits
     * neither for the lock nor for the peer never reads it (a clock read is a fifth of a small
     * message's cost).
     */
    static final class LazyDeadline {
        private final Duration timeout;
        private @Nullable Deadline deadline;

        LazyDeadline(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative: " + timeout);
            }
            this.timeout = timeout;
        }

        Deadline get() {
            Deadline d = deadline;
            if (d == null) {
                d = Deadline.after(timeout);
                deadline = d;
            }
            return d;
        }
    }

    /** Takes this end's lock within the deadline; false if it passed. */
    boolean lock(LazyDeadline deadline) {
        handle.ensureOpen();
        if (lock.tryLock()) {
            return true;
        }
        try {
            return lock.tryLock(deadline.get().remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("channel '" + name + "': interrupted while another thread of this process used it", 0);
        }
    }

    /**
     * Waits until {@code ready} holds: spins, then yields, then sleeps on this end's event with the
     * "waiting" flag raised so that the peer knows to signal it.
     *
     * @return true once ready, false at the deadline
     * @throws PeerGoneException if the peer is gone and {@code ready} still does not hold
     */
    boolean await(BooleanSupplier ready, LazyDeadline lazyDeadline) {
        if (spinNanos > 0) {
            // Most short waits end within one burst of looks: without a clock read (which costs far
            // more than a look under Wine, and is not free on Linux).
            for (int look = 0; look < SPIN_BURST; look++) {
                Thread.onSpinWait();
                if (ready.getAsBoolean()) {
                    return true;
                }
            }
        }
        // The clock is read only now, when the wait has lasted a burst of looks already.
        Deadline deadline = lazyDeadline.get();
        long start = System.nanoTime();
        long spinEnd = start + spinNanos;
        long yieldEnd = spinEnd + yieldNanos;
        for (;;) {
            if (ready.getAsBoolean()) {
                return true;
            }
            if (handle.isClosed()) {
                throw closed();
            }
            PeerGoneException gone = peerGone();
            if (gone != null) {
                // What the peer completed before it went is still delivered.
                if (ready.getAsBoolean()) {
                    return true;
                }
                throw gone;
            }
            if (deadline.hasPassed()) {
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationCanceledException("channel '" + name + "': the wait was interrupted", 0);
            }
            long now = System.nanoTime();
            if (now - spinEnd < 0) {
                // A burst of bare looks between rounds of the bookkeeping above (three clock reads and
                // the peer's state cost more than a look), so that a spinning end sees a message within
                // a look's time of its publication.
                for (int look = 0; look < SPIN_BURST; look++) {
                    Thread.onSpinWait();
                    if (ready.getAsBoolean()) {
                        return true;
                    }
                }
            } else if (now - yieldEnd < 0) {
                Thread.yield();
            } else {
                sleep(ready, deadline);
            }
        }
    }

    private void sleep(BooleanSupplier ready, Deadline deadline) {
        int flag = receiver ? Layout.RECEIVER_WAITING_OFFSET : Layout.SENDER_WAITING_OFFSET;
        layout.setInt(flag, 1);
        // The peer publishes, then reads the flag; this end raises the flag, then looks: one of the two sees the other.
        if (ready.getAsBoolean()) {
            return;
        }
        long nanos = Math.min(PARK_SLICE_NANOS, deadline.remainingNanos());
        try {
            (receiver ? resources.data : resources.space).await(Duration.ofNanos(nanos));
        } catch (ObjectClosedException e) {
            throw closed();
        }
    }

    /** Wakes the peer if it sleeps (its flag raised), clearing the flag so that the next publish costs no system call. */
    void wakePeer() {
        int flag = receiver ? Layout.SENDER_WAITING_OFFSET : Layout.RECEIVER_WAITING_OFFSET;
        if (layout.getInt(flag) != 0 && layout.getAndSetInt(flag, 0) != 0) {
            try {
                (receiver ? resources.space : resources.data).signal();
            } catch (ObjectClosedException e) {
                throw closed();
            }
        }
    }

    ObjectClosedException closed() {
        return new ObjectClosedException((receiver ? "channel receiver '" : "channel sender '") + name + "' is closed");
    }

    /**
     * @return why the peer is gone, or null while it lives or has not come yet. Reads the peer's
     *     state word every time; asks the OS about its process at most every {@link #PID_CHECK_NANOS}.
     */
    @Nullable PeerGoneException peerGone() {
        int state = layout.getInt(receiver ? Layout.SENDER_STATE_OFFSET : Layout.RECEIVER_STATE_OFFSET);
        String peer = receiver ? "sender" : "receiver";
        if (state == Layout.STATE_CLOSED) {
            return new PeerGoneException("channel '" + name + "': the " + peer + " closed its end", false);
        }
        if (state != Layout.STATE_OPEN) {
            return null;
        }
        long now = System.nanoTime();
        if (now - nextPidCheck < 0) {
            return null;
        }
        nextPidCheck = now + PID_CHECK_NANOS;
        long pid = layout.getLong(receiver ? Layout.SENDER_PID_OFFSET : Layout.RECEIVER_PID_OFFSET);
        long startStamp = layout.getLong(receiver ? Layout.SENDER_START_OFFSET : Layout.RECEIVER_START_OFFSET);
        if (!peerAlive(pid, startStamp)) {
            // Look once more: a peer that closed cleanly a moment ago is not a crash.
            if (layout.getInt(receiver ? Layout.SENDER_STATE_OFFSET : Layout.RECEIVER_STATE_OFFSET) == Layout.STATE_CLOSED) {
                return new PeerGoneException("channel '" + name + "': the " + peer + " closed its end", false);
            }
            return new PeerGoneException("channel '" + name + "': the " + peer + " process (pid " + pid + ") died", true);
        }
        return null;
    }

    /** Let the next {@link #peerGone()} ask the OS at once. */
    void checkPidNow() {
        nextPidCheck = System.nanoTime();
    }

    /**
     * The first look finds the peer's process and checks its start stamp against the header's (a
     * pid reused by a later process has another); later looks ask the same handle, which the JDK
     * also ties to that process, so that an idle end reads one /proc file per look.
     */
    private boolean peerAlive(long pid, long startStamp) {
        if (pid <= 0) {
            return false;
        }
        if (peerProcess == null || peerProcess.pid() != pid) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty()) {
                return false;
            }
            if (startStamp != 0 && !startedAt(process.get(), startStamp)) {
                return false;
            }
            peerProcess = process.get();
        }
        return peerProcess.isAlive();
    }

    /**
     * @return whether the process started when the stamp says, or the stamp cannot be checked. A
     *     stamp is the platform's (see {@link #currentStartStamp()}); one in milliseconds since the
     *     epoch, which an earlier winipc wrote on Linux too, is checked against the JDK's start time.
     */
    private static boolean startedAt(ProcessHandle process, long stamp) {
        long seen = Platforms.get().processStartStamp(process.pid());
        if (seen != 0 && Math.abs(seen - stamp) < 1000) {
            return true;
        }
        Optional<Instant> started = process.info().startInstant();
        if (started.isPresent()) {
            return Math.abs(started.get().toEpochMilli() - stamp) < 1000;
        }
        return seen == 0;
    }

    static long currentPid() {
        return ProcessHandle.current().pid();
    }

    /** @return this process's start stamp, as {@link io.winipc.internal.Platform#processStartStamp} gives it */
    static long currentStartStamp() {
        return Platforms.get().processStartStamp(currentPid());
    }

    void close() {
        handle.close();
    }
}
