package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.ObjectExistsException;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.autoconfigure.WinipcAutoConfiguration;
import io.winipc.spring.autoconfigure.WinipcHealthContributorAutoConfiguration;
import io.winipc.spring.health.WinipcHealthContributor;
import io.winipc.spring.listener.PipeEndpointRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What happens when an endpoint cannot listen because a live server already owns its name. */
class ListenFailureTests {
    private static final String NAME = "spring-it-" + ProcessHandle.current().pid() + "-taken";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class,
                    WinipcHealthContributorAutoConfiguration.class))
            .withPropertyValues("test.name=" + NAME)
            .withUserConfiguration(TakenEndpoint.class);

    @Test
    void startsAnywayAndReportsTheEndpointDownWithTheReason() {
        try (PipeServer squatter = PipeServer.listen(NAME, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(PipeEndpointRegistry.class).getContainer("taken").isRunning()).isFalse();
                CompositeHealthContributor winipc = context.getBean(WinipcHealthContributor.class);
                Health health = ((HealthIndicator) ((CompositeHealthContributor) winipc.getContributor("endpoints"))
                        .getContributor("taken")).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("listening", false);
                assertThat(health.getDetails().get("lastError").toString()).contains(ObjectExistsException.class.getName());
            });
            assertThat(squatter.isOpen()).isTrue();
        }
    }

    @Test
    void failsStartUpWhenAskedToFailFast() {
        try (PipeServer squatter = PipeServer.listen(NAME, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            runner.withPropertyValues("winipc.fail-fast=true").run(context -> assertThat(context).getFailure()
                    .hasStackTraceContaining("could not listen on '" + NAME + "' (winipc.fail-fast=true)")
                    .hasStackTraceContaining(ObjectExistsException.class.getName()));
            assertThat(squatter.isOpen()).isTrue();
        }
    }

    /** What docs/spring-boot-starter.md shows: with winipc in the readiness group, a DOWN endpoint makes the app not ready. */
    @Test
    void makesTheApplicationNotReadyWhenWinipcIsInTheReadinessGroup() {
        ApplicationContextRunner withProbes = runner
                .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                        AvailabilityHealthContributorAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class))
                .withPropertyValues("management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.group.readiness.include=readinessState,winipc");
        withProbes.run(context -> {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC); // as ApplicationReadyEvent would
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
        });
        try (PipeServer squatter = PipeServer.listen(NAME, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            withProbes.run(context -> {
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                HealthEndpoint health = context.getBean(HealthEndpoint.class);
                assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            });
        }
    }

    @Test
    void listensOnceTheNameIsFreeAndLeavesNoThreadBehindOnClose() {
        runner.withPropertyValues("winipc.pipe.drain-timeout=0s").run(context -> {
            assertThat(context.getBean(PipeEndpointRegistry.class).getContainer("taken").isRunning()).isTrue();
            assertThat(context.getBean(io.winipc.spring.client.PipeTemplate.class).request(NAME, "hi", String.class))
                    .isEqualTo("hi");
            assertThat(winipcThreads()).isNotEmpty();
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(winipcThreads()).isEmpty());
    }

    private static java.util.List<String> winipcThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.equals("winipc-accept-taken") || n.startsWith("winipc-handler-")).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class TakenEndpoint {
        @Bean
        Object taken() {
            return new Object() {
                @PipeEndpoint(name = "${test.name}", id = "taken")
                public String echo(String in) {
                    return in;
                }
            };
        }
    }
}
