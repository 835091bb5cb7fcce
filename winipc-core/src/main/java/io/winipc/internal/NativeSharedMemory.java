package io.winipc.internal;

/**
 * A mapped shared-memory region, as a backend provides it: {@link #size()} bytes, readable and
 * writable, starting at {@link #address()}, with no header (offset 0 is the user's byte 0).
 * The public layer does all bounds checking and access on top of these.
 */
public interface NativeSharedMemory extends AutoCloseable {

    /** @return the base address of the mapping in this process */
    long address();

    /** @return the exact size (or, where the OS cannot tell an opener, the page-rounded size) */
    long size();

    /**
     * Lets go of the OS object (the name, the handle or descriptor) at once; the mapping stays
     * valid until {@link #unmap()}. Called once, when the public object is closed.
     */
    @Override
    void close();

    /**
     * Unmaps the range, leaving no address space or commit behind. Called once, and only when
     * nothing can touch the range any more ({@link MappingLifetime}), possibly before or after
     * {@link #close()} has run.
     */
    void unmap();
}
