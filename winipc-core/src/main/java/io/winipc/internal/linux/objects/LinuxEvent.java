package io.winipc.internal.linux.objects;

import io.winipc.NamedObjectOptions;
import io.winipc.internal.Deadline;
import io.winipc.internal.InterruptHook;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.OpenMode;

/**
 * An event as one futex word: bit 0 is the state, the upper bits count signals, so a manual-reset
 * waiter that slept through a signal followed at once by a reset still sees that it was released.
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

    private int word() {
        return region.getIntVolatile(OFF_STATE);
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
                if (region.compareAndSetInt(OFF_STATE, v, next)) {
                    break;
                }
            }
            futexWake(manualReset ? Integer.MAX_VALUE : 1);
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
                if ((v & 1) == 0 || region.compareAndSetInt(OFF_STATE, v, v & ~1)) {
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
        InterruptHook hook = InterruptHook.begin(this::wakeForClose);
        try {
            return manualReset ? awaitManual(deadline) : awaitAuto(deadline);
        } finally {
            hook.end();
            exit();
        }
    }

    private boolean awaitManual(Deadline deadline) {
        int v = word();
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
                if (region.compareAndSetInt(OFF_STATE, v, v & ~1)) {
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
