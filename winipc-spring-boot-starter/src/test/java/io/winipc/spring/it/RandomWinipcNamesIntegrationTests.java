package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.WinipcTimeoutException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.test.RandomWinipcNames;
import io.winipc.sync.Event;
import io.winipc.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * {@link RandomWinipcNames} and {@code winipc.name-prefix}: every endpoint, template target and
 * named object of the context carries a random prefix, so that two applications declaring the
 * same names run side by side, and the context's own {@code PipeTemplate} reaches its endpoints.
 */
@SpringBootTest(classes = EndpointsApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "test.prefix=" + RandomWinipcNamesIntegrationTests.NAMES, "winipc.events.ready.name=" + RandomWinipcNamesIntegrationTests.NAMES + "/ready"})
@RandomWinipcNames
class RandomWinipcNamesIntegrationTests {
    /** The same declared names in every run, which would collide without the random prefix. */
    static final String NAMES = "fixed-names";

    @Autowired
    Environment environment;
    @Autowired
    PipeTemplate template;
    @Autowired
    PipeEndpointRegistry registry;

    String prefix() {
        return environment.getProperty("winipc.name-prefix");
    }

    @Test
    void theContextGetsARandomPrefix() {
        assertThat(prefix()).matches("t[0-9a-f]{8}-");
    }

    @Test
    void theContextsOwnTemplateReachesItsEndpointsByTheirDeclaredNames() {
        assertThat(template.getNamePrefix()).isEqualTo(prefix());
        assertThat(template.request(NAMES + "/echo", "via the template", String.class)).isEqualTo("via the template");
    }

    @Test
    void anotherProcessFindsTheEndpointUnderThePrefixedNameOnly() {
        try (ChildJvm client = ChildJvm.start(List.of(), io.winipc.spring.testing.PipeClientChild.class)) {
            assertThat(client.readLine()).startsWith("ready ");
            assertThat(client.ask("request " + prefix() + NAMES + "/echo hello")).isEqualTo("reply hello");
            assertThat(client.ask("request " + prefix() + NAMES + "/whoami x"))
                    .isEqualTo("reply " + client.pid() + " " + prefix() + NAMES + "/whoami");
            client.send("exit");
            assertThat(client.waitFor(30)).isZero();
        }
        assertThatThrownBy(() -> PipeClient.connect(NAMES + "/echo",
                PipeClientOptions.defaults().withConnectTimeout(Duration.ofMillis(200))).close())
                .isInstanceOf(WinipcTimeoutException.class);
    }

    @Test
    void namedObjectsArePrefixedToo() {
        try (Event ready = Event.open(prefix() + NAMES + "/ready")) {
            assertThat(ready.name()).isEqualTo(prefix() + NAMES + "/ready");
        }
    }

    @Test
    void aSecondApplicationWithTheSameDeclaredNamesRunsBesideThisOne() {
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(EndpointsApp.class)
                .web(WebApplicationType.NONE)
                .properties("test.prefix=" + NAMES, "winipc.events.ready.name=" + NAMES + "/ready",
                        "winipc.fail-fast=true", "winipc.name-prefix=" + prefix() + "second-")
                .run()) {
            PipeTemplate secondTemplate = second.getBean(PipeTemplate.class);
            assertThat(secondTemplate.request(NAMES + "/echo", "second", String.class)).isEqualTo("second");
            assertThat(second.getBean(PipeEndpointRegistry.class).getContainer("echo").isRunning()).isTrue();
        }
        assertThat(registry.getContainer("echo").isRunning()).isTrue();
        assertThat(template.request(NAMES + "/echo", "first", String.class)).isEqualTo("first");
    }
}
