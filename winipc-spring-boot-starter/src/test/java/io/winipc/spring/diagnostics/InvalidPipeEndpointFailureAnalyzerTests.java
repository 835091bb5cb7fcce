package io.winipc.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.spring.PipeEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

/** The analyzer is registered in spring.factories: a real SpringApplication prints its report. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPipeEndpointFailureAnalyzerTests {

    @Test
    void aSpringApplicationWithAnInvalidEndpointPrintsDescriptionAndAction(CapturedOutput output) {
        SpringApplication application = new SpringApplication(BadApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--winipc.pipe.auto-startup=false", "--spring.main.banner-mode=off"))
                .hasStackTraceContaining("InvalidPipeEndpointException");
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("The @PipeEndpoint method Handlers.handle(String, String) of bean 'handlers' is invalid:"
                        + " parameter 1 (String) and parameter 2 (String) would each receive the message payload.")
                .contains("Action:").contains("Fix: keep one payload parameter");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BadApp {
        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    static class Handlers {
        @PipeEndpoint(name = "tests/analyzer")
        public String handle(String a, String b) {
            return a + b;
        }
    }
}
