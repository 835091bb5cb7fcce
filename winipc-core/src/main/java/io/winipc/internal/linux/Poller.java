package io.winipc.internal.linux;

import com.sun.jna.Memory;
import io.winipc.internal.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks virtual threads that wait for a socket to become readable or writable, instead of letting
 * them block their carrier in poll(2). One platform daemon thread waits in epoll_wait for every
 * registered socket and unparks the waiters of a socket when it reports an event; waiters then
 * retry their non-blocking call. Registrations are one-shot: a waiter re-arms each time it waits.
 */
final class Poller {
    private static final boolean PACKED_EVENT = LinuxArchitecture.PACKED_EPOLL_EVENT;
    /** struct epoll_event is packed (12 bytes) on x86_64 and naturally aligned (16) elsewhere. */
    private static final int EVENT_SIZE = PACKED_EVENT ? 12 : 16;
    private static final int DATA_OFFSET = PACKED_EVENT ? 4 : 8;
    private static final int MAX_EVENTS = 64;

    private static final class Holder {
        static final Poller INSTANCE = new Poller();
    }

    /** Who waits on one socket, and for what; guarded by its own monitor, held only briefly. */
    private static final class Waiters {
        final List<Thread> threads = new ArrayList<>(2);
        int readers;
        int writers;
    }

    private final int epollFd;
    private final ConcurrentHashMap<Integer, Waiters> sockets = new ConcurrentHashMap<>();

    private Poller() {
        epollFd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epollFd < 0) {
            throw Errno.exception("epoll_create1", LibC.errno());
        }
        Thread thread = new Thread(this::run, "winipc-poller");
        thread.setDaemon(true);
        thread.start();
    }

    static Poller get() {
        return Holder.INSTANCE;
    }

    /** Loads the classes a parked wait needs, so that virtual threads never contend for loading them. */
    static void preload() {
        get();
        new Waiters();
    }

    /**
     * Parks the calling thread until the socket may be ready for {@code events} (POLLIN or
     * POLLOUT), the deadline passes, or the thread is unparked or interrupted. Spurious returns
     * are allowed: the caller retries its call and waits again.
     */
    void await(int fd, short events, Deadline deadline) {
        Thread me = Thread.currentThread();
        boolean reading = (events & LibC.POLLIN) != 0;
        Waiters w = sockets.get(fd);
        if (w == null) {
            Waiters fresh = new Waiters();
            w = sockets.putIfAbsent(fd, fresh);
            if (w == null) {
                w = fresh;
            }
        }
        synchronized (w) {
            w.threads.add(me);
            if (reading) {
                w.readers++;
            } else {
                w.writers++;
            }
            arm(fd, w);
        }
        try {
            if (deadline.isInfinite()) {
                LockSupport.park(this);
            } else {
                long nanos = deadline.remainingNanos();
                if (nanos > 0) {
                    LockSupport.parkNanos(this, nanos);
                }
            }
        } finally {
            synchronized (w) {
                w.threads.remove(me);
                if (reading) {
                    w.readers--;
                } else {
                    w.writers--;
                }
            }
        }
    }

    /** Wakes every thread waiting on the socket. */
    void wakeAll(int fd) {
        Waiters w = sockets.get(fd);
        if (w != null) {
            List<Thread> threads;
            synchronized (w) {
                threads = new ArrayList<>(w.threads);
            }
            threads.forEach(LockSupport::unpark);
        }
    }

    /** Forgets the socket; call once nobody waits on it, before closing its descriptor. */
    void deregister(int fd) {
        if (sockets.remove(fd) != null) {
            LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_DEL, fd, null);
        }
    }

    /** Registers the union of what the socket's waiters want, one-shot; called holding the monitor. */
    private void arm(int fd, Waiters w) {
        int interest = LibC.POLLERR | LibC.POLLHUP | (w.readers > 0 ? LibC.POLLIN : 0) | (w.writers > 0 ? LibC.POLLOUT : 0);
        try (Memory event = new Memory(EVENT_SIZE)) {
            event.setInt(0, interest | LibC.EPOLLONESHOT);
            event.setLong(DATA_OFFSET, fd);
            if (LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_MOD, fd, event) != 0
                    && LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, event) != 0) {
                // Neither worked, so the descriptor is going away: let the waiters find out why.
                w.threads.forEach(LockSupport::unpark);
            }
        }
    }

    private void run() {
        Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);
        while (true) {
            int n = LibC.epoll_wait(epollFd, events, MAX_EVENTS, -1);
            if (n < 0) {
                if (LibC.errno() == LibC.EINTR) {
                    continue;
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                int fd = (int) events.getLong((long) i * EVENT_SIZE + DATA_OFFSET);
                wakeAll(fd);
            }
        }
    }
}
