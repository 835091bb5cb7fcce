package io.winipc.internal.windows;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Manual-reset events that cancel a kernel-object wait when its thread is interrupted, lent out
 * one per waiting call and taken back afterwards, so that a wait costs no CreateEvent/CloseHandle.
 * At most {@link #MAX_IDLE} idle events are kept (one per thread that waited at the same time,
 * up to that bound); more are closed when given back, so the process holds a bounded number of
 * these handles whatever the number of threads. An event is reset only if a wake-up set it, which
 * is rare (an interrupt), so the common wait makes no extra kernel call at all.
 */
final class CancelEvents {
    static final int MAX_IDLE = 64;

    private static final ConcurrentLinkedDeque<Entry> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

    private CancelEvents() {
    }

    /** One event; owned by one wait between {@link #take()} and {@link #give(Entry)}. */
    static final class Entry {
        private final long handle;
        /** Set by a wake-up (on the interrupting thread), so that the next user resets the event. */
        private volatile boolean signalled;

        private Entry(long handle) {
            this.handle = handle;
        }

        long handle() {
            return handle;
        }

        /** The wake-up action: makes the wait that holds this event return. */
        void set() {
            signalled = true;
            K32.SetEvent(handle);
        }
    }

    /** @return an unsignalled event for one wait */
    static Entry take() {
        Entry e = IDLE.pollFirst();
        if (e == null) {
            long h = K32.CreateEventW(0, true, false, 0);
            if (!Handles.isValid(h)) {
                int lastError = Win32.lastError();
                throw WinErrors.exception("CreateEventW (cancel event)", lastError);
            }
            return new Entry(h);
        }
        IDLE_COUNT.decrementAndGet();
        if (e.signalled) {
            e.signalled = false;
            if (!K32.ResetEvent(e.handle)) {
                int error = Win32.lastError();
                Handles.close(e.handle);
                throw WinErrors.exception("ResetEvent (cancel event)", error);
            }
        }
        return e;
    }

    /** Takes an event back once no wake-up can set it any more. */
    static void give(Entry e) {
        if (IDLE_COUNT.incrementAndGet() <= MAX_IDLE) {
            IDLE.offerFirst(e);
        } else {
            IDLE_COUNT.decrementAndGet();
            Handles.close(e.handle);
        }
    }
}
