package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.WinipcOsException;
import io.winipc.internal.windows.WindowsSecurity;
import io.winipc.internal.windows.WindowsSecurity.Kind;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Semaphore;
import io.winipc.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An access policy may name SDDL aliases and account names besides SIDs; the descriptor read back
 * with GetSecurityInfo holds exactly one allow ACE per SID named (after the current user's), and
 * nothing else. Wine runs every process as one account, so that a second account is admitted
 * (and a third refused) cannot be shown here; these tests show what the OS holds, which is what
 * Windows enforces. Each SDDL read back is printed, for the record.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsAccountsTest {
    private static final Pattern ACE = Pattern.compile("\\(A;;[^;]*;;;([^)]*)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"AU", "IU", "BU", "SY", "BA"})
    void aRegionGrantsAnAliasAndNobodyElse(String alias) {
        String name = TestNames.unique("alias");
        NamedObjectOptions options = NamedObjectOptions.defaults().withAccess(AccessPolicy.currentUserOnly().allowingSids(alias));
        try (SharedMemory shm = SharedMemory.create(name, 4096, options)) {
            String sddl = WindowsSecurity.appliedObjectSddl(Kind.SECTION, name, Scope.LOCAL);
            System.out.println("shared memory, " + alias + ": " + sddl);
            assertThat(aceSids(sddl)).containsExactly(WindowsSecurity.currentUserSid(), alias);
        }
        // Kernel objects of every kind share one namespace: each gets a name of its own.
        try (Event event = Event.create(name + "-EVENT", EventResetMode.AUTO, false, options);
                Semaphore semaphore = Semaphore.create(name + "-SEMAPHORE", 0, 1, options)) {
            for (Kind kind : new Kind[] {Kind.EVENT, Kind.SEMAPHORE}) {
                String sddl = WindowsSecurity.appliedObjectSddl(kind, name + "-" + kind, Scope.LOCAL);
                System.out.println(kind + ", " + alias + ": " + sddl);
                assertThat(aceSids(sddl)).containsExactly(WindowsSecurity.currentUserSid(), alias);
            }
        }
    }

    @Test
    void aPipeGrantsEveryAliasOfItsPolicyAndNobodyElse() {
        String name = TestNames.unique("aliases");
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingSids("AU", "IU", "BU", "SY", "BA");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withAccess(policy))) {
            String sddl = WindowsSecurity.appliedPipeSddl(name);
            System.out.println("pipe, five aliases: " + sddl);
            assertThat(aceSids(sddl)).containsExactly(WindowsSecurity.currentUserSid(), "AU", "IU", "BU", "SY", "BA");
        }
    }

    @Test
    void accountNamesAreResolvedToTheirSids() {
        String name = TestNames.unique("names");
        String me = ".\\" + System.getProperty("user.name");
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingAccounts("BUILTIN\\Users", me, "S-1-5-32-545", "SY");
        try (SharedMemory shm = SharedMemory.create(name, 4096, NamedObjectOptions.defaults().withAccess(policy))) {
            String sddl = WindowsSecurity.appliedObjectSddl(Kind.SECTION, name, Scope.LOCAL);
            System.out.println("shared memory, BUILTIN\\Users, " + me + ", S-1-5-32-545, SY: " + sddl);
            // The SDDL writer prints well-known SIDs by their alias: the Users group and S-1-5-32-545 are both BU.
            assertThat(aceSids(sddl)).containsExactly(WindowsSecurity.currentUserSid(), "BU", WindowsSecurity.currentUserSid(), "BU", "SY");
        }
    }

    @Test
    void anUnknownAccountFailsNamingIt() {
        String name = TestNames.unique("unknown");
        String account = "NO-SUCH-DOMAIN\\no-such-user-" + Long.toHexString(System.nanoTime());
        AccessPolicy policy = AccessPolicy.currentUserOnly().allowingAccounts(account);
        assertThatThrownBy(() -> SharedMemory.create(name, 4096, NamedObjectOptions.defaults().withAccess(policy)))
                .isInstanceOf(WinipcOsException.class)
                .hasMessageContaining("the access policy names account '" + account + "'")
                .hasMessageContaining("Windows knows no account of that name");
        assertThatThrownBy(() -> PipeServer.listen(name, PipeServerOptions.defaults().withAccess(policy)))
                .isInstanceOf(WinipcOsException.class).hasMessageContaining(account);
        // Nothing was created under the name: the failure came before the object.
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            assertThat(shm.created()).isTrue();
        }
    }

    private static List<String> aceSids(String sddl) {
        List<String> sids = new ArrayList<>();
        Matcher m = ACE.matcher(sddl.substring(sddl.indexOf("D:")));
        while (m.find()) {
            sids.add(m.group(1));
        }
        return sids;
    }
}
