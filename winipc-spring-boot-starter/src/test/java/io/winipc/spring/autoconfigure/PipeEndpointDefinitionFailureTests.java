package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.pipe.PipeConnection;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.PipeName;
import io.winipc.spring.diagnostics.InvalidPipeEndpointFailureAnalyzer;
import io.winipc.spring.listener.InvalidPipeEndpointException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every mistake in a {@code @PipeEndpoint} declaration fails start-up (issue A1, point 3) with a
 * message naming the bean, the method and the fix; none of them reaches the point of listening
 * (every endpoint here has auto-startup off, so a failure can only come from the definition).
 */
class PipeEndpointDefinitionFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("winipc.pipe.auto-startup=false")
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class));

    private static InvalidPipeEndpointException failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable t = context.getStartupFailure();
        while (t != null && !(t instanceof InvalidPipeEndpointException)) {
            t = t.getCause();
        }
        assertThat(t).as("an InvalidPipeEndpointException in %s", context.getStartupFailure()).isNotNull();
        InvalidPipeEndpointException e = (InvalidPipeEndpointException) t;
        assertThat(e.getMessage()).doesNotContain("fail-fast");
        return e;
    }

    @Test
    void twoEndpointsOnOnePipeFailNamingBothMethods() {
        runner.withUserConfiguration(SamePipe.class).run(context -> {
            InvalidPipeEndpointException e = failure(context);
            assertThat(e.getBeanName()).isIn("firstOnPipe", "secondOnPipe");
            assertThat(e.getMessage()).contains("FirstOnPipe.echo(String)").contains("SecondOnPipe.echo(String)")
                    .contains("bean 'firstOnPipe'").contains("bean 'secondOnPipe'").contains("'tests/same-pipe'")
                    .contains("Fix: give one of them another @PipeEndpoint(name = ...)");
        });
    }

    @Test
    void invalidNamesFailWithTheCoresReasonAndNoRawControlCharacter() {
        String[][] cases = {
                {"x".repeat(206), "206 characters long; the limit is 200"},
                {"demo\\bad", "must not contain '\\'"},
                {"\\\\.\\pipe\\demo", "give the bare name"},
                {"demo\0bad", "U+0000"}};
        for (String[] c : cases) {
            runner.withPropertyValues("test.pipe=" + c[0]).withBean("namedByProperty", NamedByProperty.class).run(context -> {
                InvalidPipeEndpointException e = failure(context);
                assertThat(e.getBeanName()).isEqualTo("namedByProperty");
                assertThat(e.getMessage()).as(c[1]).contains("NamedByProperty.echo(String)").contains(c[1])
                        .contains("Fix: set @PipeEndpoint(name = ...) to a bare name").doesNotContain("\0");
            });
        }
    }

    @Test
    void twoPayloadParametersFail() {
        runner.withBean("twoPayloads", TwoPayloads.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'twoPayloads'").contains("TwoPayloads.handle(String, String)")
                .contains("parameter 1 (String) and parameter 2 (String) would each receive the message payload")
                .contains("Fix: keep one payload parameter"));
    }

    @Test
    void peerPidOnAStringFails() {
        runner.withBean("pidAsString", PidAsString.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'pidAsString'").contains("PidAsString.handle(String, String)")
                .contains("@PeerPid is on parameter 2 (String)").contains("Fix: declare that parameter as long"));
    }

    @Test
    void pipeNameOnALongFails() {
        runner.withBean("pipeNameAsLong", PipeNameAsLong.class).run(context -> assertThat(failure(context).getMessage())
                .contains("@PipeName is on parameter 2 (long)").contains("Fix: declare that parameter as String"));
    }

    @Test
    void aStreamingHandlerWithAPayloadParameterFails() {
        runner.withBean("streamWithPayload", StreamWithPayload.class).run(context -> assertThat(failure(context).getMessage())
                .contains("StreamWithPayload.handle(PipeConnection, String)").contains("would receive no message"));
    }

    @Test
    void pojoPayloadOrReplyWithoutJacksonFails() {
        ApplicationContextRunner withoutJackson = runner.withClassLoader(new FilteredClassLoader("tools.jackson"));
        withoutJackson.withBean("pojoPayload", PojoPayload.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'pojoPayload'").contains("PojoPayload.handle(Point)")
                .contains("no message converter turns bytes into its payload type")
                .contains("Fix: use String or byte[], or put Jackson"));
        withoutJackson.withBean("pojoReply", PojoReply.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'pojoReply'").contains("PojoReply.handle(String)")
                .contains("no message converter turns its return type").contains("Point into bytes"));
        runner.withBean("pojoPayload", PojoPayload.class).withBean("pojoReply", PojoReply.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void duplicateExplicitIdsNameBothMethodsAndAskToChangeOne() {
        runner.withUserConfiguration(SameExplicitId.class).run(context -> assertThat(failure(context).getMessage())
                .contains("its id 'same' is already the id of").contains("FirstWithId.echo(String)")
                .contains("SecondWithId.echo(String)").contains("bean 'firstWithId'").contains("bean 'secondWithId'")
                .contains("Fix: change the id in @PipeEndpoint(id = \"same\") on one of them")
                .doesNotContain("explicit"));
    }

    @Test
    void overloadsWithTheSameDefaultIdAreAskedForAnExplicitId() {
        runner.withBean("overloads", Overloads.class).run(context -> assertThat(failure(context).getMessage())
                .contains("its id 'overloads.echo' is already the id of").contains("Overloads.echo(String)")
                .contains("Overloads.echo(byte[])").contains("Fix: give one of them an explicit, different @PipeEndpoint(id = ...)"));
    }

    @Test
    void badAttributeValuesNameTheAttributeAndTheExpectedForm() {
        runner.withPropertyValues("test.concurrency=lots").withBean("badConcurrency", BadConcurrency.class)
                .run(context -> assertThat(failure(context).getMessage()).contains("bean 'badConcurrency'")
                        .contains("concurrency 'lots' (from '${test.concurrency}') is not a whole number from 1 to 254"));
        runner.withBean("tooManyInstances", TooManyInstances.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'tooManyInstances'").contains("TooManyInstances.echo(String)")
                .contains("maxInstances must be 1..254").contains("Fix: set @PipeEndpoint(concurrency = ...)"));
    }

    @Test
    void anErrorHandlerNameWithoutSuchABeanFails() {
        runner.withBean("missingHandler", MissingHandler.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'missingHandler'").contains("MissingHandler.echo(String)")
                .contains("errorHandler names bean 'nope', and there is no such bean")
                .contains("Fix: define a PipeEndpointErrorHandler bean named 'nope'"));
        runner.withBean("nope", String.class, () -> "not a handler").withBean("missingHandler", MissingHandler.class)
                .run(context -> assertThat(failure(context).getMessage())
                        .contains("which is not a PipeEndpointErrorHandler"));
    }

    @Test
    void aMessageExceptionHandlerWithoutAnExceptionTypeFails() {
        runner.withBean("untypedHandler", UntypedHandler.class).run(context -> assertThat(failure(context).getMessage())
                .contains("bean 'untypedHandler'").contains("UntypedHandler.echo(String)")
                .contains("Fix: give each @MessageExceptionHandler method its exception types"));
    }

    @Test
    void theFailureAnalyzerReportsBeanMethodAndFix() {
        runner.withBean("twoPayloads", TwoPayloads.class).run(context -> {
            FailureAnalysis analysis = new InvalidPipeEndpointFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("TwoPayloads.handle(String, String)").contains("bean 'twoPayloads'");
            assertThat(analysis.getAction()).startsWith("Fix: keep one payload parameter");
        });
    }

    public record Point(int x, int y) {
    }

    @Configuration(proxyBeanMethods = false)
    static class SamePipe {
        @Bean
        FirstOnPipe firstOnPipe() {
            return new FirstOnPipe();
        }

        @Bean
        SecondOnPipe secondOnPipe() {
            return new SecondOnPipe();
        }
    }

    static class FirstOnPipe {
        @PipeEndpoint(name = "tests/same-pipe")
        public String echo(String in) {
            return in;
        }
    }

    static class SecondOnPipe {
        @PipeEndpoint(name = "tests/same-pipe")
        public String echo(String in) {
            return in;
        }
    }

    static class NamedByProperty {
        @PipeEndpoint(name = "${test.pipe}")
        public String echo(String in) {
            return in;
        }
    }

    static class TwoPayloads {
        @PipeEndpoint(name = "tests/two")
        public String handle(String a, String b) {
            return a + b;
        }
    }

    static class PidAsString {
        @PipeEndpoint(name = "tests/pid")
        public String handle(String in, @PeerPid String pid) {
            return pid;
        }
    }

    static class PipeNameAsLong {
        @PipeEndpoint(name = "tests/pipename")
        public String handle(String in, @PipeName long name) {
            return in;
        }
    }

    static class StreamWithPayload {
        @PipeEndpoint(name = "tests/stream")
        public void handle(PipeConnection connection, String in) {
        }
    }

    static class PojoPayload {
        @PipeEndpoint(name = "tests/pojo-in")
        public String handle(Point in) {
            return in.toString();
        }
    }

    static class PojoReply {
        @PipeEndpoint(name = "tests/pojo-out")
        public Point handle(String in) {
            return new Point(1, 2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SameExplicitId {
        @Bean
        FirstWithId firstWithId() {
            return new FirstWithId();
        }

        @Bean
        SecondWithId secondWithId() {
            return new SecondWithId();
        }
    }

    static class FirstWithId {
        @PipeEndpoint(name = "tests/id-a", id = "same")
        public String echo(String in) {
            return in;
        }
    }

    static class SecondWithId {
        @PipeEndpoint(name = "tests/id-b", id = "same")
        public String echo(String in) {
            return in;
        }
    }

    static class Overloads {
        @PipeEndpoint(name = "tests/over-a")
        public String echo(String in) {
            return in;
        }

        @PipeEndpoint(name = "tests/over-b")
        public byte[] echo(byte[] in) {
            return in;
        }
    }

    static class BadConcurrency {
        @PipeEndpoint(name = "tests/conc", concurrency = "${test.concurrency}")
        public String echo(String in) {
            return in;
        }
    }

    static class TooManyInstances {
        @PipeEndpoint(name = "tests/many", concurrency = "300")
        public String echo(String in) {
            return in;
        }
    }

    static class MissingHandler {
        @PipeEndpoint(name = "tests/missing-handler", errorHandler = "nope")
        public String echo(String in) {
            return in;
        }
    }

    static class UntypedHandler {
        @PipeEndpoint(name = "tests/untyped-handler")
        public String echo(String in) {
            return in;
        }

        @org.springframework.messaging.handler.annotation.MessageExceptionHandler
        public String onError(String payload) {
            return "error";
        }
    }
}
