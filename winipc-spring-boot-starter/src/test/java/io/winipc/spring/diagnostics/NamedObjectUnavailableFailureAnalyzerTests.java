package io.winipc.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.spring.objects.NamedObjectUnavailableException;
import io.winipc.sync.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

/**
 * A named object that cannot be created fails start-up with Spring Boot's report naming the
 * configuration entry and the OS's reason, instead of a stack trace: when a bean injects it, and
 * with {@code winipc.fail-fast=true} when none does. The analyzer is found through spring.factories.
 */
@ExtendWith(OutputCaptureExtension.class)
class NamedObjectUnavailableFailureAnalyzerTests {

    private static final String BAD_NAME = "--winipc.events.ready.name=tests\\bad";

    @Test
    void anInjectedObjectThatCannotBeCreatedIsReportedWithItsEntry(CapturedOutput output) {
        assertThatThrownBy(() -> run(InjectingApp.class, BAD_NAME))
                .hasStackTraceContaining(NamedObjectUnavailableException.class.getSimpleName());
        assertThat(output.getOut() + output.getErr())
                .contains("winipc event 'ready' ('tests\\bad') could not be obtained; it is reported DOWN, and a bean"
                        + " that injects it fails start-up")
                .contains("APPLICATION FAILED TO START")
                .contains("The winipc Event configured as 'winipc.events.ready' (OS name 'tests\\bad') could not be"
                        + " created or opened: name must not contain '\\'")
                .contains("A bean injects it directly")
                .contains("Action:").contains("Fix the entry winipc.events.ready (name, scope, open)")
                .contains("look it up through NamedObjectRegistry");
    }

    @Test
    void withFailFastAnObjectNoBeanUsesIsReportedToo(CapturedOutput output) {
        assertThatThrownBy(() -> run(PlainApp.class, BAD_NAME, "--winipc.fail-fast=true"))
                .hasStackTraceContaining(NamedObjectUnavailableException.class.getSimpleName());
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("The winipc Event configured as 'winipc.events.ready' (OS name 'tests\\bad') could not be"
                        + " created or opened")
                .contains("winipc.fail-fast=true makes this fail start-up")
                .contains("set winipc.fail-fast=false");
    }

    @Test
    void withoutFailFastAnObjectNoBeanUsesLetsTheApplicationStart() {
        try (var context = run(PlainApp.class, BAD_NAME)) {
            assertThat(context.isRunning()).isTrue();
        }
    }

    private static org.springframework.context.ConfigurableApplicationContext run(Class<?> app, String... args) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] all = new String[args.length + 1];
        all[0] = "--spring.main.banner-mode=off";
        System.arraycopy(args, 0, all, 1, args.length);
        return application.run(all);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainApp {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class InjectingApp {
        @Bean
        String usesTheEvent(@Qualifier("ready") Event ready) {
            return ready.name();
        }
    }
}
