package io.winipc.internal;

import com.sun.jna.Pointer;
import io.winipc.OutOfRangeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Bounds-checked access to a mapped range of memory, in native byte order. The range is covered
 * by direct ByteBuffers of at most 1 GiB each ({@link #CHUNK_SIZE}); since the mapping is page
 * aligned and a chunk is a multiple of 8 bytes, an aligned int or long never straddles two chunks.
 * Atomic operations use ByteBuffer view VarHandles, which the JDK supports on direct buffers for
 * aligned indexes. Shared by every backend: a backend supplies only address and size.
 */
public final class MappedRegion {
    /** The largest ByteBuffer a region is cut into. */
    public static final int CHUNK_SIZE = 1 << 30;
    private static final int CHUNK_SHIFT = 30;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ORDER);
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ORDER);

    private final long address;
    private final long size;
    private final ByteBuffer[] chunks;

    /**
     * @param address base address, page aligned
     * @param size bytes mapped, at least 1
     */
    public MappedRegion(long address, long size) {
        this.address = address;
        this.size = size;
        int count = (int) ((size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT);
        chunks = new ByteBuffer[count];
        Pointer base = new Pointer(address);
        for (int i = 0; i < count; i++) {
            long start = (long) i << CHUNK_SHIFT;
            int length = (int) Math.min(CHUNK_SIZE, size - start);
            chunks[i] = base.getByteBuffer(start, length).order(ORDER);
        }
    }

    /** @return the size in bytes */
    public long size() {
        return size;
    }

    /** @return the base address */
    public long address() {
        return address;
    }

    /** Checks that [offset, offset + length) lies inside the region. */
    public void checkRange(long offset, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        if (offset < 0 || offset > size || length > size - offset) {
            throw new OutOfRangeException("range [" + offset + ", " + offset + "+" + length + ") is outside the region of "
                    + size + " bytes");
        }
    }

    private void checkAligned(long offset, int width) {
        checkRange(offset, width);
        if ((offset & (width - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not aligned to " + width + " bytes, as atomic access requires");
        }
    }

    private ByteBuffer chunk(long offset) {
        return chunks[(int) (offset >>> CHUNK_SHIFT)];
    }

    private static int index(long offset) {
        return (int) (offset & (CHUNK_SIZE - 1));
    }

    /** Copies {@code len} bytes at {@code offset} into {@code dst[off..]}. */
    public void read(long offset, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        checkRange(offset, len);
        while (len > 0) {
            ByteBuffer c = chunk(offset);
            int i = index(offset);
            int n = Math.min(len, c.capacity() - i);
            c.get(i, dst, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code src[off..off+len)} to {@code offset}. */
    public void write(long offset, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        checkRange(offset, len);
        while (len > 0) {
            ByteBuffer c = chunk(offset);
            int i = index(offset);
            int n = Math.min(len, c.capacity() - i);
            c.put(i, src, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    /** Fills {@code dst}'s remaining bytes from {@code offset}, advancing its position. */
    public void read(long offset, ByteBuffer dst) {
        int len = dst.remaining();
        checkRange(offset, len);
        while (len > 0) {
            ByteBuffer c = chunk(offset);
            int i = index(offset);
            int n = Math.min(len, c.capacity() - i);
            dst.put(dst.position(), c, i, n);
            dst.position(dst.position() + n);
            offset += n;
            len -= n;
        }
    }

    /** Copies {@code src}'s remaining bytes to {@code offset}, advancing its position. */
    public void write(long offset, ByteBuffer src) {
        int len = src.remaining();
        checkRange(offset, len);
        while (len > 0) {
            ByteBuffer c = chunk(offset);
            int i = index(offset);
            int n = Math.min(len, c.capacity() - i);
            c.put(i, src, src.position(), n);
            src.position(src.position() + n);
            offset += n;
            len -= n;
        }
    }

    /** @return a new direct buffer over [offset, offset + length), native byte order, position 0 */
    public ByteBuffer slice(long offset, int length) {
        checkRange(offset, length);
        return new Pointer(address).getByteBuffer(offset, length).order(ORDER);
    }

    public int getInt(long offset) {
        checkRange(offset, 4);
        int i = index(offset);
        ByteBuffer c = chunk(offset);
        if (i <= c.capacity() - 4) {
            return c.getInt(i);
        }
        byte[] b = new byte[4];
        read(offset, b, 0, 4);
        return ByteBuffer.wrap(b).order(ORDER).getInt();
    }

    public void putInt(long offset, int value) {
        checkRange(offset, 4);
        int i = index(offset);
        ByteBuffer c = chunk(offset);
        if (i <= c.capacity() - 4) {
            c.putInt(i, value);
            return;
        }
        write(offset, ByteBuffer.allocate(4).order(ORDER).putInt(0, value).array(), 0, 4);
    }

    public long getLong(long offset) {
        checkRange(offset, 8);
        int i = index(offset);
        ByteBuffer c = chunk(offset);
        if (i <= c.capacity() - 8) {
            return c.getLong(i);
        }
        byte[] b = new byte[8];
        read(offset, b, 0, 8);
        return ByteBuffer.wrap(b).order(ORDER).getLong();
    }

    public void putLong(long offset, long value) {
        checkRange(offset, 8);
        int i = index(offset);
        ByteBuffer c = chunk(offset);
        if (i <= c.capacity() - 8) {
            c.putLong(i, value);
            return;
        }
        write(offset, ByteBuffer.allocate(8).order(ORDER).putLong(0, value).array(), 0, 8);
    }

    public int getIntVolatile(long offset) {
        checkAligned(offset, 4);
        return (int) INTS.getVolatile(chunk(offset), index(offset));
    }

    public void setIntVolatile(long offset, int value) {
        checkAligned(offset, 4);
        INTS.setVolatile(chunk(offset), index(offset), value);
    }

    public boolean compareAndSetInt(long offset, int expected, int value) {
        checkAligned(offset, 4);
        return INTS.compareAndSet(chunk(offset), index(offset), expected, value);
    }

    public int getAndAddInt(long offset, int delta) {
        checkAligned(offset, 4);
        return (int) INTS.getAndAdd(chunk(offset), index(offset), delta);
    }

    public long getLongVolatile(long offset) {
        checkAligned(offset, 8);
        return (long) LONGS.getVolatile(chunk(offset), index(offset));
    }

    public void setLongVolatile(long offset, long value) {
        checkAligned(offset, 8);
        LONGS.setVolatile(chunk(offset), index(offset), value);
    }

    public boolean compareAndSetLong(long offset, long expected, long value) {
        checkAligned(offset, 8);
        return LONGS.compareAndSet(chunk(offset), index(offset), expected, value);
    }

    public long getAndAddLong(long offset, long delta) {
        checkAligned(offset, 8);
        return (long) LONGS.getAndAdd(chunk(offset), index(offset), delta);
    }
}
