package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.NamedObjectOptions;
import io.winipc.TrustPolicy;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import io.winipc.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Windows never talks to, joins or adopts what an untrusted account made: the pipe client checks
 * the owner of the pipe it reached, the pipe server the owner of every instance it creates after
 * its first, and create-or-open and open the owner of a live section, mutex, event or semaphore.
 * The other account is played by the C peer ({@link Squatter}), which creates its objects first
 * with a NULL DACL and an owner SID of no real account: Wine, unlike Windows, lets an ordinary
 * process name any owner. On Windows such a squatter would run under another account; the check
 * is the same.
 */
@EnabledOnOs(OS.WINDOWS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WindowsTrustTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String STRANGER = Squatter.STRANGER;
    /** Each kind of named object: the C peer's name for it, and an open that uses the object once. */
    private static final List<Opener> OPENERS = List.of(
            new Opener("shm", (name, options) -> {
                SharedMemory shm = SharedMemory.open(name, options);
                shm.putInt(0, 42);
                assertThat(shm.getInt(0)).isEqualTo(42);
                return shm;
            }),
            new Opener("mutex", (name, options) -> {
                Mutex mutex = Mutex.open(name, options);
                assertThat(mutex.tryLock()).isTrue();
                mutex.unlock();
                return mutex;
            }),
            new Opener("event", (name, options) -> {
                Event event = Event.open(name, options);
                event.signal();
                assertThat(event.await(Duration.ZERO)).isTrue();
                return event;
            }),
            new Opener("semaphore", (name, options) -> {
                Semaphore semaphore = Semaphore.open(name, options);
                semaphore.release();
                assertThat(semaphore.tryAcquire()).isTrue();
                return semaphore;
            }));

    @Test
    void theDefaultPolicyAcceptsTheCurrentUsersOwnServer() {
        String name = TestNames.unique("trust-own");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, TIMEOUT);
                PipeConnection accepted = server.accept(TIMEOUT)) {
            client.write(new byte[] {42});
            assertThat(accepted.readFully(1)).containsExactly(42);
        }
    }

    @Test
    void aPolicyNamingOnlyASidTheServerDoesNotHaveRefusesBeforeAnyByteIsWritten() {
        String name = TestNames.unique("trust-named");
        PipeClientOptions options = PipeClientOptions.defaults().withConnectTimeout(TIMEOUT)
                .withServerTrust(TrustPolicy.namedAccountsOnly().allowingSids(STRANGER));
        try (PipeServer server = PipeServer.listen(name)) {
            assertThatThrownBy(() -> PipeClient.connect(name, options))
                    .isInstanceOf(WinipcAccessDeniedException.class)
                    .hasMessageContaining("pipe '" + name + "'")
                    .hasMessageContaining("belongs to SID S-1-")
                    .hasMessageContaining(options.serverTrust().toString());
            // The client did reach the server, closed the connection, and wrote nothing.
            try (PipeConnection accepted = server.accept(TIMEOUT)) {
                assertThat(accepted.read(new byte[16], 0, 16)).isEqualTo(-1);
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void aClientRefusesAPipeAnotherOwnerCreated() throws Exception {
        String name = TestNames.unique("trust-squat-pipe");
        try (Squatter squatter = Squatter.start("pipe", name, STRANGER)) {
            assertThat(squatter.owner()).isEqualTo(STRANGER);
            assertThatThrownBy(() -> PipeClient.connect(name, TIMEOUT))
                    .isInstanceOf(WinipcAccessDeniedException.class)
                    .hasMessageContaining("belongs to SID " + STRANGER)
                    .hasMessageContaining(TrustPolicy.currentUserOrSystem().toString());
            assertThat(squatter.nextLine()).as("the squatter was reached, and got nothing").isEqualTo("received 0");
            // Trusting that SID by name lets the same client through: the refusal above was the owner check.
            PipeClientOptions trusting = PipeClientOptions.defaults().withConnectTimeout(TIMEOUT)
                    .withServerTrust(TrustPolicy.currentUserOrSystem().allowingSids(STRANGER));
            try (PipeConnection c = PipeClient.connect(name, trusting)) {
                c.write("ping".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(squatter.nextLine()).isEqualTo("received 4");
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void aSingleInstanceServerDoesNotJoinAPipeSquattedWhileItHeldNoInstance() throws Exception {
        String name = TestNames.unique("trust-rejoin");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMaxInstances(1))) {
            try (PipeConnection client = PipeClient.connect(name, TIMEOUT);
                    PipeConnection accepted = server.accept(TIMEOUT)) {
                client.write(new byte[] {1});
                assertThat(accepted.readFully(1)).containsExactly(1);
            }
            // The one connection is closed and the listen-ahead was refused as busy: the name is free now.
            try (Squatter squatter = Squatter.start("pipe", name, STRANGER)) {
                assertThat(squatter.owner()).isEqualTo(STRANGER);
                // Windows refuses FILE_FLAG_FIRST_PIPE_INSTANCE; Wine ignores the flag, and the owner check refuses.
                assertThatThrownBy(() -> server.accept(TIMEOUT))
                        .isInstanceOf(WinipcAccessDeniedException.class)
                        .hasMessageContaining("someone else created the name");
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void createOrOpenRefusesAMutexEventOrSemaphoreAnotherOwnerMadeFirst() throws Exception {
        List<Kind> kinds = List.of(
                new Kind("mutex", options -> Mutex.create(kindName("mutex"), options)),
                new Kind("event", options -> Event.create(kindName("event"), EventResetMode.MANUAL, false, options)),
                new Kind("semaphore", options -> Semaphore.create(kindName("semaphore"), 0, 10, options)));
        for (Kind kind : kinds) {
            String name = kindName(kind.name());
            try (Squatter squatter = Squatter.start(kind.name(), name, STRANGER)) {
                assertThat(squatter.owner()).isEqualTo(STRANGER);
                assertThatThrownBy(() -> kind.create().apply(NamedObjectOptions.defaults()))
                        .as(kind.name())
                        .isInstanceOf(WinipcAccessDeniedException.class)
                        .hasMessageContaining("belongs to SID " + STRANGER);
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void createOrOpenAdoptsWhatTheCurrentUserMadeUnlessThePolicyDistrustsIt() throws Exception {
        String name = TestNames.unique("trust-own-event");
        try (Squatter creator = Squatter.start("event", name, null)) {
            try (Event adopted = Event.create(name, EventResetMode.MANUAL, false, NamedObjectOptions.defaults())) {
                assertThat(adopted.isOpen()).isTrue();
            }
            NamedObjectOptions distrusting = NamedObjectOptions.defaults()
                    .withOwnerTrust(TrustPolicy.namedAccountsOnly().allowingSids(STRANGER));
            assertThatThrownBy(() -> Event.create(name, EventResetMode.MANUAL, false, distrusting))
                    .isInstanceOf(WinipcAccessDeniedException.class)
                    .hasMessageContaining("belongs to SID " + creator.owner());
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void openRefusesASectionMutexEventOrSemaphoreAnotherOwnerMadeFirst() throws Exception {
        for (Opener kind : OPENERS) {
            String name = TestNames.unique("trust-open-squat-" + kind.peerKind());
            try (Squatter squatter = Squatter.start(kind.peerKind(), name, STRANGER)) {
                assertThat(squatter.owner()).isEqualTo(STRANGER);
                assertThatThrownBy(() -> kind.openAndUse().apply(name, NamedObjectOptions.defaults()))
                        .as(kind.peerKind())
                        .isInstanceOf(WinipcAccessDeniedException.class)
                        .hasMessageContaining("belongs to SID " + STRANGER)
                        .hasMessageContaining(TrustPolicy.currentUserOrSystem().toString());
                // The same open succeeds once the policy names that SID, or trusts anyone: the
                // refusal above was the owner check, and widening the trust lets a real
                // cross-account setup through.
                for (TrustPolicy trusting : List.of(TrustPolicy.currentUserOrSystem().allowingSids(STRANGER), TrustPolicy.anyAccount())) {
                    try (AutoCloseable opened = kind.openAndUse().apply(name, NamedObjectOptions.defaults().withOwnerTrust(trusting))) {
                        assertThat(opened).as(kind.peerKind() + " opened with " + trusting).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void openUsesWhatTheCurrentUserMadeUnlessThePolicyDistrustsIt() throws Exception {
        NamedObjectOptions distrusting = NamedObjectOptions.defaults()
                .withOwnerTrust(TrustPolicy.namedAccountsOnly().allowingSids(STRANGER));
        for (Opener kind : OPENERS) {
            String name = TestNames.unique("trust-open-own-" + kind.peerKind());
            // The C peer names no owner, so the object gets its token's default owner: on Windows the
            // user's SID; under Wine the group S-1-5-21-0-0-0-513 (TokenOwner), which winipc counts as
            // the current user for the same reason (docs/security.md, "Where Wine differs").
            try (Squatter creator = Squatter.start(kind.peerKind(), name, null)) {
                assertThat(creator.owner()).isNotEqualTo(STRANGER);
                try (AutoCloseable opened = kind.openAndUse().apply(name, NamedObjectOptions.defaults())) {
                    assertThat(opened).as(kind.peerKind()).isNotNull();
                }
                assertThatThrownBy(() -> kind.openAndUse().apply(name, distrusting))
                        .as(kind.peerKind())
                        .isInstanceOf(WinipcAccessDeniedException.class)
                        .hasMessageContaining("belongs to SID " + creator.owner());
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "winipc.test.peerExe", matches = ".+")
    void openOfAnObjectWhoseDaclWithholdsReadControlFailsUnlessTheTrustIsAnyAccount() throws Exception {
        NamedObjectOptions trustingTheOwner = NamedObjectOptions.defaults()
                .withOwnerTrust(TrustPolicy.currentUserOrSystem().allowingSids(STRANGER));
        NamedObjectOptions trustingAnyone = NamedObjectOptions.defaults().withOwnerTrust(TrustPolicy.anyAccount());
        for (Opener kind : OPENERS) {
            String name = TestNames.unique("trust-open-no-rc-" + kind.peerKind());
            // Everyone may use the object but not read its owner; the opener is not the owner, so it
            // has no implicit READ_CONTROL either.
            try (Squatter squatter = Squatter.start(kind.peerKind(), name, STRANGER, true)) {
                assertThat(squatter.owner()).isEqualTo(STRANGER);
                // Even a policy that names the owner cannot be satisfied without reading the owner.
                assertThatThrownBy(() -> kind.openAndUse().apply(name, trustingTheOwner))
                        .as(kind.peerKind())
                        .isInstanceOf(WinipcAccessDeniedException.class)
                        .hasMessageContaining("READ_CONTROL included, to check the owner");
                try (AutoCloseable opened = kind.openAndUse().apply(name, trustingAnyone)) {
                    assertThat(opened).as(kind.peerKind()).isNotNull();
                }
            }
        }
    }

    private static String kindName(String kind) {
        return "winipc-test/trust-squat-" + kind + "-" + ProcessHandle.current().pid();
    }

    private record Kind(String name, Function<NamedObjectOptions, AutoCloseable> create) {
    }

    /** @param peerKind the kind as the C peer names it */
    private record Opener(String peerKind, BiFunction<String, NamedObjectOptions, AutoCloseable> openAndUse) {
    }
}
