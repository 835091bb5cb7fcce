package io.winipc.internal.linux.objects;

import com.sun.jna.Native;
import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.Scope;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import io.winipc.internal.Account;
import io.winipc.internal.OpenMode;
import io.winipc.internal.linux.Errno;
import io.winipc.internal.linux.FileStat;
import io.winipc.internal.linux.LibC;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files in /dev/shm that carry named objects, and their lifetime protocol.
 *
 * <p><b>Names.</b> {@code /dev/shm/winipc-u<euid>-<kind>-<encoded name>} for LOCAL scope and
 * {@code /dev/shm/winipc-g-<kind>-<encoded name>} for GLOBAL, where kind is {@code shm},
 * {@code mutex}, {@code event} or {@code sem}, and the name is encoded byte by byte in UTF-8:
 * {@code A-Z a-z 0-9 . _ -} stay, every other byte becomes {@code %XX} (upper-case hex), so
 * {@code myapp/buffer} becomes {@code myapp%2Fbuffer}. If the file name would pass 255 bytes,
 * the encoded name is replaced by {@code h-} and the SHA-256 of the UTF-8 name in lower-case hex.
 *
 * <p><b>Lifetime.</b> Every holder keeps an open descriptor with a shared {@code flock} on the
 * file. A file is published fully initialised and already share-locked (it is built as an
 * unnamed O_TMPFILE and then linked to its name), so a file at a name is either live (someone
 * holds a shared lock) or a leftover of holders that all died. To let go, a holder converts its
 * lock to exclusive without waiting: if that succeeds nobody else holds the file, and it unlinks
 * it (after checking that the name still refers to the same file) before closing. Whoever opens a
 * name first tries an exclusive lock without waiting: success means a leftover, which is unlinked
 * and never handed out; otherwise it takes a shared lock and checks that the name still refers
 * to the file it opened (a holder may have let go in between), retrying if not. The first use
 * in each process also sweeps {@code /dev/shm} once for leftovers of the current user (files
 * nobody holds), so that names never used again do not linger after a crash.
 *
 * <p>A non-Java peer must follow the same protocol: hold a shared {@code flock} on its descriptor
 * for as long as it uses the object, or the file counts as a leftover.
 */
final class NamedFiles {
    static final String DIRECTORY = "/dev/shm";
    private static final int MAX_FILE_NAME = 255;

    private NamedFiles() {
    }

    /** Fills a freshly created, still unnamed file before it is published. */
    interface Initializer {
        void initialize(int fd);
    }

    /** A file this process holds: descriptor with a shared lock, and the path it was found at. */
    record Held(int fd, String path, long size, boolean created) {
    }

    static String path(String kind, String name, NamedObjectOptions options) {
        String prefix = options.scope() == Scope.GLOBAL ? "winipc-g-" + kind + "-" : "winipc-u" + euid() + "-" + kind + "-";
        String encoded = encode(name);
        if (prefix.length() + encoded.length() > MAX_FILE_NAME) {
            encoded = "h-" + sha256(name);
        }
        return DIRECTORY + "/" + prefix + encoded;
    }

    static int euid() {
        return LibC.geteuid();
    }

    static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static String sha256(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Obtains the file at {@code path} as {@code mode} asks.
     *
     * @param options whom a new file admits ({@link FileAccess}), and whose existing file is accepted
     * @param what names the object in messages, e.g. "shared memory 'x'"
     * @param init fills a new file; null with OPEN_EXISTING
     */
    static Held acquire(String path, OpenMode mode, NamedObjectOptions options, String what, Initializer init) {
        sweepLeftoversOnce();
        for (int attempt = 0; attempt < 1000; attempt++) {
            if (mode != OpenMode.OPEN_EXISTING) {
                Held created = createPublished(path, options.access(), what, init);
                if (created != null) {
                    return created;
                }
            }
            int fd = openExisting(path);
            if (fd < 0) {
                int errno = Native.getLastError();
                if (errno == LibC.ENOENT) {
                    if (mode == OpenMode.OPEN_EXISTING) {
                        throw new ObjectNotFoundException(what + " does not exist (no " + path + ")", errno);
                    }
                    continue;
                }
                throw Errno.exception("cannot open " + what + " at " + path, errno);
            }
            long size;
            try {
                size = checkOwner(fd, path, options, what);
            } catch (RuntimeException e) {
                LibC.close(fd);
                throw e;
            }
            if (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) == 0) {
                // Nobody holds it: a leftover of processes that died. Reclaim it, never hand it out.
                if (sameFile(fd, path)) {
                    LibC.unlink(LibC.cString(path));
                }
                LibC.close(fd);
                if (mode == OpenMode.OPEN_EXISTING) {
                    throw new ObjectNotFoundException(what + " does not exist (a leftover of a dead process was removed)",
                            LibC.ENOENT);
                }
                continue;
            }
            while (LibC.flock(fd, LibC.LOCK_SH) != 0) {
                int errno = Native.getLastError();
                if (errno != LibC.EINTR) {
                    LibC.close(fd);
                    throw Errno.exception("cannot lock " + what, errno);
                }
            }
            if (!sameFile(fd, path)) {
                // Its last holder let go between our open and our lock.
                LibC.close(fd);
                if (mode == OpenMode.OPEN_EXISTING) {
                    throw new ObjectNotFoundException(what + " does not exist", LibC.ENOENT);
                }
                continue;
            }
            if (mode == OpenMode.CREATE_EXCLUSIVE) {
                release(fd, path);
                throw new ObjectExistsException(what + " already exists", LibC.EEXIST);
            }
            return new Held(fd, path, size, false);
        }
        throw new WinipcOsException("could not obtain " + what + ": the name kept changing hands", 0);
    }

