package io.winipc.spring.it;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.listener.PipeEndpointErrorHandler;
import io.winipc.spring.listener.PipeEndpointRequest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;

/** Endpoints whose failures are answered in each of the ways the error contract offers. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ErrorHandlingApp {

    @Bean
    SimpleMeterRegistry simpleMeterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    WithExceptionHandler withExceptionHandler() {
        return new WithExceptionHandler();
    }

    @Bean
    Quotes quotes() {
        return new Quotes();
    }

    @Bean
    Plain plain() {
        return new Plain();
    }

    /** Named by one endpoint; it must never answer for the endpoint with a @MessageExceptionHandler. */
    @Bean
    PipeEndpointErrorHandler quoteErrors() {
        return (exception, request) -> new Failure("no quote for " + new String(request.payload(),
                java.nio.charset.StandardCharsets.UTF_8) + ": " + exception.getMessage());
    }

    /** The global handler: answers handler failures, rethrows for client-caused ones and for "rethrow". */
    @Bean
    @Primary
    PipeEndpointErrorHandler globalErrors() {
        return (exception, request) -> {
            if (request.clientCaused() || exception.getMessage().contains("rethrow")) {
                throw exception;
            }
            return "global: " + exception.getMessage() + " on " + request.endpointId() + " from " + request.peer().pid();
        };
    }

    public record Quote(String symbol, int price) {
    }

    public record Failure(String error) {
    }

    public record Point(int x, int y) {
    }

    /** A @MessageExceptionHandler in the bean wins over the named handler. */
    public static class WithExceptionHandler {
        @PipeEndpoint(name = "${test.prefix}/handled", id = "handled", errorHandler = "quoteErrors")
        public String handle(String in) {
            if (in.startsWith("bad")) {
                throw new IllegalArgumentException(in);
            }
            return in;
        }

        @MessageExceptionHandler
        public String onBadInput(IllegalArgumentException e, PipeEndpointRequest request) {
            return "ERR " + e.getMessage() + " (" + request.endpointId() + ")";
        }
    }

    /** Uses the named handler, which answers with an application error reply. */
    public static class Quotes {
        @PipeEndpoint(name = "${test.prefix}/quotes", id = "quotes", errorHandler = "quoteErrors")
        public Quote quote(String symbol) {
            if (!symbol.equals("ACME")) {
                throw new IllegalStateException("unknown symbol");
            }
            return new Quote(symbol, 42);
        }
    }

    /** Uses the global handler. */
    public static class Plain {
        volatile CountDownLatch slowGate = new CountDownLatch(1);

        @PipeEndpoint(name = "${test.prefix}/plain", id = "plain")
        public String plain(String in) {
            throw new IllegalStateException("plain failed for " + in);
        }

        @PipeEndpoint(name = "${test.prefix}/typed", id = "typed")
        public String typed(Point point) {
            return "sum " + (point.x() + point.y());
        }

        @PipeEndpoint(name = "${test.prefix}/small", id = "small", maxMessageSize = "16B")
        public String small(String in) {
            return in;
        }

        @PipeEndpoint(name = "${test.prefix}/slow", id = "slow")
        public String slow(String in) throws InterruptedException {
            slowGate.await(60, TimeUnit.SECONDS);
            return in;
        }
    }
}
