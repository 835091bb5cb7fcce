package io.winipc.bench;

import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One end of a connection as the harness uses it, over winipc or over the JDK's own
 * {@link SocketChannel} on a Unix domain socket (the baseline winipc's Linux backend should
 * match). Message mode over the JDK channel uses winipc's Linux framing: a 4-byte big-endian
 * length, then the payload; small messages in one write, large ones in one gathering write.
 */
interface Endpoint extends AutoCloseable {

    /** Byte mode: writes everything. */
    void write(byte[] b, int off, int len);

    /** Byte mode: what one read returns, -1 at the end of the stream. */
    int read(byte[] b, int off, int len);

    void writeMessage(byte[] b, int off, int len);

    /** @return the message, or null at the end of the stream */
    byte[] readMessage();

    @Override
    void close();

    /** Byte mode from a direct buffer: writes its remaining bytes (winipc's ByteBuffer API only). */
    default void write(ByteBuffer src) {
        throw new UnsupportedOperationException("direct buffers are measured for winipc only");
    }

    /** Byte mode into a direct buffer: what one read returns, -1 at the end of the stream. */
    default int read(ByteBuffer dst) {
        throw new UnsupportedOperationException("direct buffers are measured for winipc only");
    }

    default void writeMessage(ByteBuffer src) {
        throw new UnsupportedOperationException("direct buffers are measured for winipc only");
    }

    /** @return the message's length, or -1 at the end of the stream */
    default int readMessage(ByteBuffer dst) {
        throw new UnsupportedOperationException("direct buffers are measured for winipc only");
    }

    /** Fills the buffer's remaining space. */
    default void readFully(ByteBuffer dst) {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new UncheckedIOException(new EOFException("end of stream with " + dst.remaining() + " bytes to go"));
            }
        }
    }

    /** @return false at a clean end of stream before the first byte */
    default boolean readFullyOrEnd(ByteBuffer dst) {
        boolean first = true;
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                if (first) {
                    return false;
                }
                throw new UncheckedIOException(new EOFException("end of stream with " + dst.remaining() + " bytes to go"));
            }
            first = false;
        }
        return true;
    }

    default void readFully(byte[] b, int off, int len) {
        while (len > 0) {
            int n = read(b, off, len);
            if (n < 0) {
                throw new UncheckedIOException(new EOFException("end of stream with " + len + " bytes to go"));
            }
            off += n;
            len -= n;
        }
    }

    /** @return false at a clean end of stream before the first byte */
    default boolean readFullyOrEnd(byte[] b, int off, int len) {
        boolean first = true;
        while (len > 0) {
            int n = read(b, off, len);
            if (n < 0) {
                if (first) {
                    return false;
                }
                throw new UncheckedIOException(new EOFException("end of stream with " + len + " bytes to go"));
            }
            first = false;
            off += n;
            len -= n;
        }
        return true;
    }

    /** Accepts connections. */
    interface Listener extends AutoCloseable {
        Endpoint accept();

        @Override
        void close();
    }

    /** Which implementation, and how its clients reach a server. */
    enum Kind {
        WINIPC, JDK;

        Listener listen(String address, boolean message, int maxInstances) {
            return this == WINIPC ? Winipc.listen(address, message, maxInstances) : Jdk.listen(address, maxInstances);
        }

        Endpoint connect(String address, boolean message) {
            return this == WINIPC ? Winipc.connect(address, message) : Jdk.connect(address);
        }
    }

    final class Winipc implements Endpoint {
        private final PipeConnection c;

        Winipc(PipeConnection c) {
            this.c = c;
        }

        static Listener listen(String name, boolean message, int maxInstances) {
            PipeServer server = server(name, message, maxInstances);
            return new Listener() {
                @Override
                public Endpoint accept() {
                    return new Winipc(server.accept());
                }

                @Override
                public void close() {
                    server.close();
                }
            };
        }

        static PipeServer server(String name, boolean message, int maxInstances) {
            return PipeServer.listen(name, PipeServerOptions.defaults()
                    .withMode(message ? PipeMode.MESSAGE : PipeMode.BYTE).withMaxInstances(maxInstances)
                    .withMaxMessageSize(64 << 20).withDrainTimeout(Duration.ZERO));
        }

        static Endpoint connect(String name, boolean message) {
            return new Winipc(PipeClient.connect(name, PipeClientOptions.defaults()
                    .withMode(message ? PipeMode.MESSAGE : PipeMode.BYTE).withMaxMessageSize(64 << 20)
                    .withConnectTimeout(Duration.ofSeconds(120))));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            c.write(b, off, len);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return c.read(b, off, len);
        }

        @Override
        public void writeMessage(byte[] b, int off, int len) {
            c.writeMessage(b, off, len);
        }

        @Override
        public byte[] readMessage() {
            return c.readMessage();
        }

        @Override
        public void write(ByteBuffer src) {
            c.write(src);
        }

        @Override
        public int read(ByteBuffer dst) {
            return c.read(dst);
        }

        @Override
        public void writeMessage(ByteBuffer src) {
            c.writeMessage(src);
        }

        @Override
        public int readMessage(ByteBuffer dst) {
            return c.readMessage(dst);
        }

        @Override
        public void close() {
            c.close();
        }
    }

    final class Jdk implements Endpoint {
        private final SocketChannel ch;
        private final ByteBuffer header = ByteBuffer.allocate(4);
        private final ByteBuffer frame = ByteBuffer.allocate(64 * 1024);

        Jdk(SocketChannel ch) {
            this.ch = ch;
        }

        static Listener listen(String path, int backlog) {
            try {
                Path p = Path.of(path);
                Files.deleteIfExists(p);
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(p), backlog);
                return new Listener() {
                    @Override
                    public Endpoint accept() {
                        try {
                            return new Jdk(server.accept());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void close() {
                        try {
                            server.close();
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Endpoint connect(String path) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                try {
                    return new Jdk(SocketChannel.open(address));
                } catch (IOException e) {
                    // Not listening yet, or the backlog is full: retry, as winipc's client does.
                    if (System.nanoTime() > deadline) {
                        throw new UncheckedIOException(e);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }
        }

        private void writeAll(ByteBuffer b) {
            try {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writeAll(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return ch.read(ByteBuffer.wrap(b, off, len));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void writeMessage(byte[] b, int off, int len) {
            if (len <= frame.capacity() - 4) {
                frame.clear();
                frame.putInt(len).put(b, off, len).flip();
                writeAll(frame);
            } else {
                // Header and payload in one gathering write, as winipc and the C baseline do.
                header.clear();
                header.putInt(len).flip();
                ByteBuffer[] frame = {header, ByteBuffer.wrap(b, off, len)};
                try {
                    while (frame[1].hasRemaining()) {
                        ch.write(frame);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public byte[] readMessage() {
            byte[] h = new byte[4];
            if (!readFullyOrEnd(h, 0, 4)) {
                return null;
            }
            int len = ByteBuffer.wrap(h).getInt();
            byte[] m = new byte[len];
            readFully(m, 0, len);
            return m;
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
