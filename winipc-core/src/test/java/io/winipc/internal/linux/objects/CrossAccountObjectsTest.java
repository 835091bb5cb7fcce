package io.winipc.internal.linux.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.internal.linux.LibC;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Semaphore;
import io.winipc.testing.OtherUserJvm;
import io.winipc.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Linux named objects admit the accounts an {@link AccessPolicy} names, and nobody else: the test
 * JVM (root) is the service; peers run as other uids with setpriv. Needs root.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrossAccountObjectsTest {
    private static final int GROUP = 64000;
    private static final int MEMBER = 64001;
    private static final int STRANGER = 64002;
    private static final int NOBODY = 65534;
    private static final int SECOND = 64003;
    private static final String OK = "shm hello, event signalled, semaphore released";

    @Test
    void aMemberOfAnAllowedGroupUsesTheObjectsAndAnotherUidIsRefused() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("group");
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingGids(GROUP);
        try (Service service = new Service(name, policy)) {
            for (Path file : service.files()) {
                assertThat(Files.getAttribute(file, "unix:mode")).as(file.toString()).isEqualTo(0100660);
                assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(GROUP);
            }
            assertThat(OtherUserJvm.run(MEMBER, MEMBER, String.valueOf(GROUP), Peer.class, name, "gid:" + GROUP)).isEqualTo(OK);
            service.assertPeerWasThere();

            // The kernel refuses a uid outside the group.
            assertThat(OtherUserJvm.run(STRANGER, STRANGER, "", Peer.class, name, "gid:" + GROUP))
                    .contains("shm refused: " + WinipcAccessDeniedException.class.getName())
                    .contains("event refused: ").contains("semaphore refused: ").doesNotContain("hello");
            // winipc refuses a member whose own policy does not admit the group: open exactly as wide as allowed.
            assertThat(OtherUserJvm.run(MEMBER, MEMBER, String.valueOf(GROUP), Peer.class, name, "none"))
                    .contains("shm refused: ").contains("is open to group " + GROUP).doesNotContain("hello");
        }
    }

    @Test
    void anAllowedUidIsAdmittedThroughAnAclAndAnotherUidIsRefused() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("acl");
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingUids(NOBODY, SECOND);
        String both = "uid:" + NOBODY + "," + SECOND;
        try (Service service = new Service(name, policy)) {
            for (Path file : service.files()) {
                // The group bits of a file with an ACL are its mask; the owning group itself gets nothing.
                assertThat(Files.getAttribute(file, "unix:mode")).as(file.toString()).isEqualTo(0100660);
                assertThat(acl(file)).isEqualTo("user::rw-,user:" + SECOND + ":rw-,user:" + NOBODY + ":rw-,group::---,mask::rw-,other::---");
            }
            assertThat(OtherUserJvm.run(NOBODY, NOBODY, "", Peer.class, name, both)).isEqualTo(OK);
            service.assertPeerWasThere();

            assertThat(OtherUserJvm.run(STRANGER, STRANGER, "", Peer.class, name, both))
                    .contains("shm refused: " + WinipcAccessDeniedException.class.getName())
                    .contains("event refused: ").contains("semaphore refused: ").doesNotContain("hello");
            // An entry for the opener itself widens nothing; one for a uid its policy does not name does.
            assertThat(OtherUserJvm.run(NOBODY, NOBODY, "", Peer.class, name, "uid:" + NOBODY))
                    .contains("shm refused: ").contains("has an ACL that admits uid " + SECOND).doesNotContain("hello");
        }
    }

    @Test
    void aSquatterOfAnAllowedGroupCannotTakeOverTheName() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        NamedObjectOptions options = NamedObjectOptions.defaults().withScope(Scope.GLOBAL)
                .withAccess(AccessPolicy.currentUserOnly().allowingGids(GROUP));

        // First: the member takes the name before the service, with the mode and group the service would use.
        String squatted = TestNames.unique("squatted");
        Path file = Path.of(NamedFiles.path("event", squatted, options));
        Process squatter = new ProcessBuilder("setpriv", "--reuid=" + MEMBER, "--regid=" + MEMBER, "--groups=" + GROUP,
                "/usr/bin/python3", "-c", String.join("\n",
                        "import os, sys, fcntl",
                        "fd = os.open(sys.argv[1], os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)",
                        "os.ftruncate(fd, 4096)",
                        "os.fchown(fd, -1, " + GROUP + ")",
                        "os.fchmod(fd, 0o660)",
                        "fcntl.flock(fd, fcntl.LOCK_SH)",
                        "print('HOLDING', flush=True)",
                        "sys.stdin.read()",
                        "os.unlink(sys.argv[1])"), file.toString()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(squatter.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("HOLDING");
            assertThatThrownBy(() -> Event.create(squatted, EventResetMode.MANUAL, false, options))
                    .isInstanceOf(WinipcAccessDeniedException.class)
                    .hasMessageContaining("belongs to uid " + MEMBER);
        } finally {
            squatter.getOutputStream().close();
            assertThat(squatter.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // Then: the service holds the name; the member can use it but neither remove nor replace it.
        String owned = TestNames.unique("owned");
        try (Event event = Event.create(owned, EventResetMode.MANUAL, false, options)) {
            Path path = Path.of(NamedFiles.path("event", owned, options));
            Object inode = Files.getAttribute(path, "unix:ino");
            Process p = new ProcessBuilder("setpriv", "--reuid=" + MEMBER, "--regid=" + MEMBER, "--groups=" + GROUP,
                    "/usr/bin/python3", "-c", String.join("\n",
                            "import os, sys",
                            "for attempt in (lambda: os.unlink(sys.argv[1]), lambda: os.rename(sys.argv[1], sys.argv[1] + '.x'),",
                            "                lambda: os.open(sys.argv[1], os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)):",
                            "    try:",
                            "        attempt()",
                            "        print('DONE')",
                            "    except OSError as e:",
                            "        print(type(e).__name__)"), path.toString()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .containsExactly("PermissionError", "PermissionError", "FileExistsError");
            assertThat(Files.getAttribute(path, "unix:ino")).isEqualTo(inode);
            assertThat(event.isOpen()).isTrue();
        }
    }

    @Test
    void windowsAccountsAloneLeaveTheRegionFilePrivate() throws Exception {
        String name = TestNames.unique("windows-only");
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingSids("BA").allowingAccounts("IU", ".\\desktop");
        NamedObjectOptions options = NamedObjectOptions.defaults().withScope(Scope.GLOBAL).withAccess(policy);
        try (SharedMemory shm = SharedMemory.create(name, 4096, options)) {
            assertThat(Files.getAttribute(Path.of(NamedFiles.path("shm", name, options)), "unix:mode")).isEqualTo(0100600);
        }
    }

    /** @return the file's access ACL as getfacl prints it, on one line (read with Python: no acl tools needed) */
    private static String acl(Path file) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import os, struct, sys",
                "b = os.getxattr(sys.argv[1], 'system.posix_acl_access')",
                "names = {1: 'user::', 2: 'user:', 4: 'group::', 8: 'group:', 16: 'mask::', 32: 'other::'}",
                "out = []",
                "for i in range(4, len(b), 8):",
                "    tag, perm, uid = struct.unpack('<HHI', b[i:i + 8])",
                "    rwx = ('r' if perm & 4 else '-') + ('w' if perm & 2 else '-') + ('x' if perm & 1 else '-')",
                "    out.append(names[tag] + (str(uid) + ':' if tag in (2, 8) else '') + rwx)",
                "print(','.join(out))"), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** The service side: creates the three objects in GLOBAL scope with the policy. */
    private static final class Service implements AutoCloseable {
        private final NamedObjectOptions options;
        private final String name;
        private final SharedMemory shm;
        private final Event event;
        private final Semaphore semaphore;

        Service(String name, AccessPolicy policy) {
            this.name = name;
            this.options = NamedObjectOptions.defaults().withScope(Scope.GLOBAL).withAccess(policy);
            shm = SharedMemory.create(name, 4096, options);
            shm.write(0, "hello".getBytes(StandardCharsets.UTF_8));
            event = Event.create(name, EventResetMode.MANUAL, false, options);
            semaphore = Semaphore.create(name, 0, 10, options);
        }

        Path[] files() {
            return new Path[] {Path.of(NamedFiles.path("shm", name, options)), Path.of(NamedFiles.path("event", name, options)),
                    Path.of(NamedFiles.path("sem", name, options))};
        }

        void assertPeerWasThere() {
            assertThat(event.await(Duration.ofSeconds(10))).isTrue();
            assertThat(semaphore.tryAcquire(Duration.ofSeconds(10))).isTrue();
            assertThat(new String(shm.read(8, 5), StandardCharsets.UTF_8)).isEqualTo("world");
            event.reset();
            shm.write(8, new byte[5]);
        }

        @Override
        public void close() {
            shm.close();
            event.close();
            semaphore.close();
        }
    }

    /**
     * Runs as another user: opens the region, the event and the semaphore of args[0] (GLOBAL) with
     * the policy of args[1] ({@code gid:N,...}, {@code uid:N,...} or {@code none}) and uses each; prints
     * what happened to each on one line.
     */
    public static final class Peer {
        public static void main(String[] args) {
            int[] ids = args[1].equals("none") ? new int[0]
                    : java.util.Arrays.stream(args[1].substring(4).split(",")).mapToInt(Integer::parseInt).toArray();
            AccessPolicy policy = args[1].startsWith("gid:") ? AccessPolicy.currentUserOnly().allowingGids(ids)
                    : AccessPolicy.currentUserOnly().allowingUids(ids);
            NamedObjectOptions options = NamedObjectOptions.defaults().withScope(Scope.GLOBAL).withAccess(policy);
            StringBuilder out = new StringBuilder();
            try (SharedMemory shm = SharedMemory.open(args[0], options)) {
                out.append("shm ").append(new String(shm.read(0, 5), StandardCharsets.UTF_8));
                shm.write(8, "world".getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                out.append("shm refused: ").append(e.getClass().getName()).append(": ").append(e.getMessage());
            }
            try (Event event = Event.open(args[0], options)) {
                event.signal();
                out.append(", event signalled");
            } catch (RuntimeException e) {
                out.append(", event refused: ").append(e.getClass().getName()).append(": ").append(e.getMessage());
            }
            try (Semaphore semaphore = Semaphore.open(args[0], options)) {
                semaphore.release();
                out.append(", semaphore released");
            } catch (RuntimeException e) {
                out.append(", semaphore refused: ").append(e.getClass().getName()).append(": ").append(e.getMessage());
            }
            System.out.println(out);
        }
    }
}
