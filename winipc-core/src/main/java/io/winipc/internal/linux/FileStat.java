package io.winipc.internal.linux;

import com.sun.jna.Memory;

/**
 * What the backend needs to know of a file, read with glibc's {@code statx}: the one stat call whose
 * structure ({@code struct statx}, 256 bytes) has the same layout on every architecture.
 *
 * @param dev the device, major and minor combined
 * @param ino the inode number
 * @param nlink the number of names the file has
 * @param mode the type and permission bits
 * @param uid the owner
 * @param gid the owning group
 * @param size the size in bytes
 */
public record FileStat(long dev, long ino, long nlink, int mode, int uid, int gid, long size) {
    /** The type bits of {@link #mode}. */
    public static final int S_IFMT = 0170000;
    /** A regular file. */
    public static final int S_IFREG = 0100000;
    private static final int STATX_SIZE = 256;
    /** STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | STATX_INO | STATX_SIZE. */
    private static final int STATX_WANTED = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x100 | 0x200;
    private static final byte[] EMPTY_PATH = {0};

    /**
     * @param fd an open descriptor
     * @return its status
     * @throws io.winipc.WinipcOsException if statx fails
     */
    public static FileStat of(int fd) {
        FileStat st = read(fd, EMPTY_PATH, LibC.AT_EMPTY_PATH);
        if (st == null) {
            throw Errno.exception("fstat (statx) failed", LibC.errno());
        }
        return st;
    }

    /**
     * @param path a path, whose last component is not followed if it is a symbolic link
     * @return its status, or null if it cannot be read (errno tells why)
     */
    public static FileStat ofLink(String path) {
        return read(LibC.AT_FDCWD, LibC.cString(path), LibC.AT_SYMLINK_NOFOLLOW);
    }

    private static FileStat read(int dirFd, byte[] path, int flags) {
        try (Memory m = new Memory(STATX_SIZE)) {
            if (LibC.statx(dirFd, path, flags, STATX_WANTED, m) != 0) {
                return null;
            }
            long dev = ((long) m.getInt(136) << 32) | (m.getInt(140) & 0xffffffffL);
            return new FileStat(dev, m.getLong(32), m.getInt(16) & 0xffffffffL, m.getShort(28) & 0xffff, m.getInt(20), m.getInt(24),
                    m.getLong(40));
        }
    }

    /** @return whether the file is a regular file */
    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** @return whether both describe the same file */
    public boolean sameFileAs(FileStat other) {
        return other != null && dev == other.dev && ino == other.ino;
    }
}
