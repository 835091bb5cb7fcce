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
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import io.winipc.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Windows never talks to, joins or adopts what an untrusted account made: the pipe client checks
 * the owner of the pipe it reached, the pipe server the owner of every instance it creates after
 * its first, and create-or-open the owner of a live mutex, event or semaphore. The other account
 * is played by the C peer (src/test/c/peer.c), which creates its objects first with a NULL DACL
 * and an owner SID of no real account: Wine, unlike Windows, lets an ordinary process name any
 * owner. On Windows such a squatter would run under another account; the check is the same.
 */
@EnabledOnOs(OS.WINDOWS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WindowsTrustTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A SID no account of this machine has. */
    private static final String STRANGER = "S-1-5-21-1-2-3-4242";

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

    private static String kindName(String kind) {
        return "winipc-test/trust-squat-" + kind + "-" + ProcessHandle.current().pid();
    }

    private record Kind(String name, Function<NamedObjectOptions, AutoCloseable> create) {
    }

    /** The C peer holding a name it created first; it lets go when its standard input closes. */
    private record Squatter(Process process, BufferedReader out, String owner, Path stderr) implements AutoCloseable {
        static Squatter start(String kind, String name, String ownerSid) throws Exception {
            String exe = System.getProperty("winipc.test.peerExe");
            if (exe.startsWith("/")) {
                exe = "Z:" + exe.replace('/', '\\');
            }
            Path stderr = Files.createTempFile("winipc-squatter-", ".err");
            stderr.toFile().deleteOnExit();
            List<String> command = ownerSid == null ? List.of(exe, "squat", kind, name) : List.of(exe, "squat", kind, name, ownerSid);
            Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("owner ")) {
                p.destroyForcibly();
                throw new AssertionError("the C squatter did not take " + name + ": " + line + " / " + Files.readString(stderr));
            }
            return new Squatter(p, out, line.substring("owner ".length()).trim(), stderr);
        }

        String nextLine() throws Exception {
            return out.readLine();
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
