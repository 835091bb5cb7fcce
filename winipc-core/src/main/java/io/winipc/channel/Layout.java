package io.winipc.channel;

import io.winipc.WinipcException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * The shared layout of a channel (docs/channel.md), over a direct view of the whole region in
 * native byte order. Positions are byte counts since the start that only grow; a record starts at
 * {@code position & (capacity - 1)} in the data area.
 */
final class Layout {
    static final int MAGIC = 0x4E484357; // "WCHN" in little-endian memory
    static final int VERSION = 1;
    static final int HEADER_SIZE = 1024;
    static final int RECORD_HEADER = 8;
    static final int TYPE_MESSAGE = 1;
    static final int TYPE_PADDING = 2;
    /** The unit in which CPUs move memory between cores on every architecture winipc runs on (x86-64, aarch64). */
    static final int CACHE_LINE = 64;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    static final int STATE_NONE = 0;
    static final int STATE_OPEN = 1;
    static final int STATE_CLOSED = 2;
    /** A sender has claimed the channel and is writing its pid; the receiver treats it as not yet there. */
    static final int STATE_ATTACHING = 3;

    // Written once by the creator, read-mostly afterwards.
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int HEADER_SIZE_OFFSET = 8;
    static final int MAX_MESSAGE_OFFSET = 12;
    static final int CAPACITY_OFFSET = 16;
    static final int RECEIVER_STATE_OFFSET = 24;
    static final int SENDER_STATE_OFFSET = 28;
    static final int RECEIVER_PID_OFFSET = 32;
    static final int RECEIVER_START_OFFSET = 40;
    static final int SENDER_PID_OFFSET = 48;
    static final int SENDER_START_OFFSET = 56;
    // Each hot word on its own pair of cache lines (adjacent-line prefetch pulls 128 bytes).
    static final int TAIL_OFFSET = 128;
    static final int HEAD_OFFSET = 256;
    static final int RECEIVER_WAITING_OFFSET = 384;
    static final int SENDER_WAITING_OFFSET = 512;

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    final ByteBuffer buffer;
    final int capacity;
    final int mask;
    final int maxMessage;

    private Layout(ByteBuffer buffer, int capacity, int maxMessage) {
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxMessage = maxMessage;
    }

    static long regionSize(int capacity) {
        return (long) HEADER_SIZE + capacity;
    }

    static int align(int recordLength) {
        return (recordLength + 7) & ~7;
    }

    /** Writes the header of a new, zero-filled region; the magic last, so an opener never trusts a half-made header. */
    static Layout initialise(ByteBuffer buffer, int capacity, int maxMessage) {
        Layout l = new Layout(buffer, capacity, maxMessage);
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putInt(HEADER_SIZE_OFFSET, HEADER_SIZE);
        buffer.putInt(MAX_MESSAGE_OFFSET, maxMessage);
        buffer.putLong(CAPACITY_OFFSET, capacity);
        l.setInt(MAGIC_OFFSET, MAGIC);
        return l;
    }

    /**
     * Checks a header found in an existing region exactly, trusting nothing in it.
     *
     * @return the layout, or null if the header is not written yet (magic still 0)
     * @throws WinipcException if the region is not a channel of this version or is inconsistent
     */
    static @Nullable Layout check(String name, ByteBuffer buffer, long regionSize) {
        if (regionSize < HEADER_SIZE + ChannelOptions.MIN_CAPACITY) {
            throw new WinipcException("shared memory '" + name + "' is not a winipc channel: " + regionSize + " bytes is too small");
        }
        int magic = (int) INTS.getVolatile(buffer, MAGIC_OFFSET);
        if (magic == 0) {
            return null;
        }
        if (magic != MAGIC) {
            throw new WinipcException("shared memory '" + name + "' is not a winipc channel (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int version = buffer.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new WinipcException("channel '" + name + "' has layout version " + version + "; this winipc reads version " + VERSION);
        }
        int headerSize = buffer.getInt(HEADER_SIZE_OFFSET);
        long capacity = buffer.getLong(CAPACITY_OFFSET);
        int maxMessage = buffer.getInt(MAX_MESSAGE_OFFSET);
        // Windows rounds a section up to whole pages, so an opener may see more than the creator asked for.
        boolean sane = headerSize == HEADER_SIZE
                && capacity >= ChannelOptions.MIN_CAPACITY && capacity <= ChannelOptions.MAX_CAPACITY && Long.bitCount(capacity) == 1
                && regionSize >= HEADER_SIZE + capacity && regionSize - (HEADER_SIZE + capacity) < 65536
                && maxMessage >= 1 && maxMessage <= capacity / 2 - 8;
        if (!sane) {
            throw new WinipcException("channel '" + name + "' has a corrupt header (header size " + headerSize + ", capacity " + capacity
                    + ", max message " + maxMessage + ", region " + regionSize + " bytes)");
        }
        Layout l = new Layout(buffer, (int) capacity, maxMessage);
        long head = l.getLong(HEAD_OFFSET);
        long tail = l.getLong(TAIL_OFFSET);
        if (head < 0 || tail < head || tail - head > capacity || (head & 7) != 0 || (tail & 7) != 0) {
            throw new WinipcException("channel '" + name + "' has corrupt positions (head " + head + ", tail " + tail + ")");
        }
        return l;
    }

    int getInt(int offset) {
        return (int) INTS.getVolatile(buffer, offset);
    }

    void setInt(int offset, int value) {
        INTS.setVolatile(buffer, offset, value);
    }

    boolean casInt(int offset, int expected, int value) {
        return INTS.compareAndSet(buffer, offset, expected, value);
    }

    int getAndSetInt(int offset, int value) {
        return (int) INTS.getAndSet(buffer, offset, value);
    }

    long getLong(int offset) {
        return (long) LONGS.getVolatile(buffer, offset);
    }

    long getLongAcquire(int offset) {
        return (long) LONGS.getAcquire(buffer, offset);
    }

    void setLong(int offset, long value) {
        LONGS.setVolatile(buffer, offset, value);
    }

    void setLongRelease(int offset, long value) {
        LONGS.setRelease(buffer, offset, value);
    }

    void setIntRelease(int offset, int value) {
        INTS.setRelease(buffer, offset, value);
    }

    /**
     * Stores a record's header, its length word and its type word, as one fenced 8-byte store (the
     * record's commit; fenced so that the waiting flag read after it sees a receiver that went to sleep).
     */
    void setRecordHeader(int at, int length, int type) {
        long word = LITTLE_ENDIAN ? ((long) type << 32) | (length & 0xFFFF_FFFFL) : ((long) length << 32) | (type & 0xFFFF_FFFFL);
        LONGS.setVolatile(buffer, at, word);
    }

    /** @return the buffer index of the record slot that follows a record of {@code size} bytes at buffer index {@code at} */
    int after(int at, int size) {
        return HEADER_SIZE + ((at - HEADER_SIZE + size) & mask);
    }

    /** @return the buffer index of a record at {@code position} */
    int index(long position) {
        return HEADER_SIZE + (int) (position & mask);
    }
}
