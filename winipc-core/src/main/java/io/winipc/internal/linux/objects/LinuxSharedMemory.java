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
    private boolean released;
    private boolean unmapped;

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
        if (released) {
            return;
        }
        released = true;
        // The mapping keeps the pages; the name can go (and be created again) at once.
        NamedFiles.release(file.fd(), file.path());
    }

    @Override
    public synchronized void unmap() {
        if (unmapped) {
            return;
        }
        unmapped = true;
        // MappingLifetime calls this only once nothing can touch the range: unmap it for good (an
        // earlier version mapped private anonymous memory in its place instead, one leaked mapping
        // of the region's size per close).
        if (LibC.munmap(new Pointer(address), size) != 0) {
            throw Errno.exception("cannot unmap shared memory of " + file.path(), Native.getLastError());
        }
    }
}
