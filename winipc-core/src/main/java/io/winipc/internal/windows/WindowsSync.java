package io.winipc.internal.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.NativeMutex;
import io.winipc.internal.NativeSemaphore;
import io.winipc.internal.OpenMode;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

/** Named mutexes, events and semaphores: CreateMutexW, CreateEventW, CreateSemaphoreW and their Open* twins. */
final class WindowsSync {
    /** What using an opened mutex takes: waiting and ReleaseMutex take SYNCHRONIZE alone (READ_CONTROL is added to check the owner). */
    static final int MUTEX_OPEN_ACCESS = Win32.SYNCHRONIZE;
    /** What using an opened event or semaphore takes: waiting, and SetEvent/ResetEvent or ReleaseSemaphore. */
    static final int MODIFY_OPEN_ACCESS = Win32.SYNCHRONIZE | Win32.MODIFY_STATE;

    private WindowsSync() {
    }

    /** Creates or opens: the result handle and GetLastError right after the call. */
    record Created(long handle, int error) {
    }

    /** A handle to a live object, and whether the call that returned it created the object. */
    record Obtained(long handle, boolean created) {
    }

    /**
     * @param openAccess what using the object takes; READ_CONTROL is added to read its owner
     * @param open opens the live object with the access it is given
     */
    static Obtained obtain(WindowsSecurity.Kind kind, String objectName, OpenMode mode, NamedObjectOptions options,
            Function<Pointer, Long> create, int openAccess, IntToLongFunction open) {
        String what = kind.name().toLowerCase(java.util.Locale.ROOT) + " " + objectName;
        if (mode == OpenMode.OPEN_EXISTING) {
            int access = WindowsOwners.openAccess(openAccess, options.ownerTrust());
            long h = open.applyAsLong(access);
            if (!Handles.isValid(h)) {
                int error = Win32.lastError();
                throw openFailed(what, access, error);
            }
            // Another account may have created the name first (with a DACL open to all): use its
            // object only if its owner is trusted, as on Linux and for create-or-open below.
            return new Obtained(WindowsOwners.requireTrustedOwner(h, options.ownerTrust(), what), false);
        }
        Created c = WindowsSecurity.withAttributes(options.access(), kind, sa -> {
            long h = create.apply(sa);
            return new Created(h, Win32.lastError());
        });
        if (!Handles.isValid(c.handle())) {
            if (c.error() == Win32.ERROR_INVALID_HANDLE) {
                throw new ObjectExistsException(what + ": the name is in use by an object of another kind", c.error());
            }
            throw WinErrors.exception("creating " + what, c.error());
        }
        if (c.error() == Win32.ERROR_ALREADY_EXISTS) {
            if (mode == OpenMode.CREATE_EXCLUSIVE) {
                Handles.close(c.handle());
                throw new ObjectExistsException(what + " already exists", c.error());
            }
            // Create-or-open found the name live: adopt the object only if its owner is trusted, or
            // another account could pre-create a service's object and hold or signal it at will.
            WindowsOwners.requireTrustedOwner(c.handle(), options.ownerTrust(), "the existing " + what);
        }
        return new Obtained(c.handle(), c.error() != Win32.ERROR_ALREADY_EXISTS);
    }

    /**
     * @param what the object, such as {@code mutex Local\a}
     * @param access what the Open* call asked for
     * @return the exception for an Open* call that failed with {@code error}
     */
    static RuntimeException openFailed(String what, int access, int error) {
        if (error == Win32.ERROR_FILE_NOT_FOUND) {
            return new ObjectNotFoundException(what + " does not exist", error);
        }
        // A creator's DACL that grants what using the object takes but not READ_CONTROL refuses the
        // open: say why winipc asked for more.
        String why = (access & Win32.READ_CONTROL) != 0 ? " (READ_CONTROL included, to check the owner)" : "";
        return WinErrors.exception("opening " + what + " for access 0x" + Integer.toHexString(access) + why, error);
    }

