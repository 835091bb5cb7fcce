package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.winipc.pipe.PipeConnection;
import io.winipc.spring.client.ErrorReplyException;
import io.winipc.spring.client.NoReplyException;
import io.winipc.spring.client.PipeClientObserver;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import io.winipc.testing.ChildJvm;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue A1, point 5: what a client sees and what the server logs and counts when a handler fails
 * or a client sends what the handler cannot take, over real pipes (the template in this JVM, a
 * plain winipc client in another).
 */
@SpringBootTest(classes = ErrorHandlingApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "management.endpoint.health.show-details=always", "winipc.client.connect-timeout=5s"})
@ExtendWith(OutputCaptureExtension.class)
class ErrorContractTests {
    static final String PREFIX = "spring-err-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    static ChildJvm client;

    @Autowired
    PipeTemplate template;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PipeEndpointRegistry registry;
    @Autowired
    HealthEndpoint healthEndpoint;
    @Autowired
    ErrorHandlingApp.Plain plain;
    @Autowired
    @Qualifier("winipcMessageConverter")
    MessageConverter converter;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("test.prefix", () -> PREFIX);
    }

    @BeforeAll
    static void startClient() {
        client = io.winipc.spring.testing.PipeClientChild.launch();
    }

    @AfterAll
    static void stopClient() {
        io.winipc.spring.testing.PipeClientChild.exit(client);
    }

    @Test
    void aMessageExceptionHandlerAnswersBeforeTheNamedHandlerAndTheConnectionStaysOpen() {
        try (PipeConnection connection = template.connect(PREFIX + "/handled")) {
            assertThat(template.exchange(connection, "bad one", String.class)).isEqualTo("ERR bad one (handled)");
            assertThat(template.exchange(connection, "fine", String.class)).isEqualTo("fine");
        }
        assertThat(client.ask("request " + PREFIX + "/handled bad two")).isEqualTo("reply ERR bad two (handled)");
        assertThat(registry.getContainer("handled").getHandlerErrorCount()).isEqualTo(2);
    }

    @Test
    void theNamedHandlersReplyReachesTheTemplateAsAnApplicationErrorReply() {
        assertThat(template.request(PREFIX + "/quotes", "ACME", ErrorHandlingApp.Quote.class, ErrorHandlingApp.Failure.class,
                f -> f.error() != null)).isEqualTo(new ErrorHandlingApp.Quote("ACME", 42));
        assertThatThrownBy(() -> template.request(PREFIX + "/quotes", "NOPE", ErrorHandlingApp.Quote.class,
                ErrorHandlingApp.Failure.class, f -> f.error() != null))
                .isInstanceOfSatisfying(ErrorReplyException.class, e -> assertThat(e.getErrorReply(ErrorHandlingApp.Failure.class))
                        .isEqualTo(new ErrorHandlingApp.Failure("no quote for NOPE: unknown symbol")));
        assertThat(client.ask("request " + PREFIX + "/quotes NOPE"))
                .isEqualTo("reply {\"error\":\"no quote for NOPE: unknown symbol\"}");
    }

    @Test
    void theGlobalHandlerAnswersWithTheRequestsMetadata() {
        assertThat(template.request(PREFIX + "/plain", "x", String.class))
                .isEqualTo("global: plain failed for x on plain from " + ProcessHandle.current().pid());
        assertThat(client.ask("request " + PREFIX + "/plain y"))
                .isEqualTo("reply global: plain failed for y on plain from " + client.pid());
    }

    @Test
    void aRethrownHandlerExceptionClosesTheConnectionAndIsLoggedOnceWithItsStackTrace(CapturedOutput output) {
        String marker = "rethrow-" + System.nanoTime();
        double errorsBefore = handlerTimerCount("plain");
        assertThatThrownBy(() -> template.request(PREFIX + "/plain", marker, String.class))
                .isInstanceOfSatisfying(NoReplyException.class, e -> assertThat(e.getReason())
                        .isIn(NoReplyException.Reason.CLOSED, NoReplyException.Reason.BROKEN));
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("plain failed for " + marker));
        String[] lines = output.getOut().split("\\R");
        int at = indexOf(lines, "plain failed for " + marker);
        assertThat(Arrays.stream(lines).filter(l -> l.contains("plain failed for " + marker)).count()).isEqualTo(1);
        // Boot's console pattern puts an empty line between the message and the exception.
        assertThat(String.join("\n", Arrays.copyOfRange(lines, Math.max(0, at - 2), at)))
                .contains("WARN").contains("Handler of pipe endpoint 'plain' failed");
        assertThat(lines[at + 1]).as("a stack trace follows").contains("\tat ");
        assertThat(handlerTimerCount("plain")).isEqualTo(errorsBefore + 1);
    }

    @Test
    void aPayloadThatDoesNotConvertIsLoggedInOneRateLimitedLineAndCountedAsARejection(CapturedOutput output) {
        PipeListenerContainer typed = registry.getContainer("typed");
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertThatThrownBy(() -> template.request(PREFIX + "/typed", "not json " + n + "\u001b[2J\0", String.class))
                    .isInstanceOf(NoReplyException.class);
        }
        assumeThat(Duration.ofNanos(System.nanoTime() - start)).as("all five within one log interval")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(template.request(PREFIX + "/typed", new ErrorHandlingApp.Point(2, 3), String.class)).isEqualTo("sum 5");
        List<String> logged = Arrays.stream(output.getOut().split("\\R"))
                .filter(l -> l.contains("Pipe endpoint 'typed' closed a connection")).toList();
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0)).contains("WARN").contains("does not convert to typed's parameter")
                .doesNotContain("\u001b").doesNotContain("\0");
        String after = output.getOut().substring(output.getOut().indexOf(logged.get(0)) + logged.get(0).length());
        assertThat(after).doesNotStartWith(System.lineSeparator() + "\tat ").doesNotContain("Caused by");
        assertThat(typed.getClientRejectionCount()).isEqualTo(5);
        assertThat(typed.getHandlerErrorCount()).isZero();
        assertThat(counter("winipc.pipe.rejections", "typed", "conversion")).isEqualTo(5);
        assertThat(meters.find("winipc.pipe.handler").tags("endpoint", "typed", "result", "error").timer()).isNull();
        assertThat(((IndicatedHealthDescriptor) healthEndpoint.healthForPath("winipc", "endpoints", "typed")).getDetails())
                .containsEntry("clientRejections", 5L).containsEntry("handlerErrors", 0L);
    }

    @Test
    void aMessageAboveTheMaximumIsLoggedInOneLineAndCountedAsARejection(CapturedOutput output) {
        assertThat(client.ask("request " + PREFIX + "/small " + "x".repeat(17)))
                .matches("no-reply|error io\\.winipc\\.BrokenPipeException.*");
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("winipc.pipe.rejections", "small", "too-large") == 1);
        List<String> logged = Arrays.stream(output.getOut().split("\\R"))
                .filter(l -> l.contains("Pipe endpoint 'small' closed a connection")).toList();
        assertThat(logged).singleElement().asString().contains("WARN").contains("above the endpoint's maximum size (16 bytes)");
        assertThat(registry.getContainer("small").getHandlerErrorCount()).isZero();
        assertThat(registry.getContainer("small").getClientRejectionCount()).isEqualTo(1);
    }

    @Test
    void aReplyThatDoesNotArriveInTimeIsANoReplyWithTheReason() {
        plain.slowGate = new CountDownLatch(1);
        PipeTemplate impatient = new PipeTemplate(template.getOptions(), Duration.ofMillis(100), Duration.ofMillis(300),
                converter, PipeClientObserver.NONE);
        try {
            assertThatThrownBy(() -> impatient.request(PREFIX + "/slow", "x", String.class))
                    .isInstanceOfSatisfying(NoReplyException.class, e -> assertThat(e.getReason())
                            .isEqualTo(NoReplyException.Reason.TIMED_OUT));
        } finally {
            plain.slowGate.countDown();
        }
    }

    private static int indexOf(String[] lines, String text) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private double handlerTimerCount(String endpoint) {
        Timer timer = meters.find("winipc.pipe.handler").tags("endpoint", endpoint, "result", "error").timer();
        return timer == null ? 0 : timer.count();
    }

    private double counter(String name, String endpoint, String reason) {
        Counter counter = meters.find(name).tags("endpoint", endpoint, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
