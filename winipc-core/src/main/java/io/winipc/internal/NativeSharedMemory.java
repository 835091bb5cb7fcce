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
     * Releases the OS object and the mapping. Must leave the address range safe to touch (for
     * example remapped as private anonymous memory) so that a racing accessor or a stale
     * ByteBuffer view cannot crash the JVM. Idempotent.
     */
    @Override
    void close();
}