    static NativeMutex mutex(String objectName, OpenMode mode, NamedObjectOptions options) {
        WString name = new WString(objectName);
        Obtained h = obtain(WindowsSecurity.Kind.MUTEX, objectName, mode, options,
                sa -> Win32.Kernel32.INSTANCE.CreateMutexW(sa, false, name),
                MUTEX_OPEN_ACCESS, access -> Win32.Kernel32.INSTANCE.OpenMutexW(access, false, name));
        return new Mutex(h.handle(), h.created(), "mutex " + objectName);
    }

    static NativeEvent event(String objectName, OpenMode mode, boolean manualReset, boolean initiallySignalled,
            NamedObjectOptions options) {
        WString name = new WString(objectName);
        Obtained h = obtain(WindowsSecurity.Kind.EVENT, objectName, mode, options,
                sa -> Win32.Kernel32.INSTANCE.CreateEventW(sa, manualReset, initiallySignalled, name),
                MODIFY_OPEN_ACCESS, access -> Win32.Kernel32.INSTANCE.OpenEventW(access, false, name));
        return new Event(h.handle(), h.created(), "event " + objectName);
    }

    static NativeSemaphore semaphore(String objectName, OpenMode mode, int initialCount, int maximumCount,
            NamedObjectOptions options) {
        WString name = new WString(objectName);
        Obtained h = obtain(WindowsSecurity.Kind.SEMAPHORE, objectName, mode, options,
                sa -> Win32.Kernel32.INSTANCE.CreateSemaphoreW(sa, initialCount, maximumCount, name),
                MODIFY_OPEN_ACCESS, access -> Win32.Kernel32.INSTANCE.OpenSemaphoreW(access, false, name));
        return new Semaphore(h.handle(), h.created(), "semaphore " + objectName);
    }

    /**
     * A Windows mutex is owned by the OS thread that acquired it, so its wait is never offloaded:
     * on a virtual thread it blocks the carrier (the public layer runs mutex calls on a thread of
     * its own for that reason).
     */
    static final class Mutex extends KernelObject implements NativeMutex {
        Mutex(long handle, boolean created, String description) {
            super(handle, created, description);
        }

        @Override
        public LockResult lock(Deadline deadline) {
            int r = await(deadline, false, true);
            return r == Win32.WAIT_OBJECT_0 ? LockResult.ACQUIRED
                    : r == Win32.WAIT_ABANDONED_0 ? LockResult.ACQUIRED_ABANDONED : LockResult.TIMED_OUT;
        }

        @Override
        public void unlock() {
            enter();
            try {
                if (!K32.ReleaseMutex(handle)) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("ReleaseMutex on " + description, lastError);
                }
            } finally {
                exit();
            }
        }
    }

    static final class Event extends KernelObject implements NativeEvent {
        Event(long handle, boolean created, String description) {
            super(handle, created, description);
        }

        @Override
        public void signal() {
            enter();
            try {
                if (!K32.SetEvent(handle)) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("SetEvent on " + description, lastError);
                }
            } finally {
                exit();
            }
        }

        @Override
        public void reset() {
            enter();
            try {
                if (!K32.ResetEvent(handle)) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("ResetEvent on " + description, lastError);
                }
            } finally {
                exit();
            }
        }

        @Override
        public boolean await(Deadline deadline) {
            return await(deadline, true, false) == Win32.WAIT_OBJECT_0;
        }
    }

    static final class Semaphore extends KernelObject implements NativeSemaphore {
        /** Where ReleaseSemaphore puts the previous count: one small native buffer per thread, not one per call. */
        private static final ThreadLocal<Memory> PREVIOUS_COUNT = ThreadLocal.withInitial(() -> new Memory(4));

        Semaphore(long handle, boolean created, String description) {
            super(handle, created, description);
        }

        @Override
        public boolean acquire(Deadline deadline) {
            return await(deadline, true, true) == Win32.WAIT_OBJECT_0;
        }

        @Override
        public int release(int permits) {
            enter();
            try {
                Memory previous = PREVIOUS_COUNT.get();
                if (!K32.ReleaseSemaphore(handle, permits, Pointer.nativeValue(previous))) {
                    int lastError = Win32.lastError();
                    throw WinErrors.exception("ReleaseSemaphore(" + permits + ") on " + description, lastError);
                }
                return previous.getInt(0);
            } finally {
                exit();
            }
        }
    }
}
