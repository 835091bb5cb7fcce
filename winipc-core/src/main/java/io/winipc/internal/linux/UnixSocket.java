package io.winipc.internal.linux;

import com.sun.jna.Memory;
import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.InterruptHook;
import io.winipc.internal.VirtualThreads;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A non-blocking, close-on-exec socket descriptor that many threads may use while one of them
 * closes it.
 *
 * <p>Closing must never let a racing call reach a descriptor number the OS has meanwhile handed
 * to another file, so calls register as in flight with {@link #enter()} / {@link #exit()}, and
 * {@link #close()} only marks the socket closed and shuts it down (which wakes every poll on it);
 * the descriptor itself is closed by whoever leaves last.
 *
 * <p>Waiting: platform threads wait in poll(2) on their own; virtual threads park through the
 * {@link Poller} so that they never hold their carrier. An interrupt closes the socket, as
 * interruptible NIO channels do, which wakes the wait.
 */
final class UnixSocket {
    private static final int CLOSED = 1;
    private static final int ONE_CALL = 2;

    private final int fd;
    private final String description;
    /** Bit 0: closed; the rest: twice the number of calls in flight. */
    private final AtomicInteger state = new AtomicInteger();
    private final Runnable onClose;
    private volatile boolean released;

    UnixSocket(int fd, String description) {
        this(fd, description, null);
    }

    /** @param onClose runs once, on the thread that closes the socket (by close() or by an interrupt) */
    UnixSocket(int fd, String description, Runnable onClose) {
        this.fd = fd;
        this.description = description;
        this.onClose = onClose;
    }

    int fd() {
        return fd;
    }

    String description() {
        return description;
    }

    boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /**
     * Registers a call in flight.
     *
     * @throws ObjectClosedException if the socket is closed
     */
    void enter() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw closedException();
            }
            if (state.compareAndSet(s, s + ONE_CALL)) {
                return;
            }
        }
    }

    void exit() {
        if (state.addAndGet(-ONE_CALL) == CLOSED) {
            release();
        }
    }

    /** Idempotent; wakes every call waiting on the socket. */
    void close() {
        int s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, s | CLOSED));
        LibC.shutdown(fd, LibC.SHUT_RDWR);
        Poller.get().wakeAll(fd);
        if (s == 0) {
            release();
        }
        if (onClose != null) {
            onClose.run();
        }
    }

    private synchronized void release() {
        if (!released) {
            released = true;
            Poller.get().deregister(fd);
            LibC.close(fd);
        }
    }

    ObjectClosedException closedException() {
        return new ObjectClosedException(description + " is closed");
    }

    /**
     * Waits, inside {@link #enter()}, until the socket may be ready for {@code events}.
     *
     * @throws WinipcTimeoutException when the deadline passes
     * @throws ObjectClosedException when the socket was closed meanwhile
     * @throws OperationCanceledException when the thread was interrupted (the socket is then closed)
     */
    void await(short events, Deadline deadline, String operation) {
        if (deadline.hasPassed()) {
            throw new WinipcTimeoutException(operation + " on " + description + " timed out", LibC.ETIMEDOUT);
        }
        InterruptHook hook = InterruptHook.begin(this::close);
        boolean interrupted;
        try {
            if (VirtualThreads.isCurrentThreadVirtual()) {
                Poller.get().await(fd, events, deadline);
            } else {
                pollOnce(events, deadline);
            }
        } finally {
            interrupted = hook.end();
        }
        if (interrupted) {
            throw new OperationCanceledException(operation + " on " + description
                    + " was interrupted; the connection is closed", LibC.EINTR);
        }
        if (!isOpen()) {
            throw closedException();
        }
    }

    private void pollOnce(short events, Deadline deadline) {
        try (Memory pollfd = new Memory(8)) {
            pollfd.setInt(0, fd);
            pollfd.setShort(4, events);
            pollfd.setShort(6, (short) 0);
            int r = LibC.poll(pollfd, 1, deadline.remainingMillisForPoll());
            if (r < 0 && LibC.errno() != LibC.EINTR) {
                throw Errno.exception("poll on " + description, LibC.errno());
            }
        }
    }
}
