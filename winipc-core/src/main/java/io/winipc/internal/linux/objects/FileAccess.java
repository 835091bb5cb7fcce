package io.winipc.internal.linux.objects;

import com.sun.jna.Native;
import io.winipc.AccessPolicy;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.internal.linux.Errno;
import io.winipc.internal.linux.FileStat;
import io.winipc.internal.linux.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The permissions of a named object's file under an {@link AccessPolicy}, on both sides: the
 * creator applies them to the file before it has a name (so nobody can open it in between), and
 * whoever opens an existing file checks that it admits nobody the policy does not name.
 *
 * <ul>
 *   <li>current user only: mode {@code 0600}, no ACL;
 *   <li>one extra group and no extra user: the file's group is that group, mode {@code 0660};
 *   <li>extra users, or more than one group: mode {@code 0660} with a POSIX access ACL
 *       ({@code user::rw-}, {@code user:<uid>:rw-} per extra uid, {@code group::rw-} for the first
 *       gid (which owns the file) or {@code group::---} if there is none, {@code group:<gid>:rw-}
 *       per further gid, {@code mask::rw-}, {@code other::---}). Where the file system has no
 *       POSIX ACLs (tmpfs without {@code CONFIG_TMPFS_POSIX_ACL}) the creation is refused.
 * </ul>
 * Every file is {@code rw} for who it admits: the API has no read-only grant. "Other" never gets
 * any bit.
 */
final class FileAccess {
    private static final byte[] ACL_XATTR = LibC.cString("system.posix_acl_access");
    private static final int ACL_VERSION = 2;
    private static final int ACL_USER_OBJ = 0x01;
    private static final int ACL_USER = 0x02;
    private static final int ACL_GROUP_OBJ = 0x04;
    private static final int ACL_GROUP = 0x08;
    private static final int ACL_MASK = 0x10;
    private static final int ACL_OTHER = 0x20;
    private static final int UNDEFINED_ID = -1;
    private static final int RW = 6;
    private static final int MAX_ACL_ENTRIES = 256;

    private FileAccess() {
    }

