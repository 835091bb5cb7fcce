package io.winipc.internal.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.LongByReference;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectExistsException;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.OpenMode;

/**
 * A pagefile-backed section ({@code CreateFileMappingW(INVALID_HANDLE_VALUE, ...)}) mapped whole
 * with {@code MapViewOfFile}. No header: offset 0 is byte 0 for every peer.
 *
 * <p>Size: the creator knows it exactly. An opener asks {@code NtQuerySection(SectionBasicInformation)},
 * whose {@code MaximumSize} is the section's size rounded up to whole pages, not the size the
 * creator declared: Windows keeps no unrounded size for a pagefile-backed section (a 12,345-byte
 * region reads back as 16,384 under Wine 8 too; docs/windows.md). If that call is unavailable it
 * falls back to the mapped view's size ({@code VirtualQuery}), which is page-rounded as well.
 *
 * <p>Close: the section handle is closed at once; the view is unmapped, and nothing else, once
 * {@link io.winipc.internal.MappingLifetime} finds that no access and no view can reach it; the
 * address range is then free again and nothing stays committed. (Re-reserving the range after the unmap,
 * as an earlier version did, left a window in which the range was free, could fail silently once
 * another allocation took it, and kept the whole size committed; Windows' placeholder API would
 * close the window but still leaves a stale view faulting on a reserved range.)
 */
final class WindowsSharedMemory implements NativeSharedMemory {
    /** What using an opened section takes: map read-write, and SECTION_QUERY for NtQuerySection's size. */
    static final int OPEN_ACCESS = Win32.FILE_MAP_READ | Win32.FILE_MAP_WRITE | Win32.SECTION_QUERY;
    private final long handle;
    private final Pointer address;
    private final long size;
    private boolean handleClosed;
    private boolean unmapped;

    private WindowsSharedMemory(long handle, Pointer address, long size) {
        this.handle = handle;
        this.address = address;
        this.size = size;
    }

    static NativeSharedMemory obtain(String objectName, OpenMode mode, long size, NamedObjectOptions options) {
        WString name = new WString(objectName);
        long handle;
        if (mode == OpenMode.OPEN_EXISTING) {
            // What mapping read-write and asking the size take, and READ_CONTROL to read the owner
            // (a C or .NET creator may grant no more).
            String what = "shared memory " + objectName;
            int access = WindowsOwners.openAccess(OPEN_ACCESS, options.ownerTrust());
            long opened = Win32.Kernel32.INSTANCE.OpenFileMappingW(access, false, name);
            if (!Handles.isValid(opened)) {
                int error = Win32.lastError();
                throw WindowsSync.openFailed(what, access, error);
            }
            // Refuse a section another account created at the name first, as for mutexes and on Linux.
            handle = WindowsOwners.requireTrustedOwner(opened, options.ownerTrust(), what);
        } else {
            WindowsSync.Created c = WindowsSecurity.withAttributes(options.access(), WindowsSecurity.Kind.SECTION, sa -> {
                long h = Win32.Kernel32.INSTANCE.CreateFileMappingW(Win32.INVALID_HANDLE_VALUE, sa, Win32.PAGE_READWRITE,
                        (int) (size >>> 32), (int) size, name);
                return new WindowsSync.Created(h, Win32.lastError());
            });
            handle = c.handle();
            if (!Handles.isValid(handle)) {
                if (c.error() == Win32.ERROR_INVALID_HANDLE) {
                    throw new ObjectExistsException("shared memory " + objectName
                            + ": the name is in use by an object of another kind", c.error());
                }
                throw WinErrors.exception("CreateFileMappingW(" + objectName + ", " + size + " bytes)", c.error());
            }
            if (c.error() == Win32.ERROR_ALREADY_EXISTS && mode == OpenMode.CREATE_EXCLUSIVE) {
                Handles.close(handle);
                throw new ObjectExistsException("shared memory " + objectName + " already exists", c.error());
            }
        }
        Pointer view = null;
        try {
            view = Win32.Kernel32.INSTANCE.MapViewOfFile(handle, Win32.FILE_MAP_READ | Win32.FILE_MAP_WRITE, 0, 0, 0);
            if (view == null) {
                int error = Win32.lastError();
                throw WinErrors.exception("MapViewOfFile(" + objectName + ")", error);
            }
            long actual = mode == OpenMode.OPEN_EXISTING ? openerSize(handle, view) : size;
            return new WindowsSharedMemory(handle, view, actual);
        } catch (RuntimeException | Error e) {
            // The size query can fail after the view is mapped: unmap it too, not only the handle.
            if (view != null) {
                Win32.Kernel32.INSTANCE.UnmapViewOfFile(view);
            }
            Handles.close(handle);
            throw e;
        }
    }

    /** @return the section's declared size, or the view's page-rounded size */
    static long openerSize(long handle, Pointer view) {
        Long declared = declaredSize(handle);
        if (declared != null && declared > 0) {
            return declared;
        }
        Memory info = new Memory(48);
        info.clear();
        if (Win32.Kernel32.INSTANCE.VirtualQuery(view, info, info.size()) == 0) {
            int error = Win32.lastError();
            throw WinErrors.exception("VirtualQuery", error);
        }
        return info.getLong(24);
    }

    /** @return MaximumSize from NtQuerySection(SectionBasicInformation), or null if the call failed */
    static Long declaredSize(long handle) {
        try {
            Memory info = new Memory(24);
            info.clear();
            int status = Win32.Ntdll.INSTANCE.NtQuerySection(handle, 0, info, info.size(), new LongByReference());
            return status == 0 ? info.getLong(16) : null;
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** @return the section handle, for tests */
    long handle() {
        return handle;
    }

    @Override
    public long address() {
        return Pointer.nativeValue(address);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized void close() {
        if (handleClosed) {
            return;
        }
        handleClosed = true;
        // The view keeps the section alive (and its name in use) until unmap().
        if (!K32.CloseHandle(handle)) {
            int error = Win32.lastError();
            throw WinErrors.exception("CloseHandle(section)", error);
        }
    }

    @Override
    public synchronized void unmap() {
        if (unmapped) {
            return;
        }
        unmapped = true;
        if (!Win32.Kernel32.INSTANCE.UnmapViewOfFile(address)) {
            int error = Win32.lastError();
            throw WinErrors.exception("UnmapViewOfFile(0x" + Long.toHexString(Pointer.nativeValue(address)) + ")", error);
        }
    }
}
