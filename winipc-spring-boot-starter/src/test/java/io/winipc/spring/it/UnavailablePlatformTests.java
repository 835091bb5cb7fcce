package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.testing.ChildJvm;
import io.winipc.spring.testing.UnavailablePlatformChild;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * On an OS without a winipc backend (simulated in a child JVM with {@code -Dwinipc.platform=plan9},
 * since the backend is chosen once per process), the application starts and health says why
 * winipc is down, unless {@code winipc.fail-fast=true}.
 */
class UnavailablePlatformTests {

    @Test
    void startsAndReportsDownWithTheReason() {
        try (ChildJvm child = ChildJvm.start(List.of("-Dwinipc.platform=plan9"), UnavailablePlatformChild.class,
                "--management.endpoint.health.show-details=always", "--spring.main.banner-mode=off")) {
            String line = child.awaitLine("health ");
            JsonNode json = JsonMapper.builder().build().readTree(line.substring("health ".length()));
            assertThat(json.at("/status").asString()).isEqualTo("DOWN");
            assertThat(json.at("/components/platform/status").asString()).isEqualTo("DOWN");
            assertThat(json.at("/components/platform/details/reason").asString()).contains("no backend for 'plan9'");
            assertThat(json.at("/components/endpoints/components/echo/status").asString()).isEqualTo("DOWN");
            assertThat(json.at("/components/endpoints/components/echo/details/lastError/message").asString())
                    .contains("no backend for 'plan9'");
            assertThat(child.waitFor(60)).isZero();
        }
    }

    @Test
    void failsStartUpWhenAskedToFailFast() {
        try (ChildJvm child = ChildJvm.start(List.of("-Dwinipc.platform=plan9"), UnavailablePlatformChild.class,
                "--winipc.fail-fast=true", "--spring.main.banner-mode=off")) {
            String line = child.awaitLine("failed ");
            assertThat(line).contains("winipc is unavailable (winipc.fail-fast=true)").contains("no backend for 'plan9'");
            assertThat(child.waitFor(60)).isZero();
        }
    }
}
