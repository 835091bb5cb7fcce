package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.internal.windows.WindowsSecurity;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Wine runs every process as one user and checks few access rights, so a second account being
 * refused cannot be shown here. What can be shown is that the security descriptor the OS holds
 * for a pipe and for a mapping is exactly the intended one: read back with GetSecurityInfo and
 * compared as SDDL. A protected DACL with one allow ACE per admitted SID means nobody else (not
 * Everyone, not the anonymous account, which the documented default pipe DACL admits) gets in.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsSecurityDescriptorTest {
    /** A SID with no SDDL alias, so that it reads back in the S-1-... form. */
    private static final String EXTRA_SID = "S-1-5-21-1111111111-2222222222-3333333333-1001";

    @Test
    void aPipeGrantsTheCurrentUserAlone() {
        String name = TestNames.unique("sd-pipe");
        try (PipeServer server = PipeServer.listen(name)) {
            String applied = WindowsSecurity.appliedPipeSddl(name);
            assertThat(generic(applied)).isEqualTo("D:P(A;;GA;;;" + WindowsSecurity.currentUserSid() + ")");
            assertThat(generic(applied)).isEqualTo(WindowsSecurity.intendedSddl(AccessPolicy.currentUserOnly()));
        }
    }

    @Test
    void aPipeAlsoGrantsTheExtraSidsOfItsPolicy() {
        String name = TestNames.unique("sd-pipe-extra");
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingSids(EXTRA_SID);
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withAccess(policy))) {
            assertThat(generic(WindowsSecurity.appliedPipeSddl(name))).isEqualTo(
                    "D:P(A;;GA;;;" + WindowsSecurity.currentUserSid() + ")(A;;GA;;;" + EXTRA_SID + ")");
        }
    }

    @Test
    void aSharedMemoryRegionGrantsTheCurrentUserAlone() {
        String name = TestNames.unique("sd-shm");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            String applied = WindowsSecurity.appliedSharedMemorySddl(name, Scope.LOCAL);
            assertThat(generic(applied)).isEqualTo("D:P(A;;GA;;;" + WindowsSecurity.currentUserSid() + ")");
        }
    }

    @Test
    void aSharedMemoryRegionAlsoGrantsTheExtraSidsOfItsPolicy() {
        String name = TestNames.unique("sd-shm-extra");
        NamedObjectOptions options = NamedObjectOptions.defaults()
                .withAccess(AccessPolicy.currentUserOnly().allowingSids(EXTRA_SID));
        try (SharedMemory shm = SharedMemory.create(name, 4096, options)) {
            assertThat(generic(WindowsSecurity.appliedSharedMemorySddl(name, Scope.LOCAL))).isEqualTo(
                    "D:P(A;;GA;;;" + WindowsSecurity.currentUserSid() + ")(A;;GA;;;" + EXTRA_SID + ")");
        }
    }

    /**
     * Windows maps GENERIC_ALL in a new object's ACEs to the type's specific all-access right
     * (FILE_ALL_ACCESS, "FA", for a pipe; SECTION_ALL_ACCESS, 0xF001F, for a mapping); Wine keeps
     * GA as given. Both mean full access for that SID; fold them back to GA to compare.
     */
    private static String generic(String sddl) {
        return sddl.replace(";;FA;;;", ";;GA;;;")
                .replace(";;0xf001f;;;", ";;GA;;;")
                .replace(";;CCDCLCSWRPSDRCWDWO;;;", ";;GA;;;");
    }
}
