package io.winipc.internal.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls of the whole Linux backend (pipes and named objects), bound with JNA's direct
 * mapping: a call costs a JNI transition, where an interface mapping would also go through
 * reflection and argument conversion on every call. Functions that report failure through errno
 * return -1; read the code with {@link #errno()} right after the call (JNA keeps it per thread).
 * The pthread functions return their error code directly.
 *
 * <p>Constants are the Linux values shared by x86_64 and aarch64; the few that differ (system call
 * numbers, some open flags, structure sizes) come from {@link LinuxArchitecture}. No raw system
 * call is made where glibc has a function: file metadata comes from {@code statx}, whose structure
 * is the same on every architecture.
 */
public final class LibC {
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_PEERCRED = 17;
    public static final int SO_PEERGROUPS = 59;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int SHUT_RDWR = 2;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLONESHOT = 1 << 30;

    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_NOFOLLOW = LinuxArchitecture.O_NOFOLLOW;
    public static final int O_TMPFILE = LinuxArchitecture.O_TMPFILE;

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final long SYS_FUTEX = LinuxArchitecture.SYS_FUTEX;
    public static final int FUTEX_WAIT = 0;
    public static final int FUTEX_WAKE = 1;

    public static final int PTHREAD_PROCESS_SHARED = 1;
    public static final int PTHREAD_MUTEX_ROBUST = 1;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int ELOOP = 40;
    public static final int ENOTSOCK = 88;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EINPROGRESS = 115;
    public static final int EOWNERDEAD = 130;
    public static final int ENOTRECOVERABLE = 131;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    public static native int socket(int domain, int type, int protocol);

    public static native int bind(int fd, byte[] address, int addressLength);

    public static native int listen(int fd, int backlog);

    public static native int accept4(int fd, Pointer address, Pointer addressLength, int flags);

    public static native int connect(int fd, byte[] address, int addressLength);

    /** send(2) from a native address: staging buffers and direct ByteBuffers alike, with no Pointer per call. */
    public static native long send(int fd, long buffer, long length, int flags);

    /** recv(2) into a native address; as {@link #send}. */
    public static native long recv(int fd, long buffer, long length, int flags);

    /** sendmsg(2) with a struct msghdr at a native address (gathering a message's header and payload). */
    public static native long sendmsg(int fd, long msghdr, int flags);

    public static native int shutdown(int fd, int how);

    /** fcntl with an int argument (F_GETFL, F_SETFL). */
    public static native int fcntl(int fd, int command, int argument);

    public static native int close(int fd);

    public static native int poll(Pointer fds, long count, int timeoutMillis);

    public static native int getsockopt(int fd, int level, int option, int[] value, int[] length);

    public static native int setsockopt(int fd, int level, int option, int[] value, int length);

    public static native int epoll_create1(int flags);

    public static native int epoll_ctl(int epollFd, int op, int fd, Pointer event);

    public static native int epoll_wait(int epollFd, Pointer events, int maxEvents, int timeoutMillis);

    public static native int open(byte[] path, int flags, int mode);

    public static native int flock(int fd, int operation);

    public static native int unlink(byte[] path);

    public static native int chmod(byte[] path, int mode);

    public static native int getuid();

    public static native int getpid();

    public static native Pointer strerror(int errno);

    public static native int mkdir(byte[] path, int mode);

    public static native int fchmod(int fd, int mode);

    /** fchown(2); -1 leaves the owner or the group as it is. */
    public static native int fchown(int fd, int owner, int group);

    /** fsetxattr(2): sets an extended attribute (here the POSIX ACL) on an open file. */
    public static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags);

    /** fgetxattr(2): the attribute's length, or -1 with ENODATA if the file has none. */
    public static native long fgetxattr(int fd, byte[] name, byte[] value, long size);

    public static native int ftruncate(int fd, long length);

    public static native int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags);

    public static native Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(Pointer address, long length);

    public static native int geteuid();

    /**
     * statx(2) through glibc (2.28 and later; glibc emulates it with fstatat on kernels before
     * 4.11). With {@link #AT_EMPTY_PATH} and an empty path it describes {@code dirFd} itself.
     */
    public static native int statx(int dirFd, byte[] path, int flags, int mask, Pointer statx);

    /**
     * futex: {@code syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3)}. Every argument is
     * passed as a full 64-bit register, as the kernel reads it; addresses as plain {@code long}s, so
     * that the call converts no {@code Pointer}; a timeout of 0 is NULL.
     */
    public static native long syscall(long number, long uaddr, long op, long val, long timeout, long uaddr2, long val3);

    public static native int pthread_mutexattr_init(Pointer attr);

    public static native int pthread_mutexattr_setpshared(Pointer attr, int shared);

    public static native int pthread_mutexattr_setrobust(Pointer attr, int robust);

    public static native int pthread_mutexattr_destroy(Pointer attr);

    public static native int pthread_mutex_init(Pointer mutex, Pointer attr);

    // The lock calls take the mutex's address as a long: they are the hot path of every lock/unlock.

    public static native int pthread_mutex_trylock(long mutex);

    public static native int pthread_mutex_timedlock(long mutex, long absTimespec);

    public static native int pthread_mutex_unlock(long mutex);

    public static native int pthread_mutex_consistent(long mutex);

    /** @return the errno of the last failed call on this thread */
    public static int errno() {
        return Native.getLastError();
    }

    /** @return the C library's description of an errno value */
    public static String describe(int errno) {
        Pointer p = strerror(errno);
        return p == null ? "errno " + errno : p.getString(0) + " (errno " + errno + ")";
    }

    /** @return the path as a NUL-terminated UTF-8 C string */
    public static byte[] cString(String path) {
        byte[] utf8 = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(utf8, utf8.length + 1);
    }
}
