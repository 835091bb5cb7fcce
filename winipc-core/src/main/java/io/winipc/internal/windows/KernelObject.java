package io.winipc.internal.windows;

import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.internal.Deadline;
import io.winipc.internal.InterruptHook;
import io.winipc.internal.Offload;

/**
 * A waitable named kernel object (mutex, event, semaphore) with a private, unnamed "closed" event.
 * A wait is {@code WaitForMultipleObjects} on the object, the closed event and a cancel event
 * (borrowed from {@link CancelEvents}) that {@link InterruptHook} sets on interrupt; the object comes first, so a wait that is
 * satisfied at the same moment as a close or an interrupt still reports the acquisition (no
 * permit or signal is lost). The handles are closed by the last call to leave, never under a
 * waiting thread. Never a busy loop: the only timeout is the caller's deadline.
 */
abstract class KernelObject implements AutoCloseable {
    private static final int CLOSED_INDEX = 1;
    private static final int CANCEL_INDEX = 2;

    final long handle;
    final String description;
    private final boolean created;
    private final long closedEvent;
    /** Waits left that skip the zero-timeout try, after a try found the object taken. */
    private int triesToSkip;
    private static final int SKIP_AFTER_FAILED_TRY = 16;
    private final Object lock = new Object();
    private int users;
    private boolean closing;
    private boolean handlesClosed;

    /**
     * @param handle the object's handle, owned from now on
     * @param created whether the call that returned the handle created the object
     * @param description what it is, for messages
     */
    KernelObject(long handle, boolean created, String description) {
        this.handle = handle;
        this.created = created;
        this.description = description;
        this.closedEvent = Win32.Kernel32.INSTANCE.CreateEventW(null, true, false, null);
        if (!Handles.isValid(closedEvent)) {
            int error = Win32.lastError();
            Handles.close(handle);
            throw WinErrors.exception("CreateEventW for " + description, error);
        }
    }

    /**
     * @param offload whether a virtual thread may hand the wait to a platform thread (not for a
     *     mutex, which the waiting thread must own)
     * @param tryFirst whether to try a zero-timeout wait before anything else: worth it for a
     *     mutex or semaphore, usually free; not for an event, which a waiter usually finds unsignalled
     * @return WAIT_OBJECT_0, WAIT_ABANDONED_0 or WAIT_TIMEOUT
     */
    final int await(Deadline deadline, boolean offload, boolean tryFirst) {
        enter();
        try {
            boolean zeroTimeout = deadline.hasPassed();
            if (zeroTimeout || tryFirst && !skipTry()) {
                // The object is first in the full wait too, so taking it here when it is free is what
                // that wait would do, interrupt or close notwithstanding.
                int r = K32.WaitForSingleObject(handle, 0);
                if (r == Win32.WAIT_OBJECT_0 || r == Win32.WAIT_ABANDONED_0) {
                    return r;
                }
                if (r == Win32.WAIT_FAILED) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("WaitForSingleObject on " + description, lastError);
                }
                if (!zeroTimeout) {
                    // Contended: the try costs a kernel call on top of the wait; leave it out for a while.
                    triesToSkip = SKIP_AFTER_FAILED_TRY;
                }
                if (deadline.hasPassed() && !Thread.currentThread().isInterrupted()) {
                    return Win32.WAIT_TIMEOUT;
                }
            }
            CancelEvents.Entry cancel = CancelEvents.take();
            try {
                long[] handles = {handle, closedEvent, cancel.handle()};
                Runnable wake = cancel::set;
                int result;
                boolean interrupted;
                InterruptHook hook = InterruptHook.begin(wake);
                try {
                    result = offload ? Offload.run(Offload.waitPool(), () -> waitLoop(handles, deadline), wake)
                            : waitLoop(handles, deadline);
                } catch (OperationCanceledException e) {
                    if (!offload) {
                        throw e;
                    }
                    // The offloaded wait was cancelled before it began; report it like any other cancelled wait.
                    throw new OperationCanceledException("waiting for " + description + " was interrupted", Win32.ERROR_CANCELLED, e);
                } finally {
                    interrupted = hook.end();
                }
                if (result == Win32.WAIT_OBJECT_0 || result == Win32.WAIT_ABANDONED_0 || result == Win32.WAIT_TIMEOUT) {
                    return result;
                }
                if (result == Win32.WAIT_OBJECT_0 + CLOSED_INDEX) {
                    throw new ObjectClosedException(description + " was closed while waiting");
                }
                if (result == Win32.WAIT_OBJECT_0 + CANCEL_INDEX || interrupted) {
                    throw new OperationCanceledException("waiting for " + description + " was interrupted", Win32.ERROR_CANCELLED);
                }
                throw new IllegalStateException("unexpected wait result " + result + " for " + description);
            } finally {
                // After hook.end() and Offload.run() have returned no wake-up can run any more.
                CancelEvents.give(cancel);
            }
        } finally {
            exit();
        }
    }

    /** A hint, read and written without synchronisation: a lost update only costs or saves one try. */
    private boolean skipTry() {
        int n = triesToSkip;
        if (n > 0) {
            triesToSkip = n - 1;
            return true;
        }
        return false;
    }

    private int waitLoop(long[] handles, Deadline deadline) {
        while (true) {
            int millis = deadline.isInfinite() ? Win32.INFINITE : Math.min(deadline.remainingMillisForPoll(), 0x7FFFFFFE);
            int r = K32.WaitForMultipleObjects(handles.length, handles, false, millis);
            if (r == Win32.WAIT_FAILED) {
                int lastError = Win32.lastError();
                throw WinErrors.exception("WaitForMultipleObjects on " + description, lastError);
            }
            if (r == Win32.WAIT_TIMEOUT && !deadline.isInfinite() && !deadline.hasPassed()) {
                continue;
            }
            if (r == Win32.WAIT_TIMEOUT && deadline.isInfinite()) {
                continue;
            }
            return r;
        }
    }

    /** Marks the object in use; throws if it is closed. Pair with {@link #exit()}. */
    final void enter() {
        synchronized (lock) {
            if (closing) {
                throw new ObjectClosedException(description + " is closed");
            }
            users++;
        }
    }

    final void exit() {
        synchronized (lock) {
            users--;
            if (closing && users == 0) {
                closeHandles();
            }
        }
    }

    /** @return whether the call that returned this object's handle created it (else it opened a live one) */
    public boolean created() {
        return created;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            K32.SetEvent(closedEvent);
            if (users == 0) {
                closeHandles();
            }
        }
    }

    private void closeHandles() {
        if (!handlesClosed) {
            handlesClosed = true;
            Handles.close(handle);
            Handles.close(closedEvent);
        }
    }
}
