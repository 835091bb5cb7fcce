package io.winipc.internal.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.BrokenPipeException;
import io.winipc.OutOfRangeException;
import io.winipc.PeerCredentials;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

/**
 * One end of a pipe connection over a Unix domain stream socket. Message mode frames each message
 * as Python's {@code multiprocessing.connection} does: a 4-byte big-endian signed length and the
 * payload, or -1 and an 8-byte big-endian length for payloads over 2^31-1 bytes (read, never
 * written: a Java array is never that large).
 */
final class LinuxPipe implements NativePipe {
    /** The first size of a staging buffer. */
    private static final int CHUNK = 64 * 1024;
    /**
     * How far a staging buffer grows for callers that pass larger arrays: one copy and one system
     * call then move up to this much, instead of a 64 KiB piece at a time.
     */
    private static final int MAX_STAGING = 1024 * 1024;
    private static final int HEADER = 4;
    /** How many bytes a direct-buffer message read asks for with the header (see readMessage). */
    private static final int HEADER_AHEAD = 16 * 1024;
    /** Direct-buffer messages up to this size are copied into the staging buffer behind their header and sent in one call. */
    private static final int SMALL_MESSAGE = CHUNK - HEADER;
    /** struct msghdr on LP64 Linux (x86_64, aarch64): 56 bytes, msg_iov at 16, msg_iovlen at 24; struct iovec: 16. */
    private static final int MSGHDR_SIZE = 56;
    private static final int MSGHDR_IOV = 16;
    private static final int MSGHDR_IOVLEN = 24;
    private static final int IOVEC_SIZE = 16;
    /**
     * A write of at least this size grows the socket's send buffer (once per connection). The
     * kernel's default (net.core.wmem_default, 208 KiB on common systems) holds less than one such
     * write, so sender and reader take turns sleeping instead of copying at the same time.
     */
    private static final int LARGE_WRITE = 256 * 1024;
    /** The send buffer then asked for; the kernel caps it at net.core.wmem_max and doubles it for its bookkeeping. */
    private static final int LARGE_SEND_BUFFER = 1024 * 1024;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final UnixSocket socket;
    private final PeerCredentials peer;
    /**
     * Native staging buffers; one per direction, since a reader and a writer may run at once.
     * Each is used by one thread at a time (PipeConnection serializes readers and writers).
     */
    private Memory readBuffer;
    private Memory writeBuffer;
    /** The staging buffers as ByteBuffers, for native-to-native copies to and from direct buffers. */
    private ByteBuffer readView;
    private ByteBuffer writeView;
    /** A reader's header bytes (readers are serialized). */
    private final byte[] headerBytes = new byte[8];
    /** A struct msghdr and two iovecs for {@link #sendFrame}, made on first use (writers are serialized). */
    private Memory messageHeader;
    private final AddressCache readTarget = new AddressCache();
    private final AddressCache writeSource = new AddressCache();
    /** Bytes the current write has sent so far (writers are serialized). */
    private int sent;
    /** Whether a large write has grown the send buffer already (writers are serialized). */
    private boolean sendBufferGrown;
    /**
     * Message mode reads ahead: bytes received beyond the message being read (usually the next
     * header, often a whole next message) wait in readBuffer at [aheadStart, aheadStart + ahead).
     */
    private int aheadStart;
    private int ahead;

    LinuxPipe(UnixSocket socket, PeerCredentials peer) {
        this.socket = socket;
        this.peer = peer;
    }

