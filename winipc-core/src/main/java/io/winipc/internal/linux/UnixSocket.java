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
 * A close-on-exec socket descriptor that many threads may use while one of them closes it.
 *
 * <p>Closing must never let a racing call reach a descriptor number the OS has meanwhile handed
 * to another file, so calls register as in flight with {@link #enter()} / {@link #exit()}, and
 * {@link #close()} only marks the socket closed and shuts it down (which wakes every poll on it);
 * the descriptor itself is closed by whoever leaves last.
 *
 * <p>Waiting: a connection's descriptor is blocking, and every call says per call whether it may
 * block. A platform thread without a deadline lets recv/send block in the kernel, as a blocking
 * NIO channel or a C program does: one system call, and the kernel's own flow control for large
 * sends. Everything else passes MSG_DONTWAIT and waits for readiness itself: virtual threads
 * park through the {@link Poller} so that they never hold their carrier, platform threads with a
 * deadline wait in poll(2). The listening socket is non-blocking. close() shuts the socket down,
 * which wakes a blocked recv/send as well as a poll; an interrupt closes the socket, as
 * interruptible NIO channels do, which wakes the wait.
 */
final class UnixSocket {
    private static final int CLOSED = 1;
    private static final int ONE_CALL = 2;

    /** One struct pollfd per platform thread that waits, instead of a native allocation per wait. */
    private static final ThreadLocal<Memory> POLLFD = ThreadLocal.withInitial(() -> new Memory(8));

    private final int fd;
    private final String description;
    /** Bit 0: closed; the rest: twice the number of calls in flight. */
    private final AtomicInteger state = new AtomicInteger();
    private final Runnable onClose;
    /**
     * Turns an interrupt of a thread blocked on this socket into {@link #close()}, which wakes it.
     * One hook serves every call on the socket, so that a blocking call allocates nothing for it;
     * once an interrupt has closed the socket, the hook and the socket stay closed.
     */
    private final InterruptHook interrupter = InterruptHook.reusable(this::close);
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

    /**
     * @return whether a call may block in the kernel: on a platform thread, with no deadline (a
     *     virtual thread must park instead, and a deadline needs poll's timeout)
     */
    static boolean mayBlock(Deadline deadline) {
        return deadline.isInfinite() && !VirtualThreads.isCurrentThreadVirtual();
    }

    /**
     * recv(2) that blocks until data, the end of the stream, close() or an interrupt. Call inside
     * {@link #enter()}; on a negative result, {@link LibC#errno()} tells why.
     *
     * @throws OperationCanceledException when the thread was interrupted (the socket is then closed)
     */
    long recvBlocking(long address, long length, String operation) {
        interrupter.arm();
        long n;
        boolean interrupted;
        try {
            n = LibC.recv(fd, address, length, 0);
        } finally {
            interrupted = interrupter.end();
        }
        if (interrupted) {
            throw canceled(operation);
        }
        return n;
    }

    /** send(2) that blocks until some bytes are sent, close() or an interrupt; as {@link #recvBlocking}. */
    long sendBlocking(long address, long length, String operation) {
        interrupter.arm();
        long n;
        boolean interrupted;
        try {
            n = LibC.send(fd, address, length, LibC.MSG_NOSIGNAL);
        } finally {
            interrupted = interrupter.end();
        }
        if (interrupted) {
            throw canceled(operation);
        }
        return n;
    }

    /** sendmsg(2) that blocks until some bytes are sent, close() or an interrupt; as {@link #recvBlocking}. */
    long sendmsgBlocking(long msghdr, String operation) {
        interrupter.arm();
        long n;
        boolean interrupted;
        try {
            n = LibC.sendmsg(fd, msghdr, LibC.MSG_NOSIGNAL);
        } finally {
            interrupted = interrupter.end();
        }
        if (interrupted) {
            throw canceled(operation);
        }
        return n;
    }

    private OperationCanceledException canceled(String operation) {
        return new OperationCanceledException(operation + " on " + description
                + " was interrupted; the connection is closed", LibC.EINTR);
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
        interrupter.arm();
        boolean interrupted;
        try {
            if (VirtualThreads.isCurrentThreadVirtual()) {
                Poller.get().await(fd, events, deadline);
            } else {
                pollOnce(events, deadline);
            }
        } finally {
            interrupted = interrupter.end();
        }
        if (interrupted) {
            throw canceled(operation);
        }
        if (!isOpen()) {
            throw closedException();
        }
    }

    private void pollOnce(short events, Deadline deadline) {
        Memory pollfd = POLLFD.get();
        pollfd.setInt(0, fd);
        pollfd.setShort(4, events);
        pollfd.setShort(6, (short) 0);
        int r = LibC.poll(pollfd, 1, deadline.remainingMillisForPoll());
        if (r < 0 && LibC.errno() != LibC.EINTR) {
            throw Errno.exception("poll on " + description, LibC.errno());
        }
    }
}
