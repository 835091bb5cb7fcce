package io.winipc.channel;

import io.winipc.OutOfRangeException;
import io.winipc.WinipcException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The receiving end of a channel: a bounded queue of whole messages in shared memory that one
 * {@link ChannelSender}, in this or another process, fills. Either end may create the channel
 * ({@link #create}) and the other opens it ({@link #open}).
 *
 * <pre>{@code
 * try (ChannelReceiver in = ChannelReceiver.create("engine/quotes")) {
 *     byte[] message = in.receive(Duration.ofSeconds(5));  // null if none came in time
 * }
 * }</pre>
 *
 * <p><b>Delivery.</b> Messages arrive whole, in the order they were sent, each exactly once. A
 * sender killed in the middle of a message never exposes any of it: only completed messages are
 * delivered. When the sender is gone, closed or dead, the receiver first takes every message it
 * completed and then gets {@link PeerGoneException} ({@link PeerGoneException#peerCrashed()}
 * tells which); a dead sender is noticed within about 300 ms of its death while waiting.
 *
 * <p><b>Waiting.</b> {@link #poll()} never waits; {@link #receive(Duration)} waits as
 * {@link ChannelOptions} describes (spin, yield, then sleep in the OS, so an idle receiver uses no
 * CPU). An interrupt ends a wait with {@link io.winipc.OperationCanceledException} (interrupt
 * status kept); {@link #close()} from another thread ends it with
 * {@link io.winipc.ObjectClosedException}. A virtual thread sleeps without pinning its carrier.
 *
 * <p><b>Names and security.</b> The channel {@code a/b} is the shared memory {@code a/b} and the
 * auto-reset events {@code a/b/data} and {@code a/b/space}, all created exclusively, current user
 * only by default ({@link ChannelOptions#objects()}): {@link #create} fails with
 * {@link io.winipc.ObjectExistsException} if any of them is live. The channel lives as long as
 * either end holds it; one receiver and one sender use it once (a channel whose sender left cannot
 * take another).
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread; this end serialises its
 * callers, so several threads may share one receiver.
 */
public final class ChannelReceiver implements AutoCloseable {
    private final Endpoint end;
    private final Layout layout;
    private final ByteBuffer buffer;
    /** Where the next record starts; only this end writes the head, so the local copy is the truth. */
    private long head;
    /** The head as last stored in the region: consumed records are handed back in batches, as Agrona's ring does. */
    private long publishedHead;
    private final int publishEvery;

    private ChannelReceiver(String name, Endpoint.Resources resources, ChannelOptions options) {
        this.end = new Endpoint(this, name, resources, options);
        this.layout = resources.layout;
        this.buffer = layout.buffer;
        this.head = layout.getLong(Layout.HEAD_OFFSET);
        this.publishedHead = head;
        this.publishEvery = layout.capacity / 4;
    }

    /**
     * Creates a channel with the default options (1 MiB ring, messages up to 64 KiB).
     *
     * @param name a bare name such as {@code engine/quotes}
     * @return the receiving end
     * @throws io.winipc.ObjectExistsException if the channel, or one of its objects, is live
     */
    public static ChannelReceiver create(String name) {
        return create(name, ChannelOptions.defaults());
    }

    /**
     * Creates a channel.
     *
     * @param name a bare name such as {@code engine/quotes}
     * @param options size, waiting and named-object options
     * @return the receiving end
     * @throws io.winipc.ObjectExistsException if the channel, or one of its objects, is live
     */
    public static ChannelReceiver create(String name, ChannelOptions options) {
        return new ChannelReceiver(name, Endpoint.create(name, options, true), options);
    }

    /**
     * Opens, as its receiver, a live channel that a {@link ChannelSender} created, with the
     * default options.
     *
     * @param name the channel's name
     * @return the receiving end
     * @throws io.winipc.ObjectNotFoundException if no channel of that name is live
     * @throws io.winipc.ObjectExistsException if the channel has or had a receiver
     */
    public static ChannelReceiver open(String name) {
        return open(name, ChannelOptions.defaults());
    }

    /**
     * Opens, as its receiver, a live channel that a {@link ChannelSender} created. Of
     * {@code options} only the waiting times and the named-object options count; the sizes are the
     * creator's. The region found is checked as {@link ChannelSender#open(String, ChannelOptions)}
     * describes.
     *
     * @param name the channel's name
     * @param options waiting and named-object options
     * @return the receiving end
     * @throws io.winipc.ObjectNotFoundException if no channel of that name is live
     * @throws io.winipc.ObjectExistsException if the channel has or had a receiver
     * @throws WinipcException if the shared memory is not a channel this winipc can use
     */
    public static ChannelReceiver open(String name, ChannelOptions options) {
        return new ChannelReceiver(name, Endpoint.open(name, options, true), options);
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
     * Takes the next message if one is there, without waiting.
     *
     * @return the message, or null if none is waiting
     * @throws PeerGoneException if none is waiting and the sender is gone
     * @throws io.winipc.ObjectClosedException if this end is closed
     */
    public byte @Nullable [] poll() {
        return receive(Duration.ZERO);
    }

    /**
     * Takes the next message, waiting up to {@code timeout} for one.
     *
     * @param timeout not negative; zero only looks
     * @return the message, or null if none came in time
     * @throws PeerGoneException if the sender is gone and every message it completed was taken
     * @throws io.winipc.OperationCanceledException if interrupted while waiting (interrupt status kept)
     * @throws io.winipc.ObjectClosedException if this end is closed, before or during the wait
     */
    public byte @Nullable [] receive(Duration timeout) {
        Endpoint.LazyDeadline deadline = new Endpoint.LazyDeadline(timeout);
        if (!end.lock(deadline)) {
            return null;
        }
        try {
            int length = next(deadline);
            if (length < 0) {
                return null;
            }
            byte[] message = new byte[length];
            buffer.get(layout.index(head) + Layout.RECORD_HEADER, message, 0, length);
            consume(length);
            return message;
        } finally {
            end.lock.unlock();
        }
    }

    /**
     * Takes the next message, waiting as long as it takes (until the sender is gone, an interrupt
     * or {@link #close()}).
     *
     * @return the message
     * @throws PeerGoneException if the sender is gone and every message it completed was taken
     */
    public byte[] receive() {
        return receive(Duration.ofNanos(Long.MAX_VALUE));
    }

    /**
     * Copies the next message, if one is there, into {@code dst}'s remaining space and advances its
     * position past it; nothing is allocated.
     *
     * @param dst where the message goes
     * @return the message's length, or -1 if none is waiting
     * @throws OutOfRangeException if the message is longer than {@code dst.remaining()}; it stays in
     *     the channel, to be taken with a larger buffer
     * @throws IllegalArgumentException if {@code dst} is read-only
     */
    public int poll(ByteBuffer dst) {
        return receive(dst, Duration.ZERO);
    }

    /**
     * As {@link #poll(ByteBuffer)}, waiting up to {@code timeout} for a message.
     *
     * @param dst where the message goes
     * @param timeout not negative
     * @return the message's length, or -1 if none came in time
     * @throws OutOfRangeException if the message is longer than {@code dst.remaining()}; it stays in the channel
     * @throws PeerGoneException if the sender is gone and every message it completed was taken
     */
    public int receive(ByteBuffer dst, Duration timeout) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("the destination buffer is read-only");
        }
        Endpoint.LazyDeadline deadline = new Endpoint.LazyDeadline(timeout);
        if (!end.lock(deadline)) {
            return -1;
        }
        try {
            int length = next(deadline);
            if (length < 0) {
                return -1;
            }
            if (length > dst.remaining()) {
                throw new OutOfRangeException("channel '" + end.name + "': the next message has " + length + " bytes, more than the "
                        + dst.remaining() + " remaining in the buffer; it stays in the channel");
            }
            dst.put(dst.position(), buffer, layout.index(head) + Layout.RECORD_HEADER, length);
            dst.position(dst.position() + length);
            consume(length);
            return length;
        } finally {
            end.lock.unlock();
        }
    }

    /** @return the next message's length, waiting until the deadline; -1 if none came */
    private int next(Endpoint.LazyDeadline deadline) {
        end.handle.ensureOpen();
        for (;;) {
            int length = peek();
            if (length >= 0) {
                return length;
            }
            // About to wait or report "nothing": hand back every consumed byte first, so that a sender never waits for room that is free.
            handBackBeforeWaiting();
            // A padding record alone makes the ring look non-empty: after skipping it, wait again for the message.
            if (!end.await(() -> available(), deadline)) {
                return -1;
            }
        }
    }

    private boolean available() {
        return layout.getInt(layout.index(head)) != 0;
    }

    /**
     * @return the length of the message at the head, skipping padding; -1 if the ring is empty. A
     *     record is there once its length word is not 0: the sender stores it last.
     */
    private int peek() {
        for (;;) {
            int at = layout.index(head);
            int record = layout.getInt(at);
            if (record == 0) {
                return -1;
            }
            int type = buffer.getInt(at + 4);
            int toEnd = layout.capacity - (int) (head & layout.mask);
            if (type == Layout.TYPE_PADDING) {
                if (record != toEnd) {
                    throw corrupt("padding of " + record + " bytes at position " + head);
                }
                head += toEnd;
                continue;
            }
            if (type != Layout.TYPE_MESSAGE || record < Layout.RECORD_HEADER || record - Layout.RECORD_HEADER > layout.maxMessage
                    || Layout.align(record) > toEnd) {
                throw corrupt("record type " + type + ", length " + record + " at position " + head);
            }
            return record - Layout.RECORD_HEADER;
        }
    }

    /**
     * Frees the record. The head is stored with a fence and the sender woken once a quarter of the
     * ring was consumed or when the sender sleeps waiting for room. When the ring is now empty it is
     * stored without a fence, a plain store on x86, so that a reply this end sends next is not
     * held up; {@link #handBackBeforeWaiting} adds the fence and the wake-up before this end waits.
     */
    private void consume(int length) {
        head += Layout.align(length + Layout.RECORD_HEADER);
        if (head - publishedHead >= publishEvery || layout.getInt(Layout.SENDER_WAITING_OFFSET) != 0) {
            publishHead();
        } else if (!available()) {
            // A sender that went to sleep for room in the instant of this store may miss it until
            // this end next waits or polls, or at worst until its sleep's slice ends (100 ms).
            storeHeadUnfenced();
        }
    }

    /** Stores the head, if it moved, with a release store and no fence. */
    private void storeHeadUnfenced() {
        if (publishedHead != head) {
            layout.setLongRelease(Layout.HEAD_OFFSET, head);
            publishedHead = head;
        }
    }

    private void publishHead() {
        if (publishedHead != head) {
            layout.setLong(Layout.HEAD_OFFSET, head);
            publishedHead = head;
            end.wakePeer();
        }
    }

    /**
     * Stores the head and then, after a full fence, looks whether the sender sleeps waiting for
     * room: a sender raises its flag before it looks at the head, so one of the two sees the other.
     */
    private void handBackBeforeWaiting() {
        storeHeadUnfenced();
        VarHandle.fullFence();
        end.wakePeer();
    }

    private WinipcException corrupt(String what) {
        return new WinipcException("channel '" + end.name + "' is corrupt: " + what);
    }

    /** @return false once closed */
    public boolean isOpen() {
        return end.handle.isOpen();
    }

    /**
     * Closes this end: the sender then gets {@link PeerGoneException}, and a call of this end
     * waiting in another thread ends with {@link io.winipc.ObjectClosedException}. Messages not yet
     * taken are dropped with the channel. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        end.close();
    }

    @Override
    public String toString() {
        return end.handle.describe("ChannelReceiver", ", " + layout.capacity + " bytes");
    }
}
