package io.winipc.internal.linux;

import io.winipc.AccessPolicy;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.PeerCredentials;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import io.winipc.internal.NativePipeServer;
import io.winipc.internal.PipeListenSpec;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A pipe server on a Unix domain socket.
 *
 * <p>Ownership of a name is an exclusive {@code flock} on {@code <socket path>.lock}, held for the
 * server's life. A second server fails to take it and gets ObjectExistsException; a server that
 * dies, even by SIGKILL, loses it with its process, so the next server takes it, knows that any
 * socket file there is stale, and replaces it. The socket file is created 0600 (0666 when the
 * access policy admits other users, whose uids SO_PEERCRED still checks): the mode is set on the
 * socket before bind creates the file, so no umask opens it wider. The lock file is created 0600
 * by its open.
 *
 * <p>Instances: at most {@code maxInstances} accepted connections are open at once. While that
 * many are, {@link #accept} waits for one to close and the listen backlog (also
 * {@code maxInstances}) fills; clients beyond it see the pipe busy.
 */
final class LinuxPipeServer implements NativePipeServer {
    private final UnixSocket listener;
    private final java.util.concurrent.atomic.AtomicBoolean nameReleased = new java.util.concurrent.atomic.AtomicBoolean();
    private final int lockFd;
    private final Path socketPath;
    private final Path lockPath;
    private final int uid;
    private final AccessPolicy access;
    private final String description;
    private final Semaphore instances;
    private final int maxInstances;

    private LinuxPipeServer(int listenerFd, int lockFd, Path socketPath, Path lockPath, int uid,
            PipeListenSpec spec, String description) {
        this.listener = new UnixSocket(listenerFd, description, this::releaseName);
        this.lockFd = lockFd;
        this.socketPath = socketPath;
        this.lockPath = lockPath;
        this.uid = uid;
        this.access = spec.access();
        this.description = description;
        this.maxInstances = spec.maxInstances();
        this.instances = new Semaphore(maxInstances);
    }

    @Override
    public String address() {
        return socketPath.toString();
    }

