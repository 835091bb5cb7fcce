package io.winipc.internal.linux.objects;

import io.winipc.NamedObjectOptions;
import io.winipc.WouldExceedMaximumException;
import io.winipc.internal.Deadline;
import io.winipc.internal.InterruptHook;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.OpenMode;

/**
 * A counting semaphore as one futex word holding the count, and a waiter count beside it (see
 * {@link SyncFile}); the maximum sits in the header.
 */
final class LinuxSemaphore extends SyncFile implements NativeSemaphore {
    private final int maximum;

    private LinuxSemaphore(String what, NamedFiles.Held file, long address) {
        super(what, file, address);
        this.maximum = region.getInt(OFF_PARAM);
    }

    static LinuxSemaphore obtain(String name, OpenMode mode, int initial, int maximum, NamedObjectOptions options) {
        String what = "semaphore '" + name + "'";
        long[] address = new long[1];
        NamedFiles.Held held = obtain("sem", KIND_SEMAPHORE, name, mode, options, what, (r, base) -> {
            r.putInt(OFF_PARAM, maximum);
            r.setIntVolatile(OFF_STATE, initial);
        }, address);
        return new LinuxSemaphore(what, held, address[0]);
    }

    @Override
    public boolean acquire(Deadline deadline) {
        enter();
        try {
            // A free permit costs a CAS: no hook, no clock, nothing allocated.
            int c = word();
            while (c > 0) {
                if (casWord(c, c - 1)) {
                    return true;
                }
                c = word();
            }
            return acquireSlowly(deadline);
        } finally {
            exit();
        }
    }

    private boolean acquireSlowly(Deadline deadline) {
        checkWaitable();
        if (deadline.hasPassed()) {
            return false;
        }
        InterruptHook hook = InterruptHook.begin(this::wakeForClose);
        boolean acquired = false;
        try {
            while (true) {
                int c = word();
                if (c > 0) {
                    if (casWord(c, c - 1)) {
                        acquired = true;
                        return true;
                    }
                    continue;
                }
                checkWaitable();
                long left = deadline.remainingNanos();
                if (left == 0) {
                    return false;
                }
                futexWait(c, left);
            }
        } finally {
            hook.end();
            if (!acquired) {
                // A release may have woken this thread to take a permit it now leaves (timeout,
                // close, interrupt): pass the wake-up on, so that another waiter does not sleep a slice.
                if (word() > 0) {
                    wakeIfWaiters(1);
                }
            }
        }
    }

    @Override
    public int release(int permits) {
        enter();
        try {
            while (true) {
                int c = word();
                if ((long) c + permits > maximum) {
                    throw new WouldExceedMaximumException(what + ": releasing " + permits + " would raise the count " + c
                            + " past its maximum " + maximum, 0);
                }
                if (casWord(c, c + permits)) {
                    // After the CAS, so that a waiter that announced itself before it is seen (see SyncFile).
                    wakeIfWaiters(permits);
                    return c;
                }
            }
        } finally {
            exit();
        }
    }

    @Override
    void wakeForClose() {
        futexWake(Integer.MAX_VALUE);
    }
}
