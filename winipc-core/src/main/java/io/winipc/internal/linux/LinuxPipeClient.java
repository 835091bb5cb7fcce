package io.winipc.internal.linux;

import io.winipc.PeerCredentials;
import io.winipc.internal.Account;
import io.winipc.internal.ConnectAttempt;
import io.winipc.internal.PipeConnectSpec;
import java.nio.file.Path;

/**
 * One attempt to connect to a pipe server's socket. Absent: no socket file, or a stale one
 * (ENOENT, ECONNREFUSED). Busy: the server's backlog is full (EAGAIN). {@code PipeClient} retries.
 */
final class LinuxPipeClient {
    private LinuxPipeClient() {
    }

    /** Connections are blocking descriptors: see UnixSocket for how each call waits. */
    private static void makeBlocking(int fd, String description) {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK) < 0) {
            throw Errno.exception("fcntl(O_NONBLOCK) for " + description, LibC.errno());
        }
    }

    static ConnectAttempt tryConnect(String name, PipeConnectSpec spec) {
        Path socketPath = RuntimeDirectories.socketPath(RuntimeDirectories.directory(spec.scope(), LibC.getuid()), name);
        String description = "pipe '" + name + "' (" + socketPath + ")";
        byte[] address = SocketAddresses.of(socketPath);
        while (true) {
            int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Errno.exception("socket() for " + description, LibC.errno());
            }
            // Non-blocking while connecting, so that a full backlog reads as busy (EAGAIN) instead of a wait.
            int errno = LibC.connect(fd, address, address.length) == 0 ? 0 : LibC.errno();
            if (errno == 0) {
                try {
                    makeBlocking(fd, description);
                    PeerCredentials peer = LinuxPipe.peerCredentials(fd);
                    Account server = Account.linux(peer.uid().getAsInt(), peer.gid().getAsInt(), LibC.getuid());
                    return new ConnectAttempt.Connected(new LinuxPipe(new UnixSocket(fd, description + " client"), peer), server);
                } catch (RuntimeException e) {
                    LibC.close(fd);
                    throw e;
                }
            }
            LibC.close(fd);
            switch (errno) {
                case LibC.ENOENT, LibC.ECONNREFUSED -> {
                    return new ConnectAttempt.Absent(errno);
                }
                case LibC.EAGAIN -> {
                    return new ConnectAttempt.Busy(errno);
                }
                case LibC.EINTR -> {
                    // Interrupted by a signal before connecting: simply try again.
                }
                default -> throw Errno.exception("connect to " + description, errno);
            }
        }
    }
}