    static LinuxPipeServer listen(String name, PipeListenSpec spec) {
        int uid = LibC.getuid();
        Path dir = RuntimeDirectories.directory(spec.scope(), uid);
        Path socketPath = RuntimeDirectories.socketPath(dir, name);
        Path lockPath = Path.of(socketPath + ".lock");
        String description = "pipe '" + name + "' (" + socketPath + ")";
        int lockFd = takeOwnership(lockPath, description);
        int fd = -1;
        try {
            // Holding the lock proves no live server owns the name: whatever is at the path is stale.
            LibC.unlink(LibC.cString(socketPath.toString()));
            fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Errno.exception("socket() for " + description, LibC.errno());
            }
            // Only uids and gids admit anyone on Linux; a policy naming Windows accounts alone stays 0600.
            boolean others = spec.access().extraUids().length > 0 || spec.access().extraGids().length > 0;
            int mode = others ? 0666 : 0600;
            // bind creates the socket file with the socket's own mode less the umask: set that mode
            // first, so that the file is never more open than its final mode, not even for a moment.
            if (LibC.fchmod(fd, mode) != 0) {
                throw Errno.exception("fchmod the socket of " + description, LibC.errno());
            }
            byte[] address = SocketAddresses.of(socketPath);
            if (LibC.bind(fd, address, address.length) != 0) {
                throw Errno.exception("bind " + description, LibC.errno());
            }
            if (mode != 0600 && LibC.chmod(LibC.cString(socketPath.toString()), mode) != 0) {
                // Only to put back what the umask took from a policy that admits other users.
                throw Errno.exception("chmod " + description, LibC.errno());
            }
            if (LibC.listen(fd, spec.maxInstances()) != 0) {
                throw Errno.exception("listen on " + description, LibC.errno());
            }
            return new LinuxPipeServer(fd, lockFd, socketPath, lockPath, uid, spec, description);
        } catch (RuntimeException e) {
            if (fd >= 0) {
                LibC.close(fd);
            }
            LibC.unlink(LibC.cString(socketPath.toString()));
            releaseOwnership(lockFd, lockPath);
            throw e;
        }
    }

    /** @return the descriptor holding the name's lock */
    private static int takeOwnership(Path lockPath, String description) {
        byte[] path = LibC.cString(lockPath.toString());
        while (true) {
            int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600);
            if (fd < 0) {
                throw Errno.exception("open " + lockPath, LibC.errno());
            }
            if (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0) {
                int errno = LibC.errno();
                LibC.close(fd);
                if (errno == LibC.EAGAIN) {
                    throw new ObjectExistsException(description + " already has a live server", errno);
                }
                throw Errno.exception("flock " + lockPath, errno);
            }
            // The previous owner may have unlinked the file between our open and flock: then we hold
            // a lock on a file nobody else can find, and must start over with the one at the path.
            if (sameFile(fd, lockPath)) {
                return fd;
            }
            LibC.close(fd);
        }
    }

    private static boolean sameFile(int fd, Path path) {
        return FileStat.of(fd).sameFileAs(FileStat.ofLink(path.toString()));
    }

    private static void releaseOwnership(int lockFd, Path lockPath) {
        LibC.unlink(LibC.cString(lockPath.toString()));
        LibC.close(lockFd);
    }

    @Override
    public NativePipe accept(Deadline deadline) {
        acquireInstance(deadline);
        boolean handedOver = false;
        listener.enter();
        try {
            while (true) {
                // Connections are blocking descriptors: see UnixSocket for how each call waits.
                int fd = LibC.accept4(listener.fd(), null, null, LibC.SOCK_CLOEXEC);
                if (fd < 0) {
                    int errno = LibC.errno();
                    if (errno == LibC.EAGAIN || errno == LibC.ECONNABORTED || errno == LibC.EINTR) {
                        if (errno == LibC.EAGAIN) {
                            listener.await(LibC.POLLIN, deadline, "accept");
                        }
                        continue;
                    }
                    if (!listener.isOpen()) {
                        throw listener.closedException();
                    }
                    throw Errno.exception("accept on " + description, errno);
                }
                PeerCredentials peer;
                try {
                    peer = LinuxPipe.peerCredentials(fd);
                } catch (RuntimeException e) {
                    LibC.close(fd);
                    continue;
                }
                if (!admits(fd, peer)) {
                    // Not the current user nor anyone the policy names: drop without a word.
                    LibC.close(fd);
                    continue;
                }
                handedOver = true;
                return new LinuxPipe(new UnixSocket(fd, description + " connection", instances::release), peer);
            }
        } finally {
            listener.exit();
            if (!handedOver) {
                instances.release();
            }
        }
    }

    private void acquireInstance(Deadline deadline) {
        listener.enter();
        try {
            boolean acquired;
            if (deadline.isInfinite()) {
                instances.acquire();
                acquired = true;
            } else {
                acquired = instances.tryAcquire(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
            }
            if (!acquired) {
                throw new WinipcTimeoutException("accept on " + description + " timed out: all " + maxInstances
                        + " instances stayed connected", LibC.ETIMEDOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.close();
            throw new OperationCanceledException("accept on " + description + " was interrupted; the server is closed", LibC.EINTR);
        } finally {
            listener.exit();
        }
        if (!listener.isOpen()) {
            instances.release();
            throw new ObjectClosedException(description + " is closed");
        }
    }

    private boolean admits(int fd, PeerCredentials peer) {
        int peerUid = peer.uid().orElse(-1);
        if (peerUid == uid) {
            return true;
        }
        for (int allowed : access.extraUids()) {
            if (allowed == peerUid) {
                return true;
            }
        }
        int[] gids = access.extraGids();
        if (gids.length == 0) {
            return false;
        }
        for (int allowed : gids) {
            if (allowed == peer.gid().orElse(-1)) {
                return true;
            }
        }
        for (int group : supplementaryGroups(fd)) {
            for (int allowed : gids) {
                if (allowed == group) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] supplementaryGroups(int fd) {
        int[] groups = new int[256];
        int[] length = {groups.length * 4};
        if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PEERGROUPS, groups, length) != 0) {
            return new int[0];
        }
        return java.util.Arrays.copyOf(groups, length[0] / 4);
    }

    @Override
    public void close() {
        // The listener may already be closed by an interrupted accept, which released the name too.
        listener.close();
        // Wake an accept waiting for a free instance; the closed listener makes it give up.
        instances.release(PipeListenSpec.MAX_INSTANCES + 1);
    }

    /** Lets go of the name once, however the listener was closed: by close() or by an interrupt. */
    private void releaseName() {
        if (nameReleased.compareAndSet(false, true)) {
            LibC.unlink(LibC.cString(socketPath.toString()));
            releaseOwnership(lockFd, lockPath);
        }
    }
}
