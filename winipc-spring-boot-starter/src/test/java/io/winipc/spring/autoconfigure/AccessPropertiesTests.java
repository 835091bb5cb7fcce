package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.AccessPolicy;
import io.winipc.TrustPolicy;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every access property: winipc.access.allow for all, winipc.pipe.endpoints.&lt;id&gt;.allow and
 * {@code @PipeEndpoint(allow)} per endpoint, each named object's allow, the template's server
 * trust; placeholders resolved in each. Endpoints are not started: what is checked is the
 * policy each container is built with; the named objects are created, and on Linux their files show
 * the mode and group the policy gives.
 */
class AccessPropertiesTests {
    private static final String P = "spring-access-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcMetricsAutoConfiguration.class,
                    WinipcNamedObjectsAutoConfiguration.class, WinipcHealthContributorAutoConfiguration.class))
            .withPropertyValues("winipc.pipe.auto-startup=false", "test.prefix=" + P);

    @Test
    void withoutPropertiesEveryEndpointAdmitsTheCurrentUserAlone() {
        runner.withUserConfiguration(Endpoints.class).run(context -> {
            assertThat(access(context, "plain")).isEqualTo(AccessPolicy.currentUserOnly());
            assertThat(access(context, "annotated")).isEqualTo(AccessPolicy.currentUserOnly().allowingGids(7).allowingAccounts("BU"));
        });
    }

    @Test
    void theDefaultAppliesToEndpointsThatSayNothingAndPlaceholdersAreResolved() {
        runner.withPropertyValues("test.gid=4242", "winipc.access.allow=gid:${test.gid},IU,.\\svc-desktop")
                .withUserConfiguration(Endpoints.class).run(context -> {
                    assertThat(access(context, "plain")).isEqualTo(
                            AccessPolicy.currentUserOnly().allowingGids(4242).allowingAccounts("IU", ".\\svc-desktop"));
                    // The annotation wins over the default.
                    assertThat(access(context, "annotated")).isEqualTo(
                            AccessPolicy.currentUserOnly().allowingGids(7).allowingAccounts("BU"));
                });
    }

    @Test
    void anEndpointPropertyWinsOverTheDefault() {
        runner.withPropertyValues("test.uid=1001", "winipc.access.allow=gid:50",
                "winipc.pipe.endpoints.plain.allow=uid:${test.uid},S-1-5-32-545",
                "winipc.pipe.endpoints.annotated.allow=uid:9")
                .withUserConfiguration(Endpoints.class).run(context -> {
                    assertThat(access(context, "plain")).isEqualTo(
                            AccessPolicy.currentUserOnly().allowingUids(1001).allowingAccounts("S-1-5-32-545"));
                    assertThat(access(context, "annotated")).isEqualTo(
                            AccessPolicy.currentUserOnly().allowingGids(7).allowingAccounts("BU"));
                });
    }

    @Test
    void theAnnotationResolvesPlaceholders() {
        runner.withPropertyValues("test.group=31").withUserConfiguration(PlaceholderEndpoint.class)
                .run(context -> assertThat(access(context, "placeholder"))
                        .isEqualTo(AccessPolicy.currentUserOnly().allowingGids(31).allowingAccounts("SY")));
    }

    @Test
    void aBadEntryFailsStartUpNamingTheSetting() {
        runner.withPropertyValues("winipc.pipe.endpoints.plain.allow=uid:-3").withUserConfiguration(Endpoints.class)
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("winipc.pipe.endpoints.plain.allow")
                        .hasStackTraceContaining("'uid:-3' is not an access entry"));
        runner.withPropertyValues("winipc.access.allow=gid:x").withUserConfiguration(Endpoints.class)
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("winipc.access.allow"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void namedObjectsTakeTheDefaultOrTheirOwnAllow() throws Exception {
        int gid = (int) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        runner.withPropertyValues("test.gid=" + gid, "winipc.fail-fast=true", "winipc.access.allow=gid:${test.gid}",
                "winipc.shared-memory.board.name=${test.prefix}board", "winipc.shared-memory.board.size=4KB",
                "winipc.events.ready.name=${test.prefix}ready",
                "winipc.semaphores.jobs.name=${test.prefix}jobs", "winipc.semaphores.jobs.maximum=2",
                "winipc.semaphores.jobs.allow=current-user",
                "winipc.mutexes.lock.name=${test.prefix}lock", "winipc.mutexes.lock.allow=gid:${test.gid}")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertFile("shm", "board", 0660, gid);
                    assertFile("event", "ready", 0660, gid);
                    assertFile("sem", "jobs", 0600, -1);
                    assertFile("mutex", "lock", 0660, gid);
                });
    }

    @Test
    void theTemplatesServerTrustResolvesPlaceholders() {
        runner.withPropertyValues("test.uid=1234", "winipc.client.server-trust.uids=${test.uid}")
                .run(context -> assertThat(context.getBean(PipeTemplate.class).getOptions().serverTrust())
                        .isEqualTo(TrustPolicy.currentUserOrSystem().allowingUids(1234)));
    }

    private static void assertFile(String kind, String name, int mode, int gid) throws Exception {
        Path file = Path.of("/dev/shm/winipc-u" + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + "-" + kind + "-" + P + name);
        assertThat((int) Files.getAttribute(file, "unix:mode") & 0777).as(file.toString()).isEqualTo(mode);
        if (gid >= 0) {
            assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(gid);
        }
    }

    private static AccessPolicy access(ApplicationContext context, String id) {
        return context.getBean(PipeEndpointRegistry.class).getContainer(id).getOptions().access();
    }

    @Configuration(proxyBeanMethods = false)
    static class Endpoints {
        @Bean
        EndpointBean accessEndpoints() {
            return new EndpointBean();
        }
    }

    static class EndpointBean {
        @PipeEndpoint(name = "${test.prefix}plain", id = "plain")
        String plain(String s) {
            return s;
        }

        @PipeEndpoint(name = "${test.prefix}annotated", id = "annotated", allow = {"gid:7", "BU"})
        String annotated(String s) {
            return s;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PlaceholderEndpoint {
        @Bean
        Object placeholderEndpoint() {
            return new Object() {
                @PipeEndpoint(name = "${test.prefix}placeholder", id = "placeholder", allow = {"gid:${test.group}", "SY"})
                String handle(String s) {
                    return s;
                }
            };
        }
    }
}
