package io.winipc.spring.autoconfigure;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.client.NoReplyException;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.client.PipeTemplateCustomizer;
import io.winipc.spring.listener.InvalidPipeEndpointException;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainerCustomizer;
import io.winipc.spring.listener.PipeListenerContainerFactory;
import io.winipc.spring.observation.DefaultPipeServerObservationConvention;
import io.winipc.spring.observation.PipeServerObservationContext;
import io.winipc.spring.observation.PipeServerObservationConvention;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Micrometer Observation on both sides of a real pipe, and the extension points: customizers, a
 * second container factory built by the configurer, generic replies.
 */
class WinipcObservationAndExtensionTests {
    private static final String PREFIX = "spring-obs-" + ProcessHandle.current().pid() + "-";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class,
                    WinipcMetricsAutoConfiguration.class))
            .withPropertyValues("winipc.client.connect-timeout=10s");

    private ApplicationContextRunner unique() {
        return runner.withPropertyValues("winipc.name-prefix=" + PREFIX + System.nanoTime() + "-");
    }

    @Test
    void aRequestIsObservedOnTheServerAndInTheTemplate() {
        unique().withUserConfiguration(Endpoints.class, TestObservations.class).run(context -> {
            PipeTemplate template = context.getBean(PipeTemplate.class);
            assertThat(template.request("obs/echo", "hello", String.class)).isEqualTo("hello");
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            String pipe = template.getNamePrefix() + "obs/echo";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry)
                    .hasObservationWithNameEqualTo("winipc.pipe.server").that()
                    .hasContextualNameEqualTo(pipe + " receive")
                    .hasLowCardinalityKeyValue("winipc.endpoint", "echo").hasLowCardinalityKeyValue("winipc.pipe", pipe)
                    .hasLowCardinalityKeyValue("winipc.mode", "request-reply").hasLowCardinalityKeyValue("outcome", "SUCCESS")
                    .hasLowCardinalityKeyValue("exception", "none").doesNotHaveHighCardinalityKeyValueWithKey("peer.pid")
                    .hasBeenStarted().hasBeenStopped());
            assertThat(registry).hasObservationWithNameEqualTo("winipc.pipe.client").that()
                    .hasContextualNameEqualTo(pipe + " request").hasLowCardinalityKeyValue("winipc.pipe", pipe)
                    .hasLowCardinalityKeyValue("winipc.operation", "request").hasLowCardinalityKeyValue("outcome", "SUCCESS")
                    .hasBeenStarted().hasBeenStopped();
        });
    }

    @Test
    void aFailingHandlerIsAnErrorOnBothSides() {
        unique().withUserConfiguration(Endpoints.class, TestObservations.class).run(context -> {
            PipeTemplate template = context.getBean(PipeTemplate.class);
            assertThatThrownBy(() -> template.request("obs/fail", "x", String.class)).isInstanceOf(NoReplyException.class);
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry)
                    .hasObservationWithNameEqualTo("winipc.pipe.server").that()
                    .hasLowCardinalityKeyValue("winipc.endpoint", "fail").hasLowCardinalityKeyValue("outcome", "ERROR")
                    .hasLowCardinalityKeyValue("exception", "IllegalStateException").hasBeenStopped());
            assertThat(registry).hasObservationWithNameEqualTo("winipc.pipe.client").that()
                    .hasLowCardinalityKeyValue("outcome", "ERROR").hasLowCardinalityKeyValue("exception", "NoReplyException");
        });
    }

    @Test
    void aStreamingConnectionIsOneObservationAndASendIsObserved() {
        unique().withUserConfiguration(Endpoints.class, TestObservations.class).run(context -> {
            PipeTemplate template = context.getBean(PipeTemplate.class);
            try (PipeConnection connection = template.connect("obs/upper", Duration.ofSeconds(10), PipeMode.BYTE)) {
                connection.outputStream().write("a\nb\n".getBytes(StandardCharsets.UTF_8));
                connection.outputStream().flush();
                assertThat(new String(connection.inputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("A\nB\n");
            }
            template.send("obs/log", "one way");
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registry).hasNumberOfObservationsWithNameEqualTo("winipc.pipe.server", 2);
                assertThat(registry).hasAnObservation(o -> o.hasLowCardinalityKeyValue("winipc.mode", "streaming")
                        .hasLowCardinalityKeyValue("winipc.endpoint", "upper"));
                assertThat(registry).hasAnObservation(o -> o.hasLowCardinalityKeyValue("winipc.mode", "one-way")
                        .hasLowCardinalityKeyValue("winipc.endpoint", "log"));
            });
            assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo("winipc.pipe.client")
                    .hasLowCardinalityKeyValue("winipc.operation", "send"));
        });
    }

    @Test
    void propertiesTurnObservationOffPerSide() {
        unique().withUserConfiguration(Endpoints.class, TestObservations.class)
                .withPropertyValues("winipc.pipe.observation-enabled=false").run(context -> {
                    PipeTemplate template = context.getBean(PipeTemplate.class);
                    assertThat(template.request("obs/echo", "x", String.class)).isEqualTo("x");
                    TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("winipc.pipe.client", 1);
                    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("winipc.pipe.server", 0);
                });
        unique().withUserConfiguration(Endpoints.class, TestObservations.class)
                .withPropertyValues("winipc.client.observation-enabled=false").run(context -> {
                    assertThat(context.getBean(PipeTemplate.class).request("obs/echo", "x", String.class)).isEqualTo("x");
                    TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThat(registry).hasNumberOfObservationsWithNameEqualTo("winipc.pipe.server", 1));
                    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("winipc.pipe.client", 0);
                });
    }

    @Test
    void aConventionBeanReplacesTheDefault() {
        unique().withUserConfiguration(Endpoints.class, TestObservations.class, CustomConvention.class).run(context -> {
            context.getBean(PipeTemplate.class).request("obs/echo", "x", String.class);
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry)
                    .hasObservationWithNameEqualTo("winipc.pipe.server").that()
                    .hasLowCardinalityKeyValue("winipc.endpoint", "echo").hasLowCardinalityKeyValue("team", "billing"));
        });
    }

    @Test
    void theObservationHandlerOfARealMeterRegistryMakesATimerBesideTheExistingMeters() {
        unique().withUserConfiguration(Endpoints.class, MeterObservations.class).run(context -> {
            context.getBean(PipeTemplate.class).request("obs/echo", "x", String.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Timer server = meters.find("winipc.pipe.server").tags("winipc.endpoint", "echo", "outcome", "SUCCESS",
                        "winipc.mode", "request-reply", "exception", "none").timer();
                assertThat(server).isNotNull();
                assertThat(server.count()).isEqualTo(1);
            });
            assertThat(meters.find("winipc.pipe.client").tags("winipc.operation", "request").timer().count()).isEqualTo(1);
            // The meters winipc recorded before observation keep their names.
            assertThat(meters.find("winipc.pipe.handler").tags("endpoint", "echo").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void customizersAndASecondFactoryFromTheConfigurer() {
        unique().withUserConfiguration(Endpoints.class, SecondFactory.class, Customizers.class).run(context -> {
            assertThat(context).hasNotFailed();
            PipeEndpointRegistry registry = context.getBean(PipeEndpointRegistry.class);
            assertThat(registry.getContainer("bulk").getOptions().maxInstances()).isEqualTo(3);
            assertThat(registry.getContainer("echo").getOptions().maxInstances()).isEqualTo(16);
            Customizers customizers = context.getBean(Customizers.class);
            // The auto-configured factory and the one from the configurer both apply the customizers.
            assertThat(customizers.containers).containsExactlyInAnyOrder("echo", "fail", "upper", "log", "bulk", "items");
            assertThat(customizers.templates).hasSize(1).first().isSameAs(context.getBean(PipeTemplate.class));
            assertThat(context.getBean(PipeTemplate.class).request("obs/bulk", "b", String.class)).isEqualTo("bulk b");
        });
    }

    @Test
    void anUnknownContainerFactoryFailsStartUpNamingIt() {
        unique().withUserConfiguration(Endpoints.class).withBean(BulkEndpoints.class).run(context -> assertThat(context).hasFailed().getFailure()
                .isInstanceOf(InvalidPipeEndpointException.class)
                .hasMessageContaining("containerFactory 'bulkFactory' is not a PipeListenerContainerFactory bean"));
    }

    @Test
    void aGenericReplyTypeComesBackAsItsElementTypes() {
        unique().withUserConfiguration(Endpoints.class, SecondFactory.class).run(context -> {
            List<Item> items = context.getBean(PipeTemplate.class).request("obs/items", "a,b",
                    new ParameterizedTypeReference<List<Item>>() {
                    });
            assertThat(items).containsExactly(new Item("a", 1), new Item("b", 2));
        });
    }

    @Test
    void thePlatformCheckBacksOffForTheUsersOwn() {
        runner.withBean("winipcPlatformCheck", WinipcAutoConfiguration.WinipcPlatformCheck.class,
                () -> new WinipcAutoConfiguration.WinipcPlatformCheck(false)).withBean("myCheck",
                        WinipcAutoConfiguration.WinipcPlatformCheck.class, () -> new WinipcAutoConfiguration.WinipcPlatformCheck(true))
                .run(context -> assertThat(context).hasNotFailed());
        runner.withBean("myCheck", WinipcAutoConfiguration.WinipcPlatformCheck.class,
                () -> new WinipcAutoConfiguration.WinipcPlatformCheck(true))
                .run(context -> assertThat(context.getBeansOfType(WinipcAutoConfiguration.WinipcPlatformCheck.class))
                        .containsOnlyKeys("myCheck"));
    }

    /** An element of a generic reply. */
    public record Item(String name, int position) {
    }

    @Configuration(proxyBeanMethods = false)
    static class TestObservations {
        @Bean
        TestObservationRegistry testObservationRegistry() {
            return TestObservationRegistry.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MeterObservations {
        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ObservationRegistry observationRegistry(MeterRegistry meters) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
            return registry;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomConvention {
        @Bean
        PipeServerObservationConvention teamConvention() {
            return new DefaultPipeServerObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(PipeServerObservationContext context) {
                    return super.getLowCardinalityKeyValues(context).and("team", "billing");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondFactory {
        @Bean
        PipeListenerContainerFactory bulkFactory(PipeListenerContainerFactoryConfigurer configurer) {
            PipeListenerContainerFactory.Defaults d = configurer.defaults();
            return configurer.create(new PipeListenerContainerFactory.Defaults(3, d.maxMessageSize(), d.drainTimeout(),
                    d.autoStartup(), d.failFast()));
        }

        @Bean
        PipeListenerContainerFactory pipeListenerContainerFactory(PipeListenerContainerFactoryConfigurer configurer) {
            return configurer.create();
        }

        @Bean
        BulkEndpoints bulkEndpoints() {
            return new BulkEndpoints();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final List<String> containers = new CopyOnWriteArrayList<>();
        final List<PipeTemplate> templates = new CopyOnWriteArrayList<>();

        @Bean
        PipeListenerContainerCustomizer recordingContainerCustomizer() {
            return container -> containers.add(container.getId());
        }

        @Bean
        PipeTemplateCustomizer recordingTemplateCustomizer() {
            return templates::add;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Endpoints {
        @Bean
        Handlers obsHandlers() {
            return new Handlers();
        }
    }

    /** Endpoints of each kind. */
    public static class Handlers {
        @PipeEndpoint(name = "obs/echo", id = "echo")
        public String echo(String in) {
            return in;
        }

        @PipeEndpoint(name = "obs/fail", id = "fail")
        public String fail(String in) {
            throw new IllegalStateException("handler failed on purpose");
        }

        @PipeEndpoint(name = "obs/upper", id = "upper", mode = PipeMode.BYTE)
        public void upper(PipeConnection connection) throws IOException {
            byte[] in = connection.inputStream().readNBytes(4);
            connection.outputStream().write(new String(in, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
            connection.outputStream().flush();
        }

        @PipeEndpoint(name = "obs/log", id = "log")
        public void log(String in) {
        }
    }

    /** Endpoints built by the second factory. */
    public static class BulkEndpoints {
        @PipeEndpoint(name = "obs/bulk", id = "bulk", containerFactory = "bulkFactory")
        public String bulk(String in) {
            return "bulk " + in;
        }

        @PipeEndpoint(name = "obs/items", id = "items", containerFactory = "bulkFactory")
        public List<Item> items(String names) {
            String[] parts = names.split(",");
            return List.of(new Item(parts[0], 1), new Item(parts[1], 2));
        }
    }
}
