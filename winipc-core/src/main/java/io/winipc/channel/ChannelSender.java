package io.winipc.channel;

import io.winipc.ObjectNotFoundException;
import io.winipc.OutOfRangeException;
import io.winipc.WinipcException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * The sending end of a channel. Either end may create the channel ({@link #create}) and the
 * other opens it ({@link #open}).
 *
 * <pre>{@code
 * try (ChannelSender out = ChannelSender.open("engine/quotes")) {
 *     out.send(quote);                       // waits while the ring is full
 *     boolean sent = out.offer(quote);       // never waits
 * }
 * }</pre>
 *
 * <p><b>Delivery.</b> A message is either delivered whole or not at all; once {@link #send} or
 * {@link #offer} returned true it is in the ring and the receiver will get it even if this process
 * dies right after. A message costs no system call unless the receiver sleeps.
 *
 * <p><b>Waiting.</b> Only a full ring makes a send wait, as {@link ChannelOptions} describes. An
 * interrupt ends the wait with {@link io.winipc.OperationCanceledException} (interrupt status
 * kept), {@link #close()} from another thread with {@link io.winipc.ObjectClosedException}, a
 * receiver that is gone with {@link PeerGoneException}; a dead receiver is noticed within about 300 ms
 * of its death by a waiting send, and otherwise within the next 16 sends after that.
 *
 * <p><b>Opening.</b> {@link #open} checks everything it finds: the shared memory must belong to
 * the current user (by default) and hold a channel header of this layout version with consistent
 * sizes and positions; anything else is refused with {@link WinipcException}, never trusted. A
 * channel takes one sender in its life: {@link io.winipc.ObjectExistsException} if it already has
 * or had one. {@link #create} makes its objects exclusively, as {@link ChannelReceiver#create} does.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread; this end serialises its
 * callers, so several threads of one process may share a sender.
 */
public final class ChannelSender implements AutoCloseable {
    private final Endpoint end;
    private final Layout layout;
    private final ByteBuffer buffer;
    /** Where the next record goes; only this end writes the tail. */
    private long tail;
    private long headCache;
    private int sends;

    private ChannelSender(String name, Endpoint.Resources resources, ChannelOptions options) {
        this.end = new Endpoint(this, name, resources, options);
        this.layout = resources.layout;
        this.buffer = layout.buffer;
        this.tail = layout.getLong(Layout.TAIL_OFFSET);
        this.headCache = layout.getLong(Layout.HEAD_OFFSET);
    }

    /**
     * Opens a live channel with the default options.
     *
     * @param name the channel's name
     * @return the sending end
     * @throws ObjectNotFoundException if no channel of that name is live
     */
    public static ChannelSender open(String name) {
        return open(name, ChannelOptions.defaults());
    }

    /**
     * Opens a live channel. Of {@code options} only the waiting times and the named-object options
     * count; size and maximum message size are the creator's.
     *
     * @param name the channel's name
     * @param options waiting and named-object options
     * @return the sending end
     * @throws ObjectNotFoundException if no channel of that name is live
     * @throws io.winipc.WinipcAccessDeniedException if its objects belong to another user
     * @throws io.winipc.ObjectExistsException if the channel has or had a sender
     * @throws WinipcException if the shared memory is not a channel this winipc can use
     */
    public static ChannelSender open(String name, ChannelOptions options) {
        return new ChannelSender(name, Endpoint.open(name, options, false), options);
    }

    /**
     * Creates a channel, this end its sender, with the default options; a {@link ChannelReceiver}
     * then {@link ChannelReceiver#open opens} it.
     *
     * @param name a bare name such as {@code engine/orders}
     * @return the sending end
     * @throws io.winipc.ObjectExistsException if the channel, or one of its objects, is live
     */
    public static ChannelSender create(String name) {
        return create(name, ChannelOptions.defaults());
    }

    /**
     * Creates a channel, this end its sender, as {@link ChannelReceiver#create(String, ChannelOptions)} does.
     *
     * @param name a bare name such as {@code engine/orders}
     * @param options size, waiting and named-object options
     * @return the sending end
     * @throws io.winipc.ObjectExistsException if the channel, or one of its objects, is live
     */
    public static ChannelSender create(String name, ChannelOptions options) {
        return new ChannelSender(name, Endpoint.create(name, options, false), options);
    }

    /** @return the channel's name */
    public String name() {
        return end.name;
    }

    /** @return the ring's size in bytes */
    public int capacity() {
        return layout.capacity;
    }

    /** @return the largest message the channel carries, in bytes */
    public int maxMessageSize() {
        return layout.maxMessage;
    }

    /**
     * Puts a message in the ring if it has room, without waiting.
     *
     * @param message the message, 0 to {@link #maxMessageSize()} bytes
     * @return true if it is in the ring, false if the ring was full (the receiver hands room back in
     *     batches of up to a quarter of the ring, or when it finds the ring empty, so an offer may
     *     be refused a little before a waiting {@link #send} would be)
     * @throws OutOfRangeException if the message is larger than {@link #maxMessageSize()}
     * @throws PeerGoneException if the receiver is gone
     */
    public boolean offer(byte[] message) {
        return send(message, 0, message.length, Duration.ZERO);
    }

    /** As {@link #offer(byte[])}, for {@code message[offset, offset + length)}. */
    public boolean offer(byte[] message, int offset, int length) {
        return send(message, offset, length, Duration.ZERO);
    }

    /**
     * Puts the buffer's remaining bytes in the ring as one message if it has room, without
     * waiting, and then advances the buffer's position to its limit.
     *
     * @return true if it is in the ring, false if the ring was full (the buffer is unchanged)
     */
    public boolean offer(ByteBuffer message) {
        return send(message, Duration.ZERO);
    }

    /**
     * Sends a message, waiting as long as it takes for room (until the receiver is gone, an
     * interrupt or {@link #close()}).
     *
     * @param message the message, 0 to {@link #maxMessageSize()} bytes
     * @throws OutOfRangeException if the message is larger than {@link #maxMessageSize()}
     * @throws PeerGoneException if the receiver is gone
     */
    public void send(byte[] message) {
        send(message, 0, message.length, Duration.ofNanos(Long.MAX_VALUE));
    }

    /**
     * Sends a message, waiting up to {@code timeout} for room.
     *
     * @param message the message, 0 to {@link #maxMessageSize()} bytes
     * @param timeout not negative
     * @return true if sent, false if the ring stayed full for {@code timeout}
     * @throws io.winipc.OperationCanceledException if interrupted while waiting (interrupt status kept)
     * @throws io.winipc.ObjectClosedException if this end is closed, before or during the wait
     */
    public boolean send(byte[] message, Duration timeout) {
        return send(message, 0, message.length, timeout);
    }

    /** As {@link #send(byte[], Duration)}, for {@code message[offset, offset + length)}. */
    public boolean send(byte[] message, int offset, int length, Duration timeout) {
        Objects.checkFromIndexSize(offset, length, message.length);
        return send(message, offset, null, length, timeout);
    }

    /** Sends the buffer's remaining bytes as one message, waiting as long as it takes; see {@link #send(byte[])}. */
    public void send(ByteBuffer message) {
        send(message, Duration.ofNanos(Long.MAX_VALUE));
    }

    /**
     * Sends the buffer's remaining bytes as one message, waiting up to {@code timeout} for room,
     * and then advances the buffer's position to its limit.
     *
     * @return true if sent, false if the ring stayed full for {@code timeout} (the buffer is unchanged)
     */
    public boolean send(ByteBuffer message, Duration timeout) {
        if (!send(null, 0, message, message.remaining(), timeout)) {
            return false;
        }
        message.position(message.limit());
        return true;
    }

    /** Sends {@code array[offset, offset + length)}, or if {@code array} is null the {@code length} bytes at {@code src}'s position. */
    private boolean send(byte[] array, int offset, ByteBuffer src, int length, Duration timeout) {
        Endpoint.LazyDeadline deadline = begin(length, timeout);
        if (!end.lock(deadline)) {
            return false;
        }
        try {
            if (!room(length, deadline)) {
                return false;
            }
            int at = padToFit(length);
            // The receiver spins on the header's cache line: fill every other line of the record
            // first and that line last, so it changes hands once rather than once per store.
            int payload = at + Layout.RECORD_HEADER;
            int inHeaderLine = Math.min(length, ((at & ~(Layout.CACHE_LINE - 1)) + Layout.CACHE_LINE) - payload);
            copy(array, offset, src, inHeaderLine, length - inHeaderLine, payload + inHeaderLine);
            clearNextSlot(at, length);
            copy(array, offset, src, 0, inHeaderLine, payload);
            publish(at, length);
            return true;
        } finally {
            end.lock.unlock();
        }
    }

    /**
     * Copies {@code count} bytes, from {@code skip} bytes into the message, to buffer index {@code to}:
     * the message is {@code array} from {@code offset}, or if {@code array} is null {@code src} from its position.
     */
    private void copy(byte[] array, int offset, ByteBuffer src, int skip, int count, int to) {
        if (array != null) {
            buffer.put(to, array, offset + skip, count);
        } else {
            buffer.put(to, src, src.position() + skip, count);
        }
    }

    private Endpoint.LazyDeadline begin(int length, Duration timeout) {
        Endpoint.LazyDeadline deadline = new Endpoint.LazyDeadline(timeout);
        if (length > layout.maxMessage) {
            throw new OutOfRangeException("a message of " + length + " bytes exceeds channel '" + end.name + "''s maximum of "
                    + layout.maxMessage + " bytes");
        }
        return deadline;
    }

    /** Makes sure a record of {@code length} fits before the deadline; throws if the receiver is gone. */
    private boolean room(int length, Endpoint.LazyDeadline deadline) {
        end.handle.ensureOpen();
        // A receiver that closed is seen at once; one that died, on a pid check that every 16th send looks whether it is due
        // (a clock read on every send would cost a fifth of a small message).
        if ((++sends & 15) == 0 || layout.getInt(Layout.RECEIVER_STATE_OFFSET) != Layout.STATE_OPEN) {
            PeerGoneException gone = end.peerGone();
            if (gone != null) {
                throw gone;
            }
        }
        int need = need(length);
        if (fits(need)) {
            return true;
        }
        return end.await(() -> fits(need), deadline);
    }

    /**
     * @return the bytes a record of {@code length} takes at the tail: with the padding before it if
     *     it has to wrap, and the 8 bytes after it that are cleared for the next record
     */
    private int need(int length) {
        int record = Layout.align(length + Layout.RECORD_HEADER);
        int toEnd = layout.capacity - (int) (tail & layout.mask);
        return (record <= toEnd ? record : record + toEnd) + Layout.RECORD_HEADER;
    }

    private boolean fits(int need) {
        if (layout.capacity - (tail - headCache) >= need) {
            return true;
        }
        long head = layout.getLong(Layout.HEAD_OFFSET);
        if (head > tail || head < headCache || (head & 7) != 0) {
            throw new WinipcException("channel '" + end.name + "' is corrupt: head " + head + " against tail " + tail);
        }
        headCache = head;
        return layout.capacity - (tail - head) >= need;
    }

    /**
     * Writes a padding record to the end of the ring first if the record does not fit before it,
     * and returns where the record goes. The record's own header is 0 already: whoever wrote the
     * record before it cleared it.
     */
    private int padToFit(int length) {
        int record = Layout.align(length + Layout.RECORD_HEADER);
        int toEnd = layout.capacity - (int) (tail & layout.mask);
        if (record > toEnd) {
            int at = layout.index(tail);
            // The slot at the ring's start, where the message goes, must read "nothing yet" before the padding points to it.
            buffer.putLong(Layout.HEADER_SIZE, 0);
            layout.setRecordHeader(at, toEnd, Layout.TYPE_PADDING);
            tail += toEnd;
        }
        return layout.index(tail);
    }

    /** Clears the 8 bytes after the record, where the next record's header goes, so that it reads "nothing yet". */
    private void clearNextSlot(int at, int length) {
        buffer.putLong(layout.after(at, Layout.align(length + Layout.RECORD_HEADER)), 0);
    }

    /**
     * Publishes the record with one fenced store of its header, length and type together: the
     * receiver sees the whole record or nothing. Then wakes a sleeping receiver.
     */
    private void publish(int at, int length) {
        int record = length + Layout.RECORD_HEADER;
        layout.setRecordHeader(at, record, Layout.TYPE_MESSAGE);
        tail += Layout.align(record);
        // For openers' checks and for monitoring only: readers follow the records' length words.
        layout.setLongRelease(Layout.TAIL_OFFSET, tail);
        end.wakePeer();
    }

    /** @return false once closed */
    public boolean isOpen() {
        return end.handle.isOpen();
    }

    /**
     * Closes this end: the receiver takes what was sent and then gets {@link PeerGoneException}; a
     * call of this end waiting in another thread ends with {@link io.winipc.ObjectClosedException}.
     * Idempotent and thread-safe.
     */
    @Override
    public void close() {
        end.close();
    }

    @Override
    public String toString() {
        return end.handle.describe("ChannelSender", ", " + layout.capacity + " bytes");
    }
}
