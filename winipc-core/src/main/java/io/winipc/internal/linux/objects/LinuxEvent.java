package io.winipc.internal.linux.objects;

import io.winipc.NamedObjectOptions;
import io.winipc.internal.Deadline;
import io.winipc.internal.InterruptHook;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.OpenMode;

/**
 * An event as one futex word: bit 0 is the state, the upper bits count signals, so a manual-reset
 * waiter that slept through a signal followed at once by a reset still sees that it was released.
 * Beside it a waiter count (see {@link SyncFile}), so that a signal nobody waits for makes no
 * system call.
 */
final class LinuxEvent extends SyncFile implements NativeEvent {
    private final boolean manualReset;

    private LinuxEvent(String what, NamedFiles.Held file, long address) {
        super(what, file, address);
        this.manualReset = region.getInt(OFF_PARAM) == 1;
    }

    static LinuxEvent obtain(String name, OpenMode mode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options) {
        String what = "event '" + name + "'";
        long[] address = new long[1];
        NamedFiles.Held held = obtain("event", KIND_EVENT, name, mode, options, what, (r, base) -> {
            r.putInt(OFF_PARAM, manualReset ? 1 : 0);
            r.setIntVolatile(OFF_STATE, initiallySignalled ? 1 : 0);
        }, address);
        return new LinuxEvent(what, held, address[0]);
    }

    @Override
    public void signal() {
        enter();
        try {
            while (true) {
                int v = word();
                if ((v & 1) != 0) {
                    return;
                }
                int next = (((v >>> 1) + 1) << 1) | 1;
                if (casWord(v, next)) {
                    break;
                }
            }
            // After the CAS, so that a waiter that announced itself before it is seen (see SyncFile).
            wakeIfWaiters(manualReset ? Integer.MAX_VALUE : 1);
        } finally {
            exit();
        }
    }

    @Override
    public void reset() {
        enter();
        try {
            while (true) {
                int v = word();
                if ((v & 1) == 0 || casWord(v, v & ~1)) {
                    return;
                }
            }
        } finally {
            exit();
        }
    }

    @Override
    public boolean await(Deadline deadline) {
        enter();
        try {
            // A signalled event costs a read (manual) or a CAS (auto): no hook, no clock, nothing allocated.
            int v = word();
            if (manualReset) {
                if ((v & 1) != 0) {
                    return true;
                }
            } else {
                while ((v & 1) != 0) {
                    if (casWord(v, v & ~1)) {
                        return true;
                    }
                    v = word();
                }
            }
            checkWaitable();
            if (deadline.hasPassed()) {
                return false;
            }
            InterruptHook hook = InterruptHook.begin(this::wakeForClose);
            boolean released = false;
            try {
                released = manualReset ? awaitManual(v, deadline) : awaitAuto(deadline);
                return released;
            } finally {
                hook.end();
                if (!released && !manualReset && (word() & 1) != 0) {
                    // A signal may have woken this thread, which now leaves without taking it
                    // (timeout, close, interrupt): pass the wake-up on to another waiter.
                    wakeIfWaiters(1);
                }
            }
        } finally {
            exit();
        }
    }

    /** @param v the word as last read, not signalled */
    private boolean awaitManual(int v, Deadline deadline) {
        int signals = v >>> 1;
        while ((v & 1) == 0) {
            checkWaitable();
            long left = deadline.remainingNanos();
            if (left == 0) {
                return false;
            }
            futexWait(v, left);
            v = word();
            if ((v >>> 1) != signals) {
                return true;
            }
        }
        return true;
    }

    private boolean awaitAuto(Deadline deadline) {
        while (true) {
            int v = word();
            if ((v & 1) != 0) {
                if (casWord(v, v & ~1)) {
                    return true;
                }
                continue;
            }
            checkWaitable();
            long left = deadline.remainingNanos();
            if (left == 0) {
                return false;
            }
            futexWait(v, left);
        }
    }

    @Override
    void wakeForClose() {
        futexWake(Integer.MAX_VALUE);
    }
}
