package io.winipc.internal.linux;

import io.winipc.Scope;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where pipe sockets live on Linux, and how a name becomes a socket path.
 *
 * <ul>
 *   <li>LOCAL: {@code $XDG_RUNTIME_DIR/winipc} when XDG_RUNTIME_DIR is set, else
 *       {@code /tmp/winipc-<uid>}. Created 0700 by the creating mkdir itself (never wider, under
 *       any umask) and checked on every use: it must be a real
 *       directory (not a link), owned by the current user, with no access for group or others.</li>
 *   <li>GLOBAL: {@code /tmp/winipc-global}, created 1777 (world-writable with the sticky bit, like
 *       /tmp) and checked on every use: owned by root or the current user, sticky, not a link.</li>
 * </ul>
 * A name maps to {@code <directory>/<encoded name>.sock}, where the encoding keeps ASCII letters,
 * digits, '.', '_' and '-' and writes every other byte of the name's UTF-8 form as {@code %XX}
 * (upper-case hex), so {@code myapp/control} becomes {@code myapp%2Fcontrol.sock}. When that path
 * would pass the 107-byte limit of a socket address, the file is
 * {@code <directory>/h-<first 40 hex digits of SHA-256 of the UTF-8 name>.sock} instead.
 */
final class RuntimeDirectories {
    /** The longest path a sockaddr_un holds, without its terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    static final Path GLOBAL = Path.of("/tmp/winipc-global");

    private RuntimeDirectories() {
    }

    /** @return the directory for the scope, created if missing, after checking it is safe to use */
    static Path directory(Scope scope, int uid) {
        Path dir = scope == Scope.GLOBAL ? GLOBAL : localDirectory(uid);
        ensure(dir, scope, uid);
        return dir;
    }

    static Path localDirectory(int uid) {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "winipc");
        }
        return Path.of("/tmp", "winipc-" + uid);
    }

    /** @return the socket path of a (validated) name in a directory */
    static Path socketPath(Path directory, String name) {
        Path plain = directory.resolve(encode(name) + ".sock");
        if (plain.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return plain;
        }
        Path hashed = directory.resolve("h-" + sha256Hex(name).substring(0, 40) + ".sock");
        if (hashed.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("the runtime directory " + directory
                    + " is too long to hold a socket path (limit " + MAX_SOCKET_PATH + " bytes)");
        }
        return hashed;
    }

    static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static String sha256Hex(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static void ensure(Path dir, Scope scope, int uid) {
        boolean global = scope == Scope.GLOBAL;
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                createParents(dir.getParent());
                // The final mode in the creating call: a umask can only narrow it, never open it, so
                // there is no moment in which another account could add a file or a concurrent user
                // of this account would find the directory open to others.
                if (LibC.mkdir(LibC.cString(dir.toString()), global ? 01777 : 0700) == 0) {
                    // Put back what the umask took (world access to GLOBAL, owner bits under an
                    // unusual umask): this widens nothing beyond the mode created above.
                    if (LibC.chmod(LibC.cString(dir.toString()), global ? 01777 : 0700) != 0) {
                        throw new IOException("chmod " + dir + " failed: " + LibC.describe(LibC.errno()));
                    }
                } else if (LibC.errno() != LibC.EEXIST) {
                    // EEXIST: another thread or process created it first; the checks below decide.
                    throw new IOException("mkdir " + dir + " failed: " + LibC.describe(LibC.errno()));
                }
            }
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new WinipcAccessDeniedException("refusing to use " + dir + ": it is not a plain directory", 0);
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (global) {
                if (owner != 0 && owner != uid) {
                    throw new WinipcAccessDeniedException("refusing to use " + dir + ": it belongs to uid " + owner
                            + ", not to root or the current user", 0);
                }
                if ((mode & 01000) == 0 && (mode & 022) != 0) {
                    throw new WinipcAccessDeniedException("refusing to use " + dir
                            + ": it is writable by others without the sticky bit (mode " + Integer.toOctalString(mode & 07777) + ")", 0);
                }
            } else {
                if (owner != uid) {
                    throw new WinipcAccessDeniedException("refusing to use " + dir + ": it belongs to uid " + owner
                            + ", not to the current user (uid " + uid + ")", 0);
                }
                if ((mode & 077) != 0) {
                    throw new WinipcAccessDeniedException("refusing to use " + dir + ": it is open to others (mode "
                            + Integer.toOctalString(mode & 07777) + "; expected 700)", 0);
                }
            }
        } catch (IOException e) {
            throw new WinipcOsException("cannot prepare the runtime directory " + dir + ": " + e, 0, e);
        }
    }

    /** Creates missing parents (such as an XDG_RUNTIME_DIR that does not exist yet) private to the user. */
    private static void createParents(Path parent) throws IOException {
        if (parent == null || Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createParents(parent.getParent());
        if (LibC.mkdir(LibC.cString(parent.toString()), 0700) != 0 && LibC.errno() != LibC.EEXIST) {
            throw new IOException("mkdir " + parent + " failed: " + LibC.describe(LibC.errno()));
        }
    }
}
