package io.winipc.internal.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.winipc.BrokenPipeException;
import io.winipc.OutOfRangeException;
import io.winipc.PeerCredentials;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
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
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final UnixSocket socket;
    private final PeerCredentials peer;
    /**
     * Native staging buffers; one per direction, since a reader and a writer may run at once.
     * Each is used by one thread at a time (PipeConnection serializes readers and writers).
     */
    private Memory readBuffer;
    private Memory writeBuffer;
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
            int n = receive(staging, (int) Math.min(length, staging.size()), deadline, "read");
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
    public void write(byte[] buffer, int offset, int length, Deadline deadline) {
        socket.enter();
        try {
            sendAll(buffer, offset, length, deadline);
        } finally {
            socket.exit();
        }
    }

    @Override
    public byte[] readMessage(int maxMessageSize, Deadline deadline) {
        socket.enter();
        try {
            byte[] header = new byte[HEADER];
            if (!readFully(header, 0, HEADER, deadline, true)) {
                return null;
            }
            long size = ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            size = (int) size;
            if (size == -1) {
                byte[] wide = new byte[8];
                readFully(wide, 0, 8, deadline, false);
                size = 0;
                for (byte b : wide) {
                    size = (size << 8) | (b & 0xff);
                }
                if (size < 0) {
                    throw protocolError("a message length beyond 2^63");
                }
            } else if (size < 0) {
                throw protocolError("a negative message length (" + size + ")");
            }
            if (size > maxMessageSize) {
                socket.close();
                throw new OutOfRangeException("the peer sent a message of " + size + " bytes on " + socket.description()
                        + "; the limit is " + maxMessageSize + " bytes, so the connection was closed");
            }
            byte[] message = new byte[(int) size];
            readFully(message, 0, message.length, deadline, false);
            return message;
        } finally {
            socket.exit();
        }
    }

    @Override
    public void writeMessage(byte[] buffer, int offset, int length, Deadline deadline) {
        socket.enter();
        try {
            long frame = (long) HEADER + length;
            Memory staging = writeBuffer(frame);
            staging.setInt(0, LITTLE_ENDIAN ? Integer.reverseBytes(length) : length);
            if (frame <= staging.size()) {
                // One copy and one send for a message that fits: no partial frame in flight, one system call.
                staging.write(HEADER, buffer, offset, length);
                sendStaged(staging, (int) frame, deadline);
            } else {
                sendStaged(staging, HEADER, deadline);
                sendAll(buffer, offset, length, deadline);
            }
        } finally {
            socket.exit();
        }
    }

    private BrokenPipeException protocolError(String what) {
        socket.close();
        return new BrokenPipeException("the peer sent " + what + " on " + socket.description()
                + ", which is not a valid message header; the connection was closed", 0);
    }

    /**
     * @param eofAllowed whether a clean end of stream before the first byte is acceptable
     * @return false at a clean end of stream before the first byte (only if allowed)
     */
    private boolean readFully(byte[] out, int offset, int length, Deadline deadline, boolean eofAllowed) {
        int done = ahead > 0 ? takeAhead(out, offset, length) : 0;
        if (done == length) {
            return true;
        }
        // Nothing is ahead now, so the buffer may be replaced by a larger one.
        Memory staging = readBuffer(length - done);
        while (done < length) {
            // Ask for a whole buffer even when less is missing: what comes beyond this message stays
            // ahead for the next call, which then needs no system call for its header.
            int n = receive(staging, (int) staging.size(), deadline, "readMessage");
            if (n <= 0) {
                if (done == 0 && eofAllowed) {
                    return false;
                }
                throw new BrokenPipeException("the peer of " + socket.description() + " closed the connection inside a message ("
                        + done + " of " + length + " bytes of a " + (eofAllowed ? "header" : "message part") + " received)", LibC.EPIPE);
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

    /** @return bytes received, or 0 at end of stream */
    private int receive(Memory staging, int length, Deadline deadline, String operation) {
        boolean block = UnixSocket.mayBlock(deadline);
        while (true) {
            long n = block ? socket.recvBlocking(staging, length, operation)
                    : LibC.recv(socket.fd(), staging, length, LibC.MSG_DONTWAIT);
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
            sendStaged(staging, chunk, deadline);
            done += chunk;
        }
    }

    /** Sends the first {@code length} bytes of the staging buffer. */
    private void sendStaged(Memory staging, int length, Deadline deadline) {
        boolean block = UnixSocket.mayBlock(deadline);
        int sent = 0;
        while (sent < length) {
            // share() allocates a view; the common case, everything in one send, needs none.
            Pointer from = sent == 0 ? staging : staging.share(sent);
            long n = block ? socket.sendBlocking(from, length - sent, "write")
                    : LibC.send(socket.fd(), from, length - sent, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT);
            if (n >= 0) {
                sent += (int) n;
                continue;
            }
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN) {
                socket.await(LibC.POLLOUT, deadline, "write");
            } else if (errno != LibC.EINTR) {
                if (!socket.isOpen()) {
                    throw socket.closedException();
                }
                throw Errno.exception("write on " + socket.description() + " (the peer is gone)", errno);
            }
        }
    }

    /** @return the read staging buffer, grown towards {@code wanted} bytes (up to MAX_STAGING) */
    private Memory readBuffer(long wanted) {
        readBuffer = grown(readBuffer, wanted);
        return readBuffer;
    }

    /** @return the write staging buffer, grown towards {@code wanted} bytes (up to MAX_STAGING) */
    private Memory writeBuffer(long wanted) {
        writeBuffer = grown(writeBuffer, wanted);
        return writeBuffer;
    }

    private static Memory grown(Memory current, long wanted) {
        long size = Math.min(Math.max(wanted, CHUNK), MAX_STAGING);
        if (current != null && current.size() >= size) {
            return current;
        }
        // Grow in powers of two, so that a few sizes of calls do not reallocate again and again.
        long next = Math.min(Long.highestOneBit(size - 1) << 1, MAX_STAGING);
        Memory bigger = new Memory(Math.max(next, CHUNK));
        if (current != null) {
            current.close();
        }
        return bigger;
    }
}
