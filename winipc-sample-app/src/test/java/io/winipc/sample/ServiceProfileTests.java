package io.winipc.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.AccessPolicy;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.shm.SharedMemory;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's "service and desktop user" profile starts: the desktop endpoint listens on a GLOBAL
 * pipe with the policy of sample.desktop-allow, the status region is GLOBAL with the same policy
 * (on Linux its file has the group and mode 0660), and a client reaches both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("service")
class ServiceProfileTests {
    private static final String PREFIX = "sample-service-" + ProcessHandle.current().pid();
    private static final int GID = currentGid();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sample.pipe-prefix", () -> PREFIX);
        registry.add("sample.desktop-allow", () -> "IU,gid:" + GID);
        registry.add("sample.client-interval", () -> "1h");
    }

    @Autowired
    PipeEndpointRegistry endpoints;

    @Test
    void theDesktopPipeAndTheStatusRegionAreGlobalAndAdmitTheDesktopAccount() throws Exception {
        AccessPolicy desktop = AccessPolicy.currentUserOnly().allowingAccounts("IU").allowingGids(GID);
        PipeListenerContainer container = endpoints.getContainer("desktop");
        assertThat(container.getOptions().scope()).isEqualTo(Scope.GLOBAL);
        assertThat(container.getOptions().access()).isEqualTo(desktop);

        PipeClientOptions client = PipeClientOptions.defaults().withScope(Scope.GLOBAL).withMode(PipeMode.MESSAGE)
                .withConnectTimeout(Duration.ofSeconds(10));
        try (PipeConnection c = PipeClient.connect(PREFIX + "/desktop", client)) {
            c.setReadTimeout(Duration.ofSeconds(30));
            c.writeMessage("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(c.readMessage(), StandardCharsets.UTF_8)).startsWith("request 1 from pid ").endsWith(": hello");
        }
        NamedObjectOptions region = NamedObjectOptions.defaults().withScope(Scope.GLOBAL).withAccess(desktop);
        try (SharedMemory status = SharedMemory.open(PREFIX + "/desktop-status", region)) {
            assertThat(new String(status.read(0, 11), StandardCharsets.UTF_8)).isEqualTo("requests=1 ");
        }
        if (System.getProperty("os.name").startsWith("Linux")) {
            Path file = Path.of("/dev/shm/winipc-g-shm-" + PREFIX + "%2Fdesktop-status");
            assertThat((int) Files.getAttribute(file, "unix:mode") & 0777).isEqualTo(0660);
            assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(GID);
        }
    }

    private static int currentGid() {
        try {
            return System.getProperty("os.name").startsWith("Linux")
                    ? (int) Files.getAttribute(Path.of("/proc/self"), "unix:gid") : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
