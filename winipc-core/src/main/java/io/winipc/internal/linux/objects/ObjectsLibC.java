package io.winipc.internal.linux.objects;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The glibc calls the Linux named-object backend uses (x86_64 numbers and layouts). Functions
 * that report failure through errno return -1; read the code with {@code Native.getLastError()}.
 * The pthread functions return their error code directly. Bound with JNA's direct mapping: a
 * call costs a JNI transition, where an interface mapping would also go through reflection and
 * argument conversion on every lock, wait and release.
 */
final class ObjectsLibC {
    static {
        Native.register(ObjectsLibC.class, NativeLibrary.getInstance("c"));
    }

    private ObjectsLibC() {
    }

    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NONBLOCK = 04000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CLOEXEC = 02000000;
    static final int O_TMPFILE = 020200000;

    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_FOLLOW = 0x400;

    static final long SYS_FSTAT = 5;
    static final long SYS_LSTAT = 6;
    static final long SYS_FUTEX = 202;
    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;

    static final int PTHREAD_PROCESS_SHARED = 1;
    static final int PTHREAD_MUTEX_ROBUST = 1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int EDEADLK = 35;
    static final int ELOOP = 40;
    static final int EOPNOTSUPP = 95;
    static final int ETIMEDOUT = 110;
    static final int EOWNERDEAD = 130;
    static final int ENOTRECOVERABLE = 131;

    static native int open(String path, int flags, int mode);

    static native int close(int fd);

    static native int ftruncate(int fd, long length);

    static native int fchmod(int fd, int mode);

    static native int flock(int fd, int operation);

    static native int unlink(String path);

    static native int linkat(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags);

    static native Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer address, long length);

    static native int geteuid();

    /** fstat: {@code syscall(SYS_FSTAT, fd, struct stat *)}. */
    static native long syscall(long number, int fd, Pointer stat);

    /** lstat: {@code syscall(SYS_LSTAT, path, struct stat *)}. */
    static native long syscall(long number, String path, Pointer stat);

    /**
     * futex: {@code syscall(SYS_FUTEX, uaddr, op, val, timeout, uaddr2, val3)}, addresses as plain
     * {@code long}s (x86_64: a pointer is a 64-bit integer argument), so that the call converts no
     * {@code Pointer}; a timeout of 0 is NULL.
     */
    static native long syscall(long number, long uaddr, int op, int val, long timeout, long uaddr2, int val3);

    static native int pthread_mutexattr_init(Pointer attr);

    static native int pthread_mutexattr_setpshared(Pointer attr, int shared);

    static native int pthread_mutexattr_setrobust(Pointer attr, int robust);

    static native int pthread_mutexattr_destroy(Pointer attr);

    static native int pthread_mutex_init(Pointer mutex, Pointer attr);

    // The lock calls take the mutex's address as a long: they are the hot path of every lock/unlock.

    static native int pthread_mutex_trylock(long mutex);

    static native int pthread_mutex_timedlock(long mutex, long absTimespec);

    static native int pthread_mutex_unlock(long mutex);

    static native int pthread_mutex_consistent(long mutex);
}
