package io.winipc.internal.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls the Linux pipe backend needs, bound with JNA's direct mapping (the fastest
 * JNA call path). Errors are read with {@link Native#getLastError()} right after a call returns
 * -1, which JNA preserves per thread. Constants are Linux's generic values, the same on x86_64 and
 * aarch64.
 */
final class LibC {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_PEERCRED = 17;
    static final int SO_PEERGROUPS = 59;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_DONTWAIT = 0x40;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 04000;
    static final int SHUT_RDWR = 2;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLONESHOT = 1 << 30;

    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CLOEXEC = 02000000;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;
    static final int ENOTSOCK = 88;
    static final int EADDRINUSE = 98;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOTCONN = 107;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EINPROGRESS = 115;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] address, int addressLength);

    static native int listen(int fd, int backlog);

    static native int accept4(int fd, Pointer address, Pointer addressLength, int flags);

    static native int connect(int fd, byte[] address, int addressLength);

    /** send(2) from a native address: staging buffers and direct ByteBuffers alike, with no Pointer per call. */
    static native long send(int fd, long buffer, long length, int flags);

    /** recv(2) into a native address; as {@link #send}. */
    static native long recv(int fd, long buffer, long length, int flags);

    /** sendmsg(2) with a struct msghdr at a native address (gathering a message's header and payload). */
    static native long sendmsg(int fd, long msghdr, int flags);

    static native int shutdown(int fd, int how);

    /** fcntl with an int argument (F_GETFL, F_SETFL). */
    static native int fcntl(int fd, int command, int argument);

    static native int close(int fd);

    static native int poll(Pointer fds, long count, int timeoutMillis);

    static native int getsockopt(int fd, int level, int option, int[] value, int[] length);

    static native int setsockopt(int fd, int level, int option, int[] value, int length);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epollFd, int op, int fd, Pointer event);

    static native int epoll_wait(int epollFd, Pointer events, int maxEvents, int timeoutMillis);

    static native int open(byte[] path, int flags, int mode);

    static native int flock(int fd, int operation);

    static native int unlink(byte[] path);

    static native int chmod(byte[] path, int mode);

    static native int getuid();

    static native int getpid();

    static native Pointer strerror(int errno);

    /** @return the errno of the last failed call on this thread */
    static int errno() {
        return Native.getLastError();
    }

    /** @return the C library's description of an errno value */
    static String describe(int errno) {
        Pointer p = strerror(errno);
        return p == null ? "errno " + errno : p.getString(0) + " (errno " + errno + ")";
    }

    /** @return the path as a NUL-terminated UTF-8 C string */
    static byte[] cString(String path) {
        byte[] utf8 = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(utf8, utf8.length + 1);
    }
}
