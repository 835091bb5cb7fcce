package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.Scope;
import io.winipc.TrustPolicy;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.health.WinipcHealthContributor;
import io.winipc.spring.listener.PipeEndpointAnnotationBeanPostProcessor;
import io.winipc.spring.listener.PipeEndpointDefinition;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import io.winipc.spring.listener.PipeListenerContainerFactory;
import io.winipc.spring.metrics.WinipcMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

class WinipcAutoConfigurationTests {

    private static final String[] ENDPOINT_PROPERTIES = {"test.pipe=tests/p", "test.id=custom", "test.concurrency=2",
            "test.size=1KB"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class,
                    WinipcMetricsAutoConfiguration.class, WinipcHealthContributorAutoConfiguration.class));

    @Test
    void registersTheTemplateTheRegistryAndTheEndpointPostProcessor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(PipeTemplate.class);
            assertThat(context).hasSingleBean(PipeEndpointRegistry.class);
            assertThat(context).hasSingleBean(PipeListenerContainerFactory.class);
            assertThat(context).hasSingleBean(PipeEndpointAnnotationBeanPostProcessor.class);
            assertThat(context).hasBean(WinipcAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("winipc.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PipeTemplate.class);
            assertThat(context).doesNotHaveBean(PipeEndpointRegistry.class);
            assertThat(context).doesNotHaveBean(WinipcHealthContributor.class);
        });
    }

    @Test
    void backsOffForTheUsersOwnBeans() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).getBean(PipeTemplate.class).isSameAs(context.getBean("myTemplate"));
            assertThat(context).getBean(PipeEndpointRegistry.class).isSameAs(context.getBean("myRegistry"));
            assertThat(context).getBean(PipeListenerContainerFactory.class).isSameAs(context.getBean("myFactory"));
            assertThat(context.getBean(WinipcAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME))
                    .isInstanceOf(StringMessageConverter.class);
            assertThat(context).getBean(WinipcMetrics.class).isSameAs(context.getBean("myMetrics"));
            assertThat(context).getBean(WinipcHealthContributor.class).isSameAs(context.getBean("winipcHealthContributor"));
            assertThat(context.getBean("winipcHealthContributor")).isSameAs(context.getBean(UserBeans.class).health);
        });
    }

    @Test
    void bindsClientPropertiesIntoTheTemplate() {
        runner.withPropertyValues("winipc.client.connect-timeout=2s", "winipc.client.max-message-size=1KB",
                "winipc.client.scope=GLOBAL", "winipc.client.retry-interval=25ms", "winipc.client.read-timeout=3s").run(context -> {
                    PipeTemplate template = context.getBean(PipeTemplate.class);
                    assertThat(template.getRetryInterval()).isEqualTo(Duration.ofMillis(25));
                    assertThat(template.getReadTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(template.getOptions().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(template.getOptions().maxMessageSize()).isEqualTo(1024);
                    assertThat(template.getOptions().scope()).isEqualTo(Scope.GLOBAL);
                    assertThat(template.getOptions().mode()).isEqualTo(PipeMode.MESSAGE);
                });
    }

    @Test
    void theTemplateTrustsTheCurrentUserOrSystemUnlessServerTrustPropertiesSayMore() {
        runner.run(context -> assertThat(context.getBean(PipeTemplate.class).getOptions().serverTrust())
                .isEqualTo(TrustPolicy.currentUserOrSystem()));
        runner.withPropertyValues("winipc.client.server-trust.uids=1001,1002", "winipc.client.server-trust.gids=50",
                "winipc.client.server-trust.sids=S-1-5-21-1-2-3-1001").run(context -> assertThat(context
                        .getBean(PipeTemplate.class).getOptions().serverTrust()).isEqualTo(TrustPolicy.currentUserOrSystem()
                                .allowingUids(1001, 1002).allowingGids(50).allowingSids("S-1-5-21-1-2-3-1001")));
        runner.withPropertyValues("winipc.client.server-trust.any-account=true").run(context -> assertThat(context
                .getBean(PipeTemplate.class).getOptions().serverTrust()).isEqualTo(TrustPolicy.anyAccount()));
        runner.withPropertyValues("winipc.client.server-trust.sids=not-a-sid").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("not a SID"));
    }

    @Test
    void rejectsAClientMaxMessageSizeBeyondTwoGigabytes() {
        runner.withPropertyValues("winipc.client.max-message-size=3GB").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("winipc.client.max-message-size"));
    }

    @Test
    void appliesPipeDefaultsToEndpointsThatLeaveThemOut() {
        runner.withPropertyValues("winipc.pipe.concurrency=3", "winipc.pipe.max-message-size=2KB",
                "winipc.pipe.drain-timeout=750ms", "winipc.pipe.auto-startup=false").withPropertyValues(ENDPOINT_PROPERTIES)
                .withUserConfiguration(Endpoints.class)
                .run(context -> {
                    PipeListenerContainer container = context.getBean(PipeEndpointRegistry.class).getContainer("plain");
                    assertThat(container.getOptions().maxInstances()).isEqualTo(3);
                    assertThat(container.getOptions().maxMessageSize()).isEqualTo(2048);
                    assertThat(container.getOptions().drainTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(container.isAutoStartup()).isFalse();
                    assertThat(container.isRunning()).isFalse();
                });
    }

    @Test
    void resolvesPlaceholdersInEndpointAttributes() {
        runner.withPropertyValues("test.pipe=tests/placeholder", "test.id=custom", "test.concurrency=5",
                "test.size=64KB").withUserConfiguration(Endpoints.class).run(context -> {
                    PipeEndpointRegistry registry = context.getBean(PipeEndpointRegistry.class);
                    assertThat(registry.getIds()).containsExactlyInAnyOrder("plain", "custom", "endpoints.stream");
                    PipeListenerContainer container = registry.getContainer("custom");
                    assertThat(container.getDefinition().name()).isEqualTo("tests/placeholder");
                    assertThat(container.getOptions().maxInstances()).isEqualTo(5);
                    assertThat(container.getOptions().maxMessageSize()).isEqualTo(64 * 1024);
                    assertThat(container.getDefinition().kind()).isEqualTo(PipeEndpointDefinition.Kind.ONE_WAY);
                    PipeListenerContainer stream = registry.getContainer("endpoints.stream");
                    assertThat(stream.getDefinition().kind()).isEqualTo(PipeEndpointDefinition.Kind.STREAMING);
                    assertThat(stream.getOptions().mode()).isEqualTo(PipeMode.BYTE);
                    assertThat(registry.getContainer("plain").getDefinition().kind())
                            .isEqualTo(PipeEndpointDefinition.Kind.REQUEST_REPLY);
                });
    }

    @Test
    void refusesByteModeForARequestReplyEndpoint() {
        runner.withUserConfiguration(ByteModeRequestReply.class).run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("need MESSAGE mode"));
    }

    @Test
    void refusesTwoEndpointsWithTheSameId() {
        runner.withUserConfiguration(DuplicateIds.class).run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("its id 'same' is already the id of"));
    }

    @Test
    void refusesAConcurrencyBeyondTheInstanceLimit() {
        runner.withPropertyValues("winipc.pipe.concurrency=256", "test.pipe=tests/x", "test.id=x", "test.concurrency=",
                "test.size=").withUserConfiguration(Endpoints.class).run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("maxInstances must be 1..254"));
    }

    @Test
    void registersMetricsWhenAMeterRegistryExists() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> assertThat(context)
                .hasSingleBean(WinipcMetrics.class));
    }

    @Test
    void skipsMetricsWithoutAMeterRegistryBean() {
        runner.run(context -> assertThat(context).doesNotHaveBean(WinipcMetrics.class));
    }

    @Test
    void worksWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(WinipcMetrics.class);
            assertThat(context).hasSingleBean(PipeTemplate.class);
        });
    }

    @Test
    void registersTheHealthContributorUnlessDisabled() {
        runner.run(context -> assertThat(context).hasBean("winipcHealthContributor"));
        runner.withPropertyValues("management.health.winipc.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("winipcHealthContributor"));
        runner.withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("winipcHealthContributor"));
    }

    @Test
    void worksWithoutActuatorHealth() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
                "org.springframework.boot.actuate")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean("winipcHealthContributor");
            assertThat(context).hasSingleBean(PipeEndpointRegistry.class);
        });
    }

    @Test
    void convertsStringsAndBytesWithoutJacksonAndRefusesObjects() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson")).run(context -> {
            assertThat(context).hasNotFailed();
            PipeTemplate template = context.getBean(PipeTemplate.class);
            assertThat(template.toBytes("héllo")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
            assertThat(template.fromBytes("héllo".getBytes(StandardCharsets.UTF_8), String.class)).isEqualTo("héllo");
            assertThatThrownBy(() -> template.toBytes(new Point(1, 2))).isInstanceOf(MessageConversionException.class);
        });
    }

    @Test
    void convertsObjectsAsJsonWithJackson() {
        runner.run(context -> {
            PipeTemplate template = context.getBean(PipeTemplate.class);
            byte[] json = template.toBytes(new Point(1, 2));
            assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"x\":1,\"y\":2}");
            assertThat(template.fromBytes(json, Point.class)).isEqualTo(new Point(1, 2));
        });
    }

    @Test
    void reportsAnEndpointThatDoesNotStartAutomaticallyAsOutOfService() {
        runner.withPropertyValues("winipc.pipe.auto-startup=false").withPropertyValues(ENDPOINT_PROPERTIES)
                .withUserConfiguration(Endpoints.class).run(context -> {
                    CompositeHealthContributor winipc = context.getBean(WinipcHealthContributor.class);
                    Health platform = ((HealthIndicator) winipc.getContributor("platform")).health();
                    assertThat(platform.getStatus()).isEqualTo(Status.UP);
                    assertThat(platform.getDetails()).containsEntry("backend", org.junit.jupiter.api.condition.OS.WINDOWS.isCurrentOs() ? "windows" : "linux");
                    HealthContributor endpoints = winipc.getContributor("endpoints");
                    Health plain = ((HealthIndicator) ((CompositeHealthContributor) endpoints).getContributor("plain")).health();
                    assertThat(plain.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(plain.getDetails()).containsEntry("listening", false).containsEntry("pipe", "tests/plain")
                            .containsEntry("instancesBusy", 0).containsEntry("instancesFree", 0);
                });
    }

    @Test
    void registersGaugesForEndpoints() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("winipc.pipe.auto-startup=false")
                .withPropertyValues(ENDPOINT_PROPERTIES).withUserConfiguration(Endpoints.class).run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("winipc.pipe.connections.active").tag("endpoint", "plain").gauge().value())
                            .isZero();
                });
    }

    @Test
    void usesTheCoreDefaultsWithoutProperties() {
        runner.run(context -> {
            PipeTemplate template = context.getBean(PipeTemplate.class);
            assertThat(template.getOptions().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(template.getRetryInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(template.getReadTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(template.getOptions().maxMessageSize()).isEqualTo(16 * 1024 * 1024);
            WinipcProperties properties = context.getBean(WinipcProperties.class);
            assertThat(properties.isFailFast()).isFalse();
            assertThat(properties.getPipe().getConcurrency()).isEqualTo(16);
            assertThat(properties.getPipe().getDrainTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.getPipe().isAutoStartup()).isTrue();
        });
    }

    @Test
    void shipsConfigurationMetadataWithDescriptionsForEveryProperty() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            tools.jackson.databind.JsonNode metadata = tools.jackson.databind.json.JsonMapper.builder().build().readTree(in);
            Map<String, tools.jackson.databind.JsonNode> byName = new java.util.HashMap<>();
            metadata.get("properties").forEach(p -> byName.put(p.get("name").asString(), p));
            assertThat(byName).containsKeys("winipc.enabled", "winipc.fail-fast", "winipc.pipe.concurrency",
                    "winipc.pipe.max-message-size", "winipc.pipe.drain-timeout", "winipc.pipe.auto-startup",
                    "winipc.client.connect-timeout", "winipc.client.retry-interval", "winipc.client.read-timeout",
                    "winipc.client.max-message-size", "winipc.client.scope", "winipc.shared-memory", "winipc.events",
                    "winipc.semaphores", "winipc.mutexes", "management.health.winipc.enabled");
            assertThat(byName.values()).allSatisfy(p -> assertThat(p.path("description").asString()).as(p.toString()).isNotBlank());
            assertThat(byName.get("winipc.pipe.drain-timeout").get("type").asString()).isEqualTo("java.time.Duration");
            assertThat(byName.get("winipc.client.connect-timeout").get("defaultValue").asString()).isEqualTo("5s");
        }
    }

    public record Point(int x, int y) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Endpoints {
        @Bean
        EndpointBean endpoints() {
            return new EndpointBean();
        }
    }

    static class EndpointBean {
        @PipeEndpoint(name = "tests/plain", id = "plain")
        String echo(String in) {
            return in;
        }

        @PipeEndpoint(name = "${test.pipe}", id = "${test.id}", concurrency = "${test.concurrency}",
                maxMessageSize = "${test.size}", autoStartup = "false")
        void oneWay(byte[] in) {
        }

        @PipeEndpoint(name = "tests/stream", mode = PipeMode.BYTE, autoStartup = "false")
        void stream(PipeConnection connection) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ByteModeRequestReply {
        @Bean
        Object byteMode() {
            return new Object() {
                @PipeEndpoint(name = "tests/bytes", mode = PipeMode.BYTE)
                public String echo(String in) {
                    return in;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateIds {
        @Bean
        Object first() {
            return new Object() {
                @PipeEndpoint(name = "tests/a", id = "same", autoStartup = "false")
                public String echo(String in) {
                    return in;
                }
            };
        }

        @Bean
        Object second() {
            return new Object() {
                @PipeEndpoint(name = "tests/b", id = "same", autoStartup = "false")
                public String echo(String in) {
                    return in;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        final WinipcHealthContributor health = new WinipcHealthContributor(
                new PipeEndpointRegistry(factory()), Map::of);

        @Bean
        PipeTemplate myTemplate() {
            return new PipeTemplate(io.winipc.pipe.PipeClientOptions.defaults(), Duration.ofMillis(50), null,
                    new StringMessageConverter(), io.winipc.spring.client.PipeClientObserver.NONE);
        }

        @Bean
        PipeListenerContainerFactory myFactory() {
            return factory();
        }

        @Bean
        PipeEndpointRegistry myRegistry(PipeListenerContainerFactory factory) {
            return new PipeEndpointRegistry(factory);
        }

        @Bean(WinipcAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME)
        MessageConverter winipcMessageConverter() {
            return new StringMessageConverter();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        WinipcMetrics myMetrics(MeterRegistry registry) {
            return new WinipcMetrics(registry);
        }

        @Bean
        WinipcHealthContributor winipcHealthContributor() {
            return health;
        }

        private static PipeListenerContainerFactory factory() {
            return new PipeListenerContainerFactory(new StringMessageConverter(), Runnable::run,
                    io.winipc.spring.listener.PipeEndpointObserver.NONE,
                    new PipeListenerContainerFactory.Defaults(1, 1024, Duration.ZERO, false, false));
        }
    }
}
