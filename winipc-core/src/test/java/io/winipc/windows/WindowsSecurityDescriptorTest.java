package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.internal.windows.WindowsSecurity;
import io.winipc.internal.windows.WindowsSecurity.Kind;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import io.winipc.testing.TestNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Wine runs every process as one user and checks few access rights, so a second account being
 * refused cannot be shown here. What can be shown is that the security descriptor the OS holds
 * for each kind of object is exactly the intended one: read back with GetSecurityInfo (owner and
 * DACL) and compared mask by mask. A protected DACL with one allow ACE per admitted SID means
 * nobody else (not Everyone, not the anonymous account, which the documented default pipe DACL
 * admits) gets in; an extra SID's mask without WRITE_DAC, WRITE_OWNER, DELETE (and, on a pipe,
 * FILE_CREATE_PIPE_INSTANCE) means an admitted account can use the object but not re-open it to
 * others or serve instances of its own. What real Windows adds, and Wine does not check: that an
 * account holding only these rights is refused anything more, and that an elevated
 * administrator's objects read back owned by the user rather than BUILTIN\Administrators.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsSecurityDescriptorTest {
    /** A SID with no SDDL alias, so that it reads back in the S-1-... form. */
    private static final String EXTRA_SID = "S-1-5-21-1111111111-2222222222-3333333333-1001";
    private static final AccessPolicy WITH_EXTRA = AccessPolicy.currentUserOnly().allowingSids(EXTRA_SID);
    private static final NamedObjectOptions EXTRA_OPTIONS = NamedObjectOptions.defaults().withAccess(WITH_EXTRA);

    private static final int GENERIC_ALL = 0x10000000;
    private static final int DELETE = 0x10000;
    private static final int WRITE_DAC = 0x40000;
    private static final int WRITE_OWNER = 0x80000;
    private static final int FILE_CREATE_PIPE_INSTANCE = 0x4;

    @Test
    void aPipeGrantsTheCurrentUserAloneAndIsOwnedByIt() {
        String name = TestNames.unique("sd-pipe");
        try (PipeServer server = PipeServer.listen(name)) {
            Descriptor d = Descriptor.parse(WindowsSecurity.appliedPipeSddl(name));
            assertThat(d.owner).isEqualTo(WindowsSecurity.currentUserSid());
            assertThat(d.aces.keySet()).containsExactly(WindowsSecurity.currentUserSid());
            assertFullAccess(d, Kind.PIPE);
        }
    }

    @Test
    void aPipeGrantsExtraSidsReadAndWriteButNotNewInstances() {
        String name = TestNames.unique("sd-pipe-extra");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withAccess(WITH_EXTRA))) {
            Descriptor d = Descriptor.parse(WindowsSecurity.appliedPipeSddl(name));
            assertLeastPrivilege(d, Kind.PIPE);
            assertThat(d.aces.get(EXTRA_SID) & FILE_CREATE_PIPE_INSTANCE).as("FILE_CREATE_PIPE_INSTANCE").isZero();
            // FILE_READ_DATA | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES (set the read mode) | SYNCHRONIZE
            assertThat(d.aces.get(EXTRA_SID) & 0x100103).isEqualTo(0x100103);
        }
    }

    @Test
    void aSharedMemoryRegionGrantsTheCurrentUserAloneAndIsOwnedByIt() {
        String name = TestNames.unique("sd-shm");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Descriptor d = Descriptor.parse(WindowsSecurity.appliedObjectSddl(Kind.SECTION, name, Scope.LOCAL));
            assertThat(d.owner).isEqualTo(WindowsSecurity.currentUserSid());
            assertThat(d.aces.keySet()).containsExactly(WindowsSecurity.currentUserSid());
            assertFullAccess(d, Kind.SECTION);
        }
    }

    @Test
    void aSharedMemoryRegionGrantsExtraSidsMapReadWriteAndQuery() {
        String name = TestNames.unique("sd-shm-extra");
        try (SharedMemory shm = SharedMemory.create(name, 4096, EXTRA_OPTIONS)) {
            Descriptor d = Descriptor.parse(WindowsSecurity.appliedObjectSddl(Kind.SECTION, name, Scope.LOCAL));
            assertLeastPrivilege(d, Kind.SECTION);
            assertThat(d.aces.get(EXTRA_SID)).isEqualTo(0x20007);
        }
    }

    /** Mutex: SYNCHRONIZE | MUTEX_MODIFY_STATE; event and semaphore: SYNCHRONIZE | *_MODIFY_STATE; all with READ_CONTROL. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MUTEX", "EVENT", "SEMAPHORE"})
    void aSyncObjectGrantsExtraSidsSynchronizeAndModifyState(Kind kind) {
        String name = TestNames.unique("sd-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-extra");
        try (AutoCloseable object = switch (kind) {
            case MUTEX -> Mutex.create(name, EXTRA_OPTIONS);
            case EVENT -> Event.create(name, EventResetMode.AUTO, false, EXTRA_OPTIONS);
            default -> Semaphore.create(name, 0, 4, EXTRA_OPTIONS);
        }) {
            Descriptor d = Descriptor.parse(WindowsSecurity.appliedObjectSddl(kind, name, Scope.LOCAL));
            assertLeastPrivilege(d, kind);
            assertThat(d.aces.get(EXTRA_SID)).isEqualTo(kind == Kind.MUTEX ? 0x120001 : 0x120002);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Owner the user, the user with full access, the extra SID with the kind's mask and nothing that rewrites the object. */
    private static void assertLeastPrivilege(Descriptor d, Kind kind) {
        assertThat(d.owner).isEqualTo(WindowsSecurity.currentUserSid());
        assertThat(d.aces.keySet()).containsExactly(WindowsSecurity.currentUserSid(), EXTRA_SID);
        assertFullAccess(d, kind);
        int extra = d.aces.get(EXTRA_SID);
        assertThat(extra).as("the extra SID's mask").isEqualTo(kind.extraSidAccess());
        assertThat(extra & (GENERIC_ALL | DELETE | WRITE_DAC | WRITE_OWNER)).as("GA, DELETE, WRITE_DAC, WRITE_OWNER").isZero();
    }

    /**
     * Windows maps GENERIC_ALL in a new object's ACEs to the type's specific all-access right
     * (FILE_ALL_ACCESS for a pipe, SECTION_ALL_ACCESS for a mapping, ...); Wine keeps GA as given.
     * Both mean full access for the current user.
     */
    private static void assertFullAccess(Descriptor d, Kind kind) {
        int all = switch (kind) {
            case PIPE -> 0x1F01FF;
            case SECTION -> 0xF001F;
            case MUTEX -> 0x1F0001;
            case EVENT, SEMAPHORE -> 0x1F0003;
        };
        assertThat(d.aces.get(WindowsSecurity.currentUserSid())).isIn(GENERIC_ALL, all);
    }

    /** The owner and the allow ACEs (SID to mask) of an SDDL string, rights aliases resolved to numbers. */
    private record Descriptor(String owner, Map<String, Integer> aces) {
        private static final Pattern OWNER = Pattern.compile("O:(S(?:-\\d+)+|[A-Z]{2})");
        private static final Pattern ACE = Pattern.compile("\\(A;[^;]*;([^;]*);[^;]*;[^;]*;([^)]*)\\)");
        private static final Map<String, Integer> RIGHTS = Map.ofEntries(
                Map.entry("GA", GENERIC_ALL), Map.entry("GR", 0x80000000), Map.entry("GW", 0x40000000),
                Map.entry("GX", 0x20000000), Map.entry("FA", 0x1F01FF), Map.entry("FR", 0x120089),
                Map.entry("FW", 0x120116), Map.entry("FX", 0x1200A0), Map.entry("CC", 0x1), Map.entry("DC", 0x2),
                Map.entry("LC", 0x4), Map.entry("SW", 0x8), Map.entry("RP", 0x10), Map.entry("WP", 0x20),
                Map.entry("DT", 0x40), Map.entry("LO", 0x80), Map.entry("CR", 0x100), Map.entry("SD", DELETE),
                Map.entry("RC", 0x20000), Map.entry("WD", WRITE_DAC), Map.entry("WO", WRITE_OWNER));

        static Descriptor parse(String sddl) {
            Matcher owner = OWNER.matcher(sddl);
            assertThat(owner.find()).as("an owner in " + sddl).isTrue();
            Map<String, Integer> aces = new LinkedHashMap<>();
            Matcher ace = ACE.matcher(sddl);
            while (ace.find()) {
                aces.merge(ace.group(2), mask(ace.group(1)), (a, b) -> a | b);
            }
            return new Descriptor(owner.group(1), aces);
        }

        private static int mask(String rights) {
            if (rights.startsWith("0x") || rights.startsWith("0X")) {
                return Integer.parseUnsignedInt(rights.substring(2), 16);
            }
            int mask = 0;
            for (int i = 0; i + 2 <= rights.length(); i += 2) {
                Integer bits = RIGHTS.get(rights.substring(i, i + 2));
                assertThat(bits).as("SDDL right " + rights.substring(i, i + 2) + " in " + rights).isNotNull();
                mask |= bits;
            }
            return mask;
        }
    }
}
