package io.winipc.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.test.RandomWinipcNames;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The sample's endpoints in a test context of their own: {@link RandomWinipcNames} prefixes every
 * pipe and named object with a random value, so this test runs beside a sample started by hand (or
 * another test JVM) without a name collision, and the context's {@link PipeTemplate} calls the
 * endpoints by the names the sample declares.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@RandomWinipcNames
class SampleEndpointsTests {
    @Autowired
    PipeTemplate pipeTemplate;
    @Autowired
    SampleProperties sample;
    @Autowired
    Environment environment;

    @Test
    void echoes() {
        assertThat(pipeTemplate.request(sample.pipePrefix() + "/echo", "hello", String.class)).isEqualTo("hello");
    }

    @Test
    void quotesAsJson() {
        SampleEndpoints.Quote quote = pipeTemplate.request(sample.pipePrefix() + "/quote",
                new SampleEndpoints.QuoteRequest("acme"), SampleEndpoints.Quote.class);
        assertThat(quote.symbol()).isEqualTo("ACME");
        assertThat(quote.servedToPid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void usesNamesOfItsOwn() {
        assertThat(environment.getProperty("winipc.name-prefix")).matches("t[0-9a-f]{8}-");
        assertThat(pipeTemplate.getNamePrefix()).isEqualTo(environment.getProperty("winipc.name-prefix"));
    }
}