    static PeerCredentials peerCredentials(int fd) {
        int[] ucred = new int[3];
        int[] length = {12};
        if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PEERCRED, ucred, length) != 0) {
            throw Errno.exception("getsockopt(SO_PEERCRED)", LibC.errno());
        }
        return new PeerCredentials(ucred[0], OptionalInt.of(ucred[1]), OptionalInt.of(ucred[2]));
    }

    @Override
    public PeerCredentials peer() {
        return peer;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Deadline deadline) {
        socket.enter();
        try {
            if (ahead > 0) {
                return takeAhead(buffer, offset, length);
            }
            Memory staging = readBuffer(length);
            int n = receive(Pointer.nativeValue(staging), (int) Math.min(length, staging.size()), deadline, "read");
            if (n > 0) {
                staging.read(0, buffer, offset, n);
                return n;
            }
            return -1;
        } finally {
            socket.exit();
        }
    }

    @Override
    public int read(ByteBuffer dst, Deadline deadline) {
        if (!dst.isDirect()) {
            return NativePipe.super.read(dst, deadline);
        }
        socket.enter();
        try {
            int position = dst.position();
            int length = dst.limit() - position;
            int n = ahead > 0 ? takeAhead(dst, position, length)
                    : receive(readTarget.of(dst) + position, length, deadline, "read");
            if (n > 0) {
                dst.position(position + n);
                return n;
            }
            return -1;
        } finally {
            Reference.reachabilityFence(dst);
            socket.exit();
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length, Deadline deadline) {
        socket.enter();
        try {
            sendAll(buffer, offset, length, deadline);
        } finally {
            socket.exit();
        }
    }

    @Override
    public void write(ByteBuffer src, Deadline deadline) {
        if (!src.isDirect()) {
            NativePipe.super.write(src, deadline);
            return;
        }
        socket.enter();
        int position = src.position();
        sent = 0;
        try {
            send(writeSource.of(src) + position, src.limit() - position, deadline);
        } finally {
            // Also after a failure (a timeout, say), the position tells how much went out.
            src.position(position + sent);
            socket.exit();
        }
    }

    @Override
    public byte[] readMessage(int maxMessageSize, Deadline deadline) {
        socket.enter();
        try {
            long size = readHeader(maxMessageSize, readBuffer == null ? CHUNK : (int) readBuffer.size(), deadline);
            if (size < 0) {
                return null;
            }
            byte[] message = new byte[(int) size];
            readFully(message, 0, message.length, Integer.MAX_VALUE, deadline, false);
            return message;
        } finally {
            socket.exit();
        }
    }

    @Override
    public int readMessage(ByteBuffer dst, int limit, Deadline deadline) {
        if (!dst.isDirect()) {
            return NativePipe.super.readMessage(dst, limit, deadline);
        }
        socket.enter();
        try {
            // A small read-ahead with the header: a small message then arrives with it in one recv, and
            // of a large one little is copied, since the rest goes straight into the caller's buffer.
            long size = readHeader(limit, HEADER_AHEAD, deadline);
            if (size < 0) {
                return -1;
            }
            int length = (int) size;
            int position = dst.position();
            int done = ahead > 0 ? takeAhead(dst, position, length) : 0;
            long address = readTarget.of(dst) + position;
            while (done < length) {
                // Exactly what is missing: never past the message's end into the caller's buffer.
                int n = receive(address + done, length - done, deadline, "readMessage");
                if (n <= 0) {
                    throw endedInside(done, length, "message");
                }
                done += n;
            }
            dst.position(position + length);
            return length;
        } finally {
            Reference.reachabilityFence(dst);
            socket.exit();
        }
    }

    @Override
    public void writeMessage(byte[] buffer, int offset, int length, Deadline deadline) {
        socket.enter();
        try {
            long frame = (long) HEADER + length;
            Memory staging = writeBuffer(frame);
            staging.setInt(0, bigEndian(length));
            if (frame <= staging.size()) {
                // One copy and one send for a message that fits: no partial frame in flight, one system call.
                staging.write(HEADER, buffer, offset, length);
                sendStaged((int) frame, deadline);
            } else {
                sendStaged(HEADER, deadline);
                sendAll(buffer, offset, length, deadline);
            }
        } finally {
            socket.exit();
        }
    }

    @Override
    public void writeMessage(ByteBuffer src, Deadline deadline) {
        if (!src.isDirect()) {
            NativePipe.super.writeMessage(src, deadline);
            return;
        }
        socket.enter();
        try {
            int position = src.position();
            int length = src.limit() - position;
            Memory staging = writeBuffer(HEADER);
            staging.setInt(0, bigEndian(length));
            if (length <= SMALL_MESSAGE) {
                // A small message costs more in system calls than in copying: one copy, one send.
                writeView.put(HEADER, src, position, length);
                sendStaged(HEADER + length, deadline);
            } else {
                sendFrame(length, writeSource.of(src) + position, deadline);
            }
            src.position(position + length);
        } finally {
            Reference.reachabilityFence(src);
            socket.exit();
        }
    }

    private static int bigEndian(int value) {
        return LITTLE_ENDIAN ? Integer.reverseBytes(value) : value;
    }

    /**
     * Reads a message header (the 4-byte length, or -1 and the 8-byte length).
     *
     * @param limit a larger message is refused: the connection is closed and OutOfRangeException thrown
     * @param readAhead how many bytes one recv may ask for, header included
     * @return the message's length, or -1 at a clean end of stream before the header
     */
    private long readHeader(int limit, int readAhead, Deadline deadline) {
        byte[] header = headerBytes;
        if (!readFully(header, 0, HEADER, readAhead, deadline, true)) {
            return -1;
        }
        long size = ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        size = (int) size;
        if (size == -1) {
            readFully(header, 0, 8, readAhead, deadline, false);
            size = 0;
            for (byte b : header) {
                size = (size << 8) | (b & 0xff);
            }
            if (size < 0) {
                throw protocolError("a message length beyond 2^63");
            }
        } else if (size < 0) {
            throw protocolError("a negative message length (" + size + ")");
        }
        if (size > limit) {
            socket.close();
            throw new OutOfRangeException("the peer sent a message of " + size + " bytes on " + socket.description()
                    + "; the limit is " + limit + " bytes, so the connection was closed");
        }
        return size;
    }

    private BrokenPipeException protocolError(String what) {
        socket.close();
        return new BrokenPipeException("the peer sent " + what + " on " + socket.description()
                + ", which is not a valid message header; the connection was closed", 0);
    }

    private BrokenPipeException endedInside(int done, int length, String what) {
        return new BrokenPipeException("the peer of " + socket.description() + " closed the connection inside a message ("
                + done + " of " + length + " bytes of a " + what + " received)", LibC.EPIPE);
    }

    /**
     * @param readAhead how many bytes one recv may ask for: beyond {@code length}, what arrives
     *     stays ahead for the next call
     * @param eofAllowed whether a clean end of stream before the first byte is acceptable
     * @return false at a clean end of stream before the first byte (only if allowed)
     */
    private boolean readFully(byte[] out, int offset, int length, int readAhead, Deadline deadline, boolean eofAllowed) {
        int done = ahead > 0 ? takeAhead(out, offset, length) : 0;
        if (done == length) {
            return true;
        }
        // Nothing is ahead now, so the buffer may be replaced by a larger one.
        Memory staging = readBuffer(length - done);
        long address = Pointer.nativeValue(staging);
        while (done < length) {
            // Ask for more than is missing: what comes beyond this message stays ahead for the next
            // call, which then needs no system call for its header.
            int ask = (int) Math.min(staging.size(), Math.max(readAhead, length - done));
            int n = receive(address, ask, deadline, "readMessage");
            if (n <= 0) {
                if (done == 0 && eofAllowed) {
                    return false;
                }
                throw endedInside(done, length, eofAllowed ? "header" : "message part");
            }
            int used = Math.min(n, length - done);
            staging.read(0, out, offset + done, used);
            done += used;
            if (used < n) {
                aheadStart = used;
                ahead = n - used;
            }
        }
        return true;
    }

    /** Moves up to {@code length} bytes that were read ahead into {@code out}; @return how many */
    private int takeAhead(byte[] out, int offset, int length) {
        int n = Math.min(ahead, length);
        readBuffer.read(aheadStart, out, offset, n);
        aheadStart += n;
        ahead -= n;
        return n;
    }

    /** Copies up to {@code length} bytes that were read ahead into {@code dst} at {@code index}; @return how many */
    private int takeAhead(ByteBuffer dst, int index, int length) {
        int n = Math.min(ahead, length);
        dst.put(index, readView, aheadStart, n);
        aheadStart += n;
        ahead -= n;
        return n;
    }

    /** @return bytes received into {@code address}, or 0 at end of stream */
    private int receive(long address, int length, Deadline deadline, String operation) {
        boolean block = UnixSocket.mayBlock(deadline);
        while (true) {
            long n = block ? socket.recvBlocking(address, length, operation)
                    : LibC.recv(socket.fd(), address, length, LibC.MSG_DONTWAIT);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                // A shutdown by our own close() also reads as end of stream; report it as the close it is.
                if (!socket.isOpen()) {
                    throw socket.closedException();
                }
                return 0;
            }
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN) {
                socket.await(LibC.POLLIN, deadline, operation);
            } else if (errno == LibC.EINTR) {
                continue;
            } else if (errno == LibC.ECONNRESET) {
                // The peer closed with data of ours unread: for a reader that is the end of the stream.
                return 0;
            } else if (!socket.isOpen()) {
                throw socket.closedException();
            } else {
                throw Errno.exception(operation + " on " + socket.description(), errno);
            }
        }
    }

    private void sendAll(byte[] buffer, int offset, int length, Deadline deadline) {
        Memory staging = writeBuffer(length);
        int done = 0;
        while (done < length) {
            int chunk = (int) Math.min(length - done, staging.size());
            staging.write(0, buffer, offset + done, chunk);
            sendStaged(chunk, deadline);
            done += chunk;
        }
    }

    /** Sends the first {@code length} bytes of the write staging buffer. */
    private void sendStaged(int length, Deadline deadline) {
        send(Pointer.nativeValue(writeBuffer), length, deadline);
    }

    /**
     * Sends the header in the write staging buffer and a payload from elsewhere with one sendmsg
     * (then plain sends for whatever the first call did not take): the reader's first wake-up
     * brings the header with the start of the payload, not the header alone.
     */
    private void sendFrame(int length, long payload, Deadline deadline) {
        growSendBufferFor(length);
        if (messageHeader == null) {
            messageHeader = new Memory(MSGHDR_SIZE + 2 * IOVEC_SIZE);
            messageHeader.clear();
            messageHeader.setLong(MSGHDR_IOV, Pointer.nativeValue(messageHeader) + MSGHDR_SIZE);
            messageHeader.setLong(MSGHDR_IOVLEN, 2);
        }
        long header = Pointer.nativeValue(writeBuffer);
        messageHeader.setLong(MSGHDR_SIZE, header);
        messageHeader.setLong(MSGHDR_SIZE + 8, HEADER);
        messageHeader.setLong(MSGHDR_SIZE + IOVEC_SIZE, payload);
        messageHeader.setLong(MSGHDR_SIZE + IOVEC_SIZE + 8, length);
        long msghdr = Pointer.nativeValue(messageHeader);
        boolean block = UnixSocket.mayBlock(deadline);
        long n;
        do {
            n = block ? socket.sendmsgBlocking(msghdr, "write")
                    : LibC.sendmsg(socket.fd(), msghdr, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT);
        } while (n < 0 && !sendFailed(deadline));
        sent += (int) n;
        if (n < HEADER) {
            send(header + n, HEADER - (int) n, deadline);
            send(payload, length, deadline);
        } else {
            send(payload + (n - HEADER), length - (int) (n - HEADER), deadline);
        }
    }

    /**
     * Grows the send buffer before the first large write, so that small-message connections keep
     * the kernel's default. Only a sender's buffer matters on a Unix stream socket: the data queued
     * for the reader is charged to it.
     */
    private void growSendBufferFor(long length) {
        if (length >= LARGE_WRITE && !sendBufferGrown) {
            sendBufferGrown = true;
            // Best effort: if it fails, the default buffer only costs throughput, never data.
            LibC.setsockopt(socket.fd(), LibC.SOL_SOCKET, LibC.SO_SNDBUF, new int[] {LARGE_SEND_BUFFER}, Integer.BYTES);
        }
    }

    /**
     * Handles a failed send: waits for room on EAGAIN, throws on real errors.
     *
     * @return false to retry the send
     */
    private boolean sendFailed(Deadline deadline) {
        int errno = LibC.errno();
        if (errno == LibC.EAGAIN) {
            socket.await(LibC.POLLOUT, deadline, "write");
        } else if (errno != LibC.EINTR) {
            if (!socket.isOpen()) {
                throw socket.closedException();
            }
            throw Errno.exception("write on " + socket.description() + " (the peer is gone)", errno);
        }
        return false;
    }

    /** Sends {@code length} bytes from {@code address}, counting them in {@link #sent} as they go. */
    private void send(long address, int length, Deadline deadline) {
        growSendBufferFor(length);
        boolean block = UnixSocket.mayBlock(deadline);
        int done = 0;
        while (done < length) {
            long n = block ? socket.sendBlocking(address + done, length - done, "write")
                    : LibC.send(socket.fd(), address + done, length - done, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT);
            if (n >= 0) {
                done += (int) n;
                sent += (int) n;
            } else {
                sendFailed(deadline);
            }
        }
    }

    /**
     * The native address of the direct buffer a reader or a writer used last: callers usually pass
     * the same buffer again and again, and asking JNA for an address costs a JNI call and a Pointer.
     * Held weakly, so that a buffer the caller dropped is not kept alive.
     */
    private static final class AddressCache {
        private WeakReference<ByteBuffer> buffer;
        private long address;

        /** @return the native address of a direct buffer's first element (its position 0) */
        long of(ByteBuffer direct) {
            if (buffer != null && buffer.get() == direct) {
                return address;
            }
            address = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
            buffer = new WeakReference<>(direct);
            return address;
        }
    }

    /** @return the read staging buffer, grown towards {@code wanted} bytes (up to MAX_STAGING) */
    private Memory readBuffer(long wanted) {
        Memory grown = grown(readBuffer, wanted, MAX_STAGING);
        if (grown != readBuffer) {
            readBuffer = grown;
            readView = grown.getByteBuffer(0, grown.size());
        }
        return grown;
    }

    /** @return the write staging buffer, grown towards {@code wanted} bytes (up to MAX_STAGING) */
    private Memory writeBuffer(long wanted) {
        // Room for a header on top: a message of MAX_STAGING bytes then still goes out in one send.
        Memory grown = grown(writeBuffer, wanted, MAX_STAGING + HEADER);
        if (grown != writeBuffer) {
            writeBuffer = grown;
            writeView = grown.getByteBuffer(0, grown.size());
        }
        return grown;
    }

    private static Memory grown(Memory current, long wanted, long max) {
        long size = Math.min(Math.max(wanted, CHUNK), max);
        if (current != null && current.size() >= size) {
            return current;
        }
        // Grow in powers of two, so that a few sizes of calls do not reallocate again and again.
        long next = Math.min(Long.highestOneBit(size - 1) << 1, max);
        Memory bigger = new Memory(Math.max(next, CHUNK));
        if (current != null) {
            current.close();
        }
        return bigger;
    }
}
