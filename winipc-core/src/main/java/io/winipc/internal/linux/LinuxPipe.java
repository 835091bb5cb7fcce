package io.winipc.internal.linux;

import com.sun.jna.Memory;
import io.winipc.BrokenPipeException;
import io.winipc.OutOfRangeException;
import io.winipc.PeerCredentials;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import java.util.OptionalInt;

/**
 * One end of a pipe connection over a Unix domain stream socket. Message mode frames each message
 * as Python's {@code multiprocessing.connection} does: a 4-byte big-endian signed length and the
 * payload, or -1 and an 8-byte big-endian length for payloads over 2^31-1 bytes (read, never
 * written: a Java array is never that large).
 */
final class LinuxPipe implements NativePipe {
    private static final int CHUNK = 64 * 1024;
    private static final int HEADER = 4;

    private final UnixSocket socket;
    private final PeerCredentials peer;
    /** Native staging buffers; one per direction, since a reader and a writer may run at once. */
    private Memory readBuffer;
    private Memory writeBuffer;

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
            Memory staging = readBuffer();
            int n = receive(staging, Math.min(length, CHUNK), deadline, "read");
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
            byte[] header = {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
            if (length <= CHUNK - HEADER) {
                // One send for small messages: no partial frame in flight, and one system call.
                byte[] frame = new byte[HEADER + length];
                System.arraycopy(header, 0, frame, 0, HEADER);
                System.arraycopy(buffer, offset, frame, HEADER, length);
                sendAll(frame, 0, frame.length, deadline);
            } else {
                sendAll(header, 0, HEADER, deadline);
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
        Memory staging = readBuffer();
        int done = 0;
        while (done < length) {
            int n = receive(staging, Math.min(length - done, CHUNK), deadline, "readMessage");
            if (n <= 0) {
                if (done == 0 && eofAllowed) {
                    return false;
                }
                throw new BrokenPipeException("the peer of " + socket.description() + " closed the connection inside a message ("
                        + done + " of " + length + " bytes of a " + (eofAllowed ? "header" : "message part") + " received)", LibC.EPIPE);
            }
            staging.read(0, out, offset + done, n);
            done += n;
        }
        return true;
    }

    /** @return bytes received, or 0 at end of stream */
    private int receive(Memory staging, int length, Deadline deadline, String operation) {
        while (true) {
            long n = LibC.recv(socket.fd(), staging, length, 0);
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
        Memory staging = writeBuffer();
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, CHUNK);
            staging.write(0, buffer, offset + done, chunk);
            int sent = 0;
            while (sent < chunk) {
                long n = LibC.send(socket.fd(), staging.share(sent), chunk - sent, LibC.MSG_NOSIGNAL);
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
            done += chunk;
        }
    }

    private Memory readBuffer() {
        if (readBuffer == null) {
            readBuffer = new Memory(CHUNK);
        }
        return readBuffer;
    }

    private Memory writeBuffer() {
        if (writeBuffer == null) {
            writeBuffer = new Memory(CHUNK);
        }
        return writeBuffer;
    }
}
