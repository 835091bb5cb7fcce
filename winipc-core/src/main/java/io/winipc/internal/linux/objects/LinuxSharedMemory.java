package io.winipc.internal.linux.objects;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.NamedObjectOptions;
import io.winipc.WinipcOsException;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.OpenMode;
import io.winipc.internal.linux.Errno;
import io.winipc.internal.linux.LibC;

/** A region in a /dev/shm file, mapped shared; its size is the file's size (no header). */
final class LinuxSharedMemory implements NativeSharedMemory {
    private final NamedFiles.Held file;
    private final long address;
    private final long size;
    private boolean closed;

    private LinuxSharedMemory(NamedFiles.Held file, long address, long size) {
        this.file = file;
        this.address = address;
        this.size = size;
    }

    static LinuxSharedMemory obtain(String name, OpenMode mode, long size, NamedObjectOptions options) {
        String what = "shared memory '" + name + "'";
        String path = NamedFiles.path("shm", name, options);
        NamedFiles.Held held = NamedFiles.acquire(path, mode, options, what, fd -> {
            if (LibC.ftruncate(fd, size) != 0) {
                throw Errno.exception("cannot size " + what + " to " + size + " bytes", Native.getLastError());
            }
        });
        try {
            long actual = held.size();
            if (actual <= 0) {
                throw new WinipcOsException(what + " has size " + actual + " (" + path + "); it cannot be mapped", 0);
            }
            Pointer p = LibC.mmap(null, actual, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, held.fd(), 0);
            if (Pointer.nativeValue(p) == -1L) {
                throw Errno.exception("cannot map " + what + " (" + actual + " bytes)", Native.getLastError());
            }
            return new LinuxSharedMemory(held, Pointer.nativeValue(p), actual);
        } catch (RuntimeException | Error e) {
            NamedFiles.release(held.fd(), held.path());
            throw e;
        }
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Replace the shared pages with private, lazily allocated zero pages at the same address, so
        // a racing accessor or a stale ByteBuffer touches harmless memory instead of faulting.
        Pointer p = LibC.mmap(new Pointer(address), size, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_FIXED | LibC.MAP_NORESERVE, -1, 0);
        if (Pointer.nativeValue(p) != address) {
            // Could not replace it: leave the shared mapping in place rather than risk a crash.
            System.getLogger(LinuxSharedMemory.class.getName()).log(System.Logger.Level.WARNING,
                    "could not detach shared memory at " + file.path() + ": " + Errno.describe(Native.getLastError()));
        }
        NamedFiles.release(file.fd(), file.path());
    }
}
