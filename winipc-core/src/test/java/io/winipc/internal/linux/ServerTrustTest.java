package io.winipc.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.winipc.AccessPolicy;
import io.winipc.Scope;
import io.winipc.TrustPolicy;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
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
 * A client checks whom it reached before it writes: a squatter of another uid on a GLOBAL name is
 * refused, a root-owned server is accepted. Needs root, to run the other side as nobody with setpriv.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerTrustTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int NOBODY = 65534;

    /** Takes a GLOBAL name as nobody (socket plus held lock), counts what each connection sends, prints RECEIVED n. */
    private static final String SQUATTER = String.join("\n",
            "import socket, sys, os, fcntl",
            "path, count = sys.argv[1], int(sys.argv[2])",
            "lock = os.open(path + '.lock', os.O_CREAT | os.O_RDWR, 0o600)",
            "fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.bind(path)",
            "os.chmod(path, 0o666)",
            "s.listen(8)",
            "print('LISTENING', flush=True)",
            "for i in range(count):",
            "    c, _ = s.accept()",
            "    total = 0",
            "    while True:",
            "        d = c.recv(65536)",
            "        if not d:",
            "            break",
            "        total += len(d)",
            "    c.close()",
            "    print('RECEIVED', total, flush=True)",
            "os.unlink(path)",
            "os.unlink(path + '.lock')");

    @Test
    void aSquatterOfAnotherUidOnAGlobalNameIsRefusedAndReceivesNothing() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("squatted");
        Path socket = RuntimeDirectories.socketPath(RuntimeDirectories.directory(Scope.GLOBAL, LibC.getuid()), name);
        Process squatter = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                PYTHON, "-c", SQUATTER, socket.toString(), "3").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(squatter.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("LISTENING");
            PipeClientOptions global = PipeClientOptions.defaults().withScope(Scope.GLOBAL).withConnectTimeout(Duration.ofSeconds(10));

            assertThatThrownBy(() -> PipeClient.connect(name, global))
                    .isInstanceOf(WinipcAccessDeniedException.class)
                    .hasMessageContaining("uid " + NOBODY)
                    .hasMessageContaining(TrustPolicy.currentUserOrSystem().toString());
            assertThat(out.readLine()).as("the squatter was reached, and got nothing").isEqualTo("RECEIVED 0");

            // The same squatter counts what a client that trusts it sends: the zero above is not the counter failing.
            try (PipeConnection c = PipeClient.connect(name, global.withServerTrust(TrustPolicy.currentUserOrSystem()
                    .allowingUids(NOBODY)))) {
                c.write("ping".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(out.readLine()).isEqualTo("RECEIVED 4");
            try (PipeConnection c = PipeClient.connect(name, global.withServerTrust(TrustPolicy.anyAccount()))) {
                c.write("pong!".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(out.readLine()).isEqualTo("RECEIVED 5");
            assertThat(squatter.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            squatter.destroyForcibly();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(Path.of(socket + ".lock"));
        }
    }

    @Test
    void aRootOwnedServerIsAcceptedByDefaultAndRefusedByCurrentUserOnly() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("root-server");
        PipeServerOptions options = PipeServerOptions.defaults().withScope(Scope.GLOBAL)
                .withAccess(AccessPolicy.currentUserOnly().allowingUids(NOBODY));
        try (PipeServer server = PipeServer.listen(name, options)) {
            Thread serving = new Thread(() -> server.serve(c -> c.write(c.readFully(4))));
            serving.start();
            assertThat(clientAsNobody(name, "default")).isEqualTo("ECHO ping");
            assertThat(clientAsNobody(name, "current-user-only")).startsWith(WinipcAccessDeniedException.class.getName())
                    .contains("uid 0 (gid 0)").contains(TrustPolicy.currentUserOnly().toString());
        }
    }

    /** Runs {@link NobodyClient} as nobody. */
    private static String clientAsNobody(String name, String policy) throws Exception {
        return OtherUserJvm.run(NOBODY, NOBODY, "", NobodyClient.class, name, policy);
    }

    /** Connects to a GLOBAL pipe with the named policy; prints ECHO and what came back, or the exception. */
    public static final class NobodyClient {
        public static void main(String[] args) {
            TrustPolicy policy = args[1].equals("default") ? TrustPolicy.currentUserOrSystem() : TrustPolicy.currentUserOnly();
            PipeClientOptions options = PipeClientOptions.defaults().withScope(Scope.GLOBAL)
                    .withConnectTimeout(Duration.ofSeconds(20)).withServerTrust(policy);
            try (PipeConnection c = PipeClient.connect(args[0], options)) {
                c.write("ping".getBytes(StandardCharsets.UTF_8));
                System.out.println("ECHO " + new String(c.readFully(4), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
