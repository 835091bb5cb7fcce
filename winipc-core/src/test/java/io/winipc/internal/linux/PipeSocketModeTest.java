package io.winipc.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.AccessPolicy;
import io.winipc.Scope;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A pipe's socket file is 0666 only for a policy that admits Linux accounts; Windows accounts alone leave it 0600. */
@EnabledOnOs(OS.LINUX)
class PipeSocketModeTest {

    @Test
    void windowsAccountsAloneLeaveTheSocketPrivate() throws Exception {
        assertThat(socketMode(AccessPolicy.currentUserOnly().allowingSids("BA").allowingAccounts("IU", ".\\desktop")))
                .isEqualTo(0600);
        assertThat(socketMode(AccessPolicy.currentUserOnly())).isEqualTo(0600);
        // With a uid the file is open and SO_PEERCRED decides who is served.
        assertThat(socketMode(AccessPolicy.currentUserOnly().allowingUids(65534))).isEqualTo(0666);
    }

    private static int socketMode(AccessPolicy policy) throws Exception {
        String name = TestNames.unique("socket-mode");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withScope(Scope.GLOBAL).withAccess(policy))) {
            Path socket = RuntimeDirectories.socketPath(RuntimeDirectories.directory(Scope.GLOBAL, LibC.getuid()), name);
            return (int) Files.getAttribute(socket, "unix:mode") & 0777;
        }
    }
}