    /** Opens without following a symlink and without blocking on a planted FIFO. */
    private static int openExisting(String path) {
        return LibC.open(LibC.cString(path), LibC.O_RDWR | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean SWEPT = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Once per process, removes leftovers of this user's processes that died holding objects (whose
     * names may never be used again): files of ours that nobody holds. Live files are untouched.
     */
    static void sweepLeftoversOnce() {
        if (!SWEPT.compareAndSet(false, true)) {
            return;
        }
        String local = "winipc-u" + euid() + "-";
        String[] names = new java.io.File(DIRECTORY).list();
        if (names == null) {
            return;
        }
        for (String n : names) {
            if (!(n.startsWith(local) || n.startsWith("winipc-g-")) || n.contains(".tmp-")) {
                continue;
            }
            String path = DIRECTORY + "/" + n;
            int fd = openExisting(path);
            if (fd < 0) {
                continue;
            }
            try {
                FileStat st = fstat(fd);
                if (st.isRegularFile() && st.uid() == euid()
                        && LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) == 0 && sameFile(fd, path)) {
                    LibC.unlink(LibC.cString(path));
                }
            } catch (RuntimeException ignored) {
                // Best effort: a file that vanished or cannot be inspected is left to its next user.
            } finally {
                LibC.close(fd);
            }
        }
    }

    /** Lets go of a held file; the last holder removes it. */
    static void release(int fd, String path) {
        if (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) == 0 && sameFile(fd, path)) {
            LibC.unlink(LibC.cString(path));
        }
        LibC.close(fd);
    }

    /** @return the held new file, or null if the name is taken */
    private static Held createPublished(String path, AccessPolicy access, String what, Initializer init) {
        int fd = LibC.open(LibC.cString(DIRECTORY), LibC.O_TMPFILE | LibC.O_RDWR | LibC.O_CLOEXEC, 0600);
        boolean unnamed = fd >= 0;
        String tempPath = null;
        if (!unnamed) {
            int errno = Native.getLastError();
            if (errno != LibC.EOPNOTSUPP && errno != LibC.EISDIR && errno != LibC.EINVAL) {
                throw Errno.exception("cannot create " + what + " in " + DIRECTORY, errno);
            }
            // No O_TMPFILE: build it under a random name first (a crash here can leave that name behind).
            tempPath = path + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            fd = LibC.open(LibC.cString(tempPath), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW
                    | LibC.O_CLOEXEC, 0600);
            if (fd < 0) {
                throw Errno.exception("cannot create " + what + " at " + tempPath, Native.getLastError());
            }
        }
        boolean published = false;
        try {
            if (LibC.fchmod(fd, 0600) != 0) {
                throw Errno.exception("cannot set the mode of " + what, Native.getLastError());
            }
            FileAccess.apply(fd, access, what);
            if (LibC.flock(fd, LibC.LOCK_SH) != 0) {
                throw Errno.exception("cannot lock " + what, Native.getLastError());
            }
            init.initialize(fd);
            int r = unnamed
                    ? LibC.linkat(LibC.AT_FDCWD, LibC.cString("/proc/self/fd/" + fd), LibC.AT_FDCWD, LibC.cString(path), LibC.AT_SYMLINK_FOLLOW)
                    : LibC.linkat(LibC.AT_FDCWD, LibC.cString(tempPath), LibC.AT_FDCWD, LibC.cString(path), 0);
            if (r != 0) {
                int errno = Native.getLastError();
                if (errno == LibC.EEXIST) {
                    return null;
                }
                throw Errno.exception("cannot publish " + what + " at " + path, errno);
            }
            published = true;
            return new Held(fd, path, fstat(fd).size(), true);
        } finally {
            if (tempPath != null) {
                LibC.unlink(LibC.cString(tempPath));
            }
            if (!published) {
                LibC.close(fd);
            }
        }
    }

    /**
     * @return the file's size, after checking that it is a regular file, that its owner is the
     *     current user or one the options' owner trust names, and that it admits nobody the options'
     *     access policy does not name
     */
    private static long checkOwner(int fd, String path, NamedObjectOptions options, String what) {
        FileStat st = fstat(fd);
        if (!st.isRegularFile()) {
            throw new WinipcAccessDeniedException(path + " is not a regular file; refusing to use it for " + what, 0);
        }
        int me = euid();
        if (st.uid() != me) {
            // The file's group is not its owner's group: only the owner's uid counts for the trust.
            Account owner = Account.linux(st.uid(), -1, me);
            if (!owner.isTrustedBy(options.ownerTrust())) {
                throw new WinipcAccessDeniedException(path + " belongs to uid " + st.uid() + ", not to the current user (uid "
                        + me + ") nor to an account " + options.ownerTrust() + " trusts; refusing to use it for " + what,
                        LibC.EACCES);
            }
        }
        FileAccess.check(fd, st, options.access(), path, what);
        return st.size();
    }

    private static boolean sameFile(int fd, String path) {
        FileStat mine = fstat(fd);
        return mine.nlink() != 0 && mine.sameFileAs(FileStat.ofLink(path));
    }

    static FileStat fstat(int fd) {
        return FileStat.of(fd);
    }
}