    /**
     * Applies the policy to a file of the current user that has no name yet (or a random, private
     * one) and mode 0600.
     */
    static void apply(int fd, AccessPolicy policy, String what) {
        if (policy.isCurrentUserOnly()) {
            return;
        }
        int[] uids = Arrays.stream(policy.extraUids()).distinct().filter(u -> u != NamedFiles.euid()).toArray();
        int[] gids = Arrays.stream(policy.extraGids()).distinct().toArray();
        if (gids.length > 0 && LibC.fchown(fd, -1, gids[0]) != 0) {
            throw Errno.exception("cannot give " + what + " to group " + gids[0]
                    + " (a process may give its files only to groups it is a member of, unless it is root)", Native.getLastError());
        }
        if (uids.length == 0 && gids.length <= 1) {
            if (gids.length == 1 && LibC.fchmod(fd, 0660) != 0) {
                throw Errno.exception("cannot set the mode of " + what, Native.getLastError());
            }
            return;
        }
        ByteBuffer acl = ByteBuffer.allocate(4 + 8 * (5 + uids.length + gids.length)).order(ByteOrder.LITTLE_ENDIAN);
        acl.putInt(ACL_VERSION);
        putEntry(acl, ACL_USER_OBJ, RW, UNDEFINED_ID);
        for (int uid : Arrays.stream(uids).sorted().toArray()) {
            putEntry(acl, ACL_USER, RW, uid);
        }
        putEntry(acl, ACL_GROUP_OBJ, gids.length > 0 ? RW : 0, UNDEFINED_ID);
        for (int gid : Arrays.stream(gids).skip(1).sorted().toArray()) {
            putEntry(acl, ACL_GROUP, RW, gid);
        }
        putEntry(acl, ACL_MASK, RW, UNDEFINED_ID);
        putEntry(acl, ACL_OTHER, 0, UNDEFINED_ID);
        byte[] value = Arrays.copyOf(acl.array(), acl.position());
        if (LibC.fsetxattr(fd, ACL_XATTR, value, value.length, 0) != 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EOPNOTSUPP) {
                throw new UnsupportedOperationException("cannot admit " + (uids.length > 0 ? "uids " + Arrays.toString(uids)
                        : "more than one group") + " to " + what + ": the file system of " + NamedFiles.DIRECTORY
                        + " has no POSIX ACLs (tmpfs needs a kernel built with CONFIG_TMPFS_POSIX_ACL);"
                        + " admit a single group instead (AccessPolicy.allowingGids)");
            }
            throw Errno.exception("cannot set the access ACL of " + what, errno);
        }
    }

    private static void putEntry(ByteBuffer acl, int tag, int perm, int id) {
        acl.putShort((short) tag).putShort((short) perm).putInt(id);
    }

    /**
     * Checks that an existing file admits nobody but its owner and what the policy names: no bit for
     * "other"; group bits only for a group the policy names, or (with an ACL) only entries for uids
     * and gids the policy names.
     *
     * @throws WinipcAccessDeniedException naming what is open to whom
     */
    static void check(int fd, FileStat st, AccessPolicy policy, String path, String what) {
        int perm = st.mode() & 0777;
        if ((perm & 077) == 0) {
            return;
        }
        if ((perm & 07) != 0) {
            throw refused(path, "is open to every user (mode " + Integer.toOctalString(perm) + ")", what);
        }
        int[] entries = readAcl(fd, path, what);
        if (entries == null) {
            if (!contains(policy.extraGids(), st.gid())) {
                throw refused(path, "is open to group " + st.gid() + " (mode " + Integer.toOctalString(perm)
                        + "), which " + policy + " does not admit", what);
            }
            return;
        }
        for (int i = 0; i < entries.length; i += 3) {
            int tag = entries[i];
            int entryPerm = entries[i + 1];
            int id = entries[i + 2];
            boolean admitted = switch (tag) {
                case ACL_USER -> contains(policy.extraUids(), id) || id == st.uid() || id == NamedFiles.euid();
                case ACL_GROUP -> contains(policy.extraGids(), id);
                case ACL_GROUP_OBJ -> entryPerm == 0 || contains(policy.extraGids(), st.gid());
                case ACL_OTHER -> entryPerm == 0;
                default -> true;
            };
            if (!admitted && entryPerm != 0) {
                String who = switch (tag) {
                    case ACL_USER -> "uid " + id;
                    case ACL_GROUP -> "gid " + id;
                    case ACL_GROUP_OBJ -> "its group " + st.gid();
                    default -> "every user";
                };
                throw refused(path, "has an ACL that admits " + who + ", which " + policy + " does not admit", what);
            }
        }
    }

    /** @return tag, perm, id triples of the file's access ACL, or null if it has none */
    private static int[] readAcl(int fd, String path, String what) {
        byte[] value = new byte[4 + 8 * MAX_ACL_ENTRIES];
        long n = LibC.fgetxattr(fd, ACL_XATTR, value, value.length);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.ENODATA || errno == LibC.EOPNOTSUPP) {
                return null;
            }
            throw Errno.exception("cannot read the access ACL of " + path + " for " + what, errno);
        }
        ByteBuffer acl = ByteBuffer.wrap(value, 0, (int) n).order(ByteOrder.LITTLE_ENDIAN);
        if (n < 4 || (n - 4) % 8 != 0 || acl.getInt() != ACL_VERSION) {
            throw refused(path, "has an access ACL winipc cannot read", what);
        }
        int[] entries = new int[(int) (n - 4) / 8 * 3];
        for (int i = 0; i < entries.length; i += 3) {
            entries[i] = acl.getShort() & 0xffff;
            entries[i + 1] = acl.getShort() & 0xffff;
            entries[i + 2] = acl.getInt();
        }
        return entries;
    }

    private static boolean contains(int[] ids, int id) {
        return Arrays.stream(ids).anyMatch(x -> x == id);
    }

    private static WinipcAccessDeniedException refused(String path, String why, String what) {
        return new WinipcAccessDeniedException(path + " " + why + "; refusing to use it for " + what, LibC.EACCES);
    }
}
