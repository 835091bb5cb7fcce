package io.winipc.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OutOfRangeException;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.SyncChild;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.NamedObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SharedMemoryTest {

    private static String name() {
        return NamedObjects.unique(SharedMemoryTest.class);
    }

    @AfterAll
    static void leavesNothingInDevShm() {
        if (NamedObjects.onLinux()) {
            assertThat(NamedObjects.filesOf(SharedMemoryTest.class)).isEmpty();
        }
    }

    @Test
    void bytesWrittenByOneHandleAreReadByAnother() {
        String name = name();
        try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.open(name)) {
            a.write(100, "shared payload".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(b.read(100, 14), StandardCharsets.UTF_8)).isEqualTo("shared payload");
            assertThat(a.name()).isEqualTo(name);
        }
    }

    @Test
    void newRegionIsZeroFilled() {
        try (SharedMemory shm = SharedMemory.create(name(), 10_000)) {
            assertThat(shm.read(0, 10_000)).containsOnly(0);
        }
    }

    /**
     * The size an opener sees. Exact on Linux. Windows does not keep the declared size of a
     * pagefile-backed section: NtQuerySection(SectionBasicInformation) reports it rounded up to
     * the page (on Windows, as ReactOS's API tests checked against Windows record, and on Wine
     * alike), so there an opener sees the page-rounded size (docs/windows.md, "Shared memory").
     */
    private static long openerSize(long created) {
        return OS.WINDOWS.isCurrentOs() ? (created + 4095) / 4096 * 4096 : created;
    }

    @Test
    void creatorAndOpenerSeeTheExactSize() {
        String name = name();
        try (SharedMemory a = SharedMemory.create(name, 12_345); SharedMemory b = SharedMemory.open(name)) {
            assertThat(a.size()).isEqualTo(12_345);
            assertThat(b.size()).isEqualTo(openerSize(12_345));
            assertThatThrownBy(() -> b.read(b.size(), 1)).isInstanceOf(OutOfRangeException.class);
        }
    }

    @Test
    void createOfALiveNameFailsWithExists() {
        String name = name();
        try (SharedMemory a = SharedMemory.create(name, 64)) {
            assertThatThrownBy(() -> SharedMemory.create(name, 64)).isInstanceOf(ObjectExistsException.class);
            assertThat(a.isOpen()).isTrue();
        }
    }

    @Test
    void openOfAnUnknownNameFailsWithNotFound() {
        assertThatThrownBy(() -> SharedMemory.open(name())).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void regionDisappearsWhenTheLastHolderCloses() {
        String name = name();
        SharedMemory a = SharedMemory.create(name, 64);
        SharedMemory b = SharedMemory.open(name);
        a.close();
        try (SharedMemory c = SharedMemory.open(name)) {
            assertThat(c.size()).isEqualTo(openerSize(64));
        }
        b.close();
        assertThatThrownBy(() -> SharedMemory.open(name)).isInstanceOf(ObjectNotFoundException.class);
        SharedMemory.create(name, 8).close();
    }

    @Test
    void badSizesAreRejected() {
        assertThatThrownBy(() -> SharedMemory.create(name(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedMemory.create(name(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedMemory.create(name(), Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedMemory.create(name(), SharedMemory.MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badNamesAreRejected() {
        assertThatThrownBy(() -> SharedMemory.create("", 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedMemory.create("a/../b", 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedMemory.open(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessOutsideTheRegionIsRefused() {
        try (SharedMemory shm = SharedMemory.create(name(), 100)) {
            assertThatThrownBy(() -> shm.read(-1, 1)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.read(100, 1)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.read(99, 2)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.read(Long.MAX_VALUE, 1)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.write(98, new byte[3])).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.write(100, ByteBuffer.allocate(1))).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.read(90, ByteBuffer.allocate(11))).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.getInt(97)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.putLong(93, 1)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.compareAndSetLong(96, 0, 1)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.slice(50, 51)).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.read(0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> shm.read(0, new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(shm.read(100, 0)).isEmpty();
        }
    }

    @Test
    void misalignedAtomicAccessIsRefused() {
        try (SharedMemory shm = SharedMemory.create(name(), 64)) {
            assertThatThrownBy(() -> shm.getIntVolatile(2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> shm.compareAndSetInt(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> shm.getAndAddLong(4, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> shm.setLongVolatile(12, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void typedAccessUsesNativeByteOrderAtAnyOffset() {
        try (SharedMemory shm = SharedMemory.create(name(), 64)) {
            shm.putInt(3, 0x01020304);
            shm.putLong(17, 0x1122334455667788L);
            assertThat(shm.getInt(3)).isEqualTo(0x01020304);
            assertThat(shm.getLong(17)).isEqualTo(0x1122334455667788L);
            ByteBuffer expected = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0x01020304);
            assertThat(shm.read(3, 4)).isEqualTo(expected.array());
            assertThat(shm.slice(0, 64).order()).isEqualTo(ByteOrder.nativeOrder());
        }
    }

    @Test
    void atomicOperationsWork() {
        try (SharedMemory shm = SharedMemory.create(name(), 64)) {
            assertThat(shm.compareAndSetInt(0, 0, 5)).isTrue();
            assertThat(shm.compareAndSetInt(0, 0, 6)).isFalse();
            assertThat(shm.getAndAddInt(0, 3)).isEqualTo(5);
            assertThat(shm.getIntVolatile(0)).isEqualTo(8);
            shm.setLongVolatile(8, 40);
            assertThat(shm.getAndAddLong(8, 2)).isEqualTo(40);
            assertThat(shm.compareAndSetLong(8, 42, -1)).isTrue();
            assertThat(shm.getLongVolatile(8)).isEqualTo(-1);
        }
    }

    @Test
    void byteBufferTransfersAdvanceThePosition() {
        try (SharedMemory shm = SharedMemory.create(name(), 64)) {
            ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
            src.position(1);
            shm.write(10, src);
            assertThat(src.position()).isEqualTo(5);
            ByteBuffer dst = ByteBuffer.allocateDirect(4);
            shm.read(10, dst);
            assertThat(dst.position()).isEqualTo(4);
            assertThat(shm.read(10, 4)).containsExactly(2, 3, 4, 5);
            ByteBuffer view = shm.asByteBuffer();
            view.put(0, (byte) 9);
            assertThat(shm.read(0, 1)).containsExactly(9);
        }
    }

    @Test
    void everyOperationAfterCloseFailsWithClosed() {
        SharedMemory shm = SharedMemory.create(name(), 64);
        ByteBuffer view = shm.slice(0, 64);
        shm.close();
        shm.close();
        assertThat(shm.isOpen()).isFalse();
        assertThatThrownBy(() -> shm.read(0, 1)).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(() -> shm.putInt(0, 1)).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(() -> shm.getAndAddInt(0, 1)).isInstanceOf(ObjectClosedException.class);
        assertThatThrownBy(() -> shm.slice(0, 1)).isInstanceOf(ObjectClosedException.class);
        // A view outlives the handle: it keeps the region mapped while reachable (SharedMemoryCloseTest).
        view.put(0, (byte) 1);
        assertThat(view.get(0)).isEqualTo((byte) 1);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void regionsLargerThanFourGibibytesWork() {
        long size = 5L << 30;
        try (SharedMemory shm = SharedMemory.create(name(), size)) {
            assertThat(shm.size()).isEqualTo(size);
            shm.putLong(size - 8, 0x0123456789L);
            assertThat(shm.getLongVolatile(size - 8)).isEqualTo(0x0123456789L);
            long boundary = 1L << 30;
            byte[] across = {1, 2, 3, 4, 5, 6, 7, 8};
            shm.write(boundary - 4, across);
            assertThat(shm.read(boundary - 4, 8)).isEqualTo(across);
            assertThat(shm.getLong(boundary - 4)).isEqualTo(ByteBuffer.wrap(across).order(ByteOrder.nativeOrder()).getLong());
            assertThat(shm.slice(boundary - 4, 8).get(5)).isEqualTo((byte) 6);
            assertThat(shm.getAndAddInt((4L << 30) + 4, 7)).isZero();
            assertThatThrownBy(shm::asByteBuffer).isInstanceOf(OutOfRangeException.class);
            assertThatThrownBy(() -> shm.read(size - 1, 2)).isInstanceOf(OutOfRangeException.class);
        }
    }

    @Test
    void handoffThroughSharedMemorySignalledByAnEvent() {
        String shmName = name();
        String readyName = name();
        String ackName = name();
        int length = 256 * 1024;
        long seed = 12345;
        try (SharedMemory shm = SharedMemory.create(shmName, length);
                Event ready = Event.create(readyName, EventResetMode.AUTO);
                Event ack = Event.create(ackName, EventResetMode.AUTO);
                ChildJvm child = ChildJvm.start(SyncChild.class, "handoff", shmName, readyName, ackName,
                        Long.toString(seed), Integer.toString(length))) {
            assertThat(ready.await(Duration.ofSeconds(60))).isTrue();
            byte[] expected = new byte[length];
            new Random(seed).nextBytes(expected);
            assertThat(shm.read(0, length)).isEqualTo(expected);
            byte[] reply = new byte[length];
            new Random(seed + 1).nextBytes(reply);
            shm.write(0, reply);
            ack.signal();
            assertThat(child.readLine()).isEqualTo("ok");
            child.assertSucceeds(60);
        }
    }

    @Test
    void regionOfAKilledProcessIsNotHandedOutAsLive() {
        String name = name();
        try (ChildJvm child = ChildJvm.start(SyncChild.class, "shm-hold", name, "4096")) {
            assertThat(child.readLine()).isEqualTo("created");
            try (SharedMemory seen = SharedMemory.open(name)) {
                assertThat(seen.read(0, 1)).containsExactly(42);
            }
            child.kill();
        }
        // The only holder died: the name is free again, exactly as if it had closed.
        assertThatThrownBy(() -> SharedMemory.open(name)).isInstanceOf(ObjectNotFoundException.class);
        try (SharedMemory fresh = SharedMemory.create(name, 16)) {
            assertThat(fresh.read(0, 1)).containsExactly(0);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void leftoverOfAKilledCreatorIsReclaimedByCreate() {
        String name = name();
        try (ChildJvm child = ChildJvm.start(SyncChild.class, "shm-hold", name, "4096")) {
            assertThat(child.readLine()).isEqualTo("created");
            child.kill();
        }
        assertThat(NamedObjects.filesOf(SharedMemoryTest.class)).hasSize(1);
        try (SharedMemory fresh = SharedMemory.create(name, 16)) {
            assertThat(fresh.size()).isEqualTo(16);
        }
        assertThat(NamedObjects.filesOf(SharedMemoryTest.class)).isEmpty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void leftoverOfAKilledProcessIsSweptByTheNextProcessEvenIfItsNameIsNeverUsedAgain() {
        try (ChildJvm child = ChildJvm.start(SyncChild.class, "shm-hold", name(), "4096")) {
            assertThat(child.readLine()).isEqualTo("created");
            child.kill();
        }
        assertThat(NamedObjects.filesOf(SharedMemoryTest.class)).hasSize(1);
        try (ChildJvm other = ChildJvm.start(SyncChild.class, "shm-touch", name())) {
            assertThat(other.readLine()).isEqualTo("touched");
            other.assertSucceeds(60);
        }
        assertThat(NamedObjects.filesOf(SharedMemoryTest.class)).isEmpty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void fileOpenToOtherUsersIsRefused() throws Exception {
        String name = name();
        SharedMemory.create(name, 64).close();
        String encoded = name.replace("/", "%2F");
        long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path planted = Path.of("/dev/shm/winipc-u" + uid + "-shm-" + encoded);
        Files.write(planted, new byte[64]);
        try {
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
            assertThatThrownBy(() -> SharedMemory.open(name)).isInstanceOf(WinipcAccessDeniedException.class);
            assertThatThrownBy(() -> SharedMemory.create(name, 64)).isInstanceOf(WinipcAccessDeniedException.class);
        } finally {
            Files.deleteIfExists(planted); // another root process's leftover sweep may have taken it first
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void fileOwnedByAnotherUserIsRefused() throws Exception {
        long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        org.junit.jupiter.api.Assumptions.assumeTrue(uid == 0, "only root can plant a file owned by another user");
        String name = name();
        Path planted = Path.of("/dev/shm/winipc-u" + uid + "-sem-" + name.replace("/", "%2F"));
        Files.write(planted, new byte[4096]);
        try {
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-------"));
            Files.setAttribute(planted, "unix:uid", 65534);
            assertThatThrownBy(() -> io.winipc.sync.Semaphore.open(name)).isInstanceOf(WinipcAccessDeniedException.class);
            assertThatThrownBy(() -> io.winipc.sync.Semaphore.create(name, 1, 1)).isInstanceOf(WinipcAccessDeniedException.class);
        } finally {
            Files.deleteIfExists(planted); // another root process's leftover sweep may have taken it first
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void symlinkPlantedAtTheNameIsRefused() throws Exception {
        long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        String name = name();
        Path target = Files.createTempFile("winipc-target-", ".bin");
        Path planted = Path.of("/dev/shm/winipc-u" + uid + "-shm-" + name.replace("/", "%2F"));
        Files.createSymbolicLink(planted, target);
        try {
            assertThatThrownBy(() -> SharedMemory.open(name)).isInstanceOf(WinipcAccessDeniedException.class);
            assertThat(Files.size(target)).isZero();
        } finally {
            Files.deleteIfExists(planted); // another root process's leftover sweep may have taken it first
            Files.delete(target);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxFileNameFollowsTheDocumentedMapping() throws Exception {
        String name = name();
        long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        try (SharedMemory shm = SharedMemory.create(name, 3000)) {
            Path file = Path.of("/dev/shm/winipc-u" + uid + "-shm-" + name.replace("/", "%2F"));
            assertThat(file).exists();
            assertThat(Files.size(file)).isEqualTo(3000);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    /** A Python peer following the documented name mapping and lifetime protocol (shared flock while in use). */
    private static final String PYTHON_PEER = String.join("\n",
            "import fcntl, mmap, os, sys",
            "fd = os.open(sys.argv[1], os.O_RDWR)",
            "fcntl.flock(fd, fcntl.LOCK_SH)",
            "size = os.fstat(fd).st_size",
            "m = mmap.mmap(fd, size)",
            "print(m[:5].decode(), size, flush=True)",
            "m[5:10] = b'world'",
            "m.close()",
            "os.close(fd)");

    @Test
    @EnabledOnOs(OS.LINUX)
    void nonJavaPeerFindsTheRegionByItsDocumentedFileName() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        String name = name();
        long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        try (SharedMemory shm = SharedMemory.create(name, 4099)) {
            shm.write(0, "hello".getBytes(StandardCharsets.US_ASCII));
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", PYTHON_PEER,
                    "/dev/shm/winipc-u" + uid + "-shm-" + name.replace("/", "%2F")).redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor()).as(output).isZero();
            assertThat(output.trim()).isEqualTo("hello 4099");
            assertThat(new String(shm.read(5, 5), StandardCharsets.US_ASCII)).isEqualTo("world");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anExtraGroupGetsTheFileWithMode0660AndANarrowerPolicyRefusesIt() throws Exception {
        String name = name();
        int gid = (int) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        NamedObjectOptions group = NamedObjectOptions.defaults().withAccess(AccessPolicy.currentUserOnly().allowingGids(gid));
        try (SharedMemory shm = SharedMemory.create(name, 64, group)) {
            Path file = Path.of("/dev/shm/winipc-u" + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + "-shm-" + name.replace("/", "%2F"));
            assertThat(Files.getAttribute(file, "unix:mode")).isEqualTo(0100660);
            assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(gid);
            assertThatThrownBy(() -> SharedMemory.open(name))
                    .isInstanceOf(WinipcAccessDeniedException.class).hasMessageContaining("is open to group " + gid);
            try (SharedMemory same = SharedMemory.open(name, group)) {
                assertThat(same.size()).isEqualTo(64);
            }
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void createAndCloseLeakNoFileDescriptors() {
        String name = name();
        for (int i = 0; i < 50; i++) {
            SharedMemory.create(name, 4096).close();
        }
        int before = NamedObjects.openFdCount();
        int shmBefore = NamedObjects.openShmFdCount();
        for (int i = 0; i < 1000; i++) {
            try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.open(name)) {
                b.putInt(0, i);
            }
        }
        assertThat(NamedObjects.openShmFdCount()).isEqualTo(shmBefore);
        // Other tests' descriptors may close meanwhile; a leak here would add a thousand or more.
        assertThat(NamedObjects.openFdCount()).isLessThanOrEqualTo(before + 10);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void globalScopeIsASeparateNamespace() {
        String name = name();
        NamedObjectOptions global = NamedObjectOptions.defaults().withScope(io.winipc.Scope.GLOBAL);
        try (SharedMemory local = SharedMemory.create(name, 64)) {
            assertThatThrownBy(() -> SharedMemory.open(name, global)).isInstanceOf(ObjectNotFoundException.class);
            assertThat(local.size()).isEqualTo(64);
        }
    }
}
