package io.winipc.internal.linux.objects;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The glibc calls the Linux named-object backend uses (x86_64 numbers and layouts). Functions
 * that report failure through errno return -1; read the code with {@code Native.getLastError()}.
 * The pthread functions return their error code directly.
 */
interface ObjectsLibC extends Library {
    ObjectsLibC C = Native.load("c", ObjectsLibC.class);

    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NONBLOCK = 04000;
    int O_NOFOLLOW = 0400000;
    int O_CLOEXEC = 02000000;
    int O_TMPFILE = 020200000;

    int LOCK_SH = 1;
    int LOCK_EX = 2;
    int LOCK_NB = 4;

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;
    int MAP_PRIVATE = 2;
    int MAP_FIXED = 0x10;
    int MAP_ANONYMOUS = 0x20;
    int MAP_NORESERVE = 0x4000;

    int AT_FDCWD = -100;
    int AT_SYMLINK_FOLLOW = 0x400;

    long SYS_FSTAT = 5;
    long SYS_LSTAT = 6;
    long SYS_FUTEX = 202;
    int FUTEX_WAIT = 0;
    int FUTEX_WAKE = 1;

    int CLOCK_REALTIME = 0;
    int PTHREAD_PROCESS_SHARED = 1;
    int PTHREAD_MUTEX_ROBUST = 1;

    int EPERM = 1;
    int ENOENT = 2;
    int EINTR = 4;
    int EAGAIN = 11;
    int EACCES = 13;
    int EBUSY = 16;
    int EEXIST = 17;
    int EISDIR = 21;
    int EINVAL = 22;
    int EDEADLK = 35;
    int ELOOP = 40;
    int EOPNOTSUPP = 95;
    int ETIMEDOUT = 110;
    int EOWNERDEAD = 130;
    int ENOTRECOVERABLE = 131;

    int open(String path, int flags, int mode);

    int close(int fd);

    int ftruncate(int fd, long length);

    int fchmod(int fd, int mode);

    int flock(int fd, int operation);

    int unlink(String path);

    int linkat(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags);

    Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer address, long length);

    int geteuid();

    int clock_gettime(int clock, Pointer timespec);

    /** fstat: {@code syscall(SYS_FSTAT, fd, struct stat *)}. */
    long syscall(long number, int fd, Pointer stat);

    /** lstat: {@code syscall(SYS_LSTAT, path, struct stat *)}. */
    long syscall(long number, String path, Pointer stat);

    /** futex: {@code syscall(SYS_FUTEX, uaddr, op, val, timeout, uaddr2, val3)}. */
    long syscall(long number, Pointer uaddr, int op, int val, Pointer timeout, Pointer uaddr2, int val3);

    int pthread_mutexattr_init(Pointer attr);

    int pthread_mutexattr_setpshared(Pointer attr, int shared);

    int pthread_mutexattr_setrobust(Pointer attr, int robust);

    int pthread_mutexattr_destroy(Pointer attr);

    int pthread_mutex_init(Pointer mutex, Pointer attr);

    int pthread_mutex_trylock(Pointer mutex);

    int pthread_mutex_timedlock(Pointer mutex, Pointer absTimespec);

    int pthread_mutex_unlock(Pointer mutex);

    int pthread_mutex_consistent(Pointer mutex);
}
