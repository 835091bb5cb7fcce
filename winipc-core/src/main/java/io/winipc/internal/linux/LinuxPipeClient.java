package io.winipc.internal.linux;

import io.winipc.OperationCanceledException;
import io.winipc.PipeBusyException;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.PipeConnectSpec;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Connects to a pipe server's socket, retrying inside the deadline while the server is absent
 * (no socket file, or a stale one: ENOENT, ECONNREFUSED) or busy (its backlog is full: EAGAIN).
 */
final class LinuxPipeClient {
    private static final long FIRST_BACKOFF_NANOS = 1_000_000;
    private static final long MAX_BACKOFF_NANOS = 50_000_000;

    private LinuxPipeClient() {
    }

    /** Connections are blocking descriptors: see UnixSocket for how each call waits. */
    private static void makeBlocking(int fd, String description) {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK) < 0) {
            throw Errno.exception("fcntl(O_NONBLOCK) for " + description, LibC.errno());
        }
    }

    static LinuxPipe connect(String name, PipeConnectSpec spec, Deadline deadline) {
        Path socketPath = RuntimeDirectories.socketPath(RuntimeDirectories.directory(spec.scope(), LibC.getuid()), name);
        String description = "pipe '" + name + "' (" + socketPath + ")";
        byte[] address = SocketAddresses.of(socketPath);
        long backoff = FIRST_BACKOFF_NANOS;
        boolean sawBusy = false;
        int attempts = 0;
        while (true) {
            attempts++;
            int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Errno.exception("socket() for " + description, LibC.errno());
            }
            // Non-blocking while connecting, so that a full backlog reads as busy (EAGAIN) instead of a wait.
            int errno = LibC.connect(fd, address, address.length) == 0 ? 0 : LibC.errno();
            if (errno == 0) {
                try {
                    makeBlocking(fd, description);
                    return new LinuxPipe(new UnixSocket(fd, description + " client"), LinuxPipe.peerCredentials(fd));
                } catch (RuntimeException e) {
                    LibC.close(fd);
                    throw e;
                }
            }
            LibC.close(fd);
            switch (errno) {
                case LibC.ENOENT, LibC.ECONNREFUSED -> sawBusy = false;
                case LibC.EAGAIN -> sawBusy = true;
                case LibC.EINTR -> {
                    continue;
                }
                default -> throw Errno.exception("connect to " + description, errno);
            }
            long left = deadline.remainingNanos();
            if (left <= 0) {
                if (sawBusy) {
                    throw new PipeBusyException("connect to " + description + " timed out after " + attempts
                            + " attempts: every instance of the server stayed busy", LibC.EAGAIN);
                }
                throw new WinipcTimeoutException("connect to " + description + " timed out after " + attempts
                        + " attempts: no server is listening", errno);
            }
            LockSupport.parkNanos(Math.min(backoff, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new OperationCanceledException("connect to " + description + " was interrupted", LibC.EINTR);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
    }
}
