package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.spring.client.PipeTemplate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Handlers run on virtual threads exactly when {@code spring.threads.virtual.enabled=true} (on Java 21+). */
class VirtualThreadHandlerTests {
    @Nested
    @EnabledForJreRange(min = JRE.JAVA_21)
    @SpringBootTest(classes = EndpointsApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
            properties = {"spring.threads.virtual.enabled=true", "test.prefix=spring-vt-on"})
    class WhenEnabled {
        @Autowired
        PipeTemplate template;

        @Test
        void runsHandlersOnVirtualThreads() {
            assertThat(template.request("spring-vt-on/thread", "", String.class)).startsWith("VirtualThread[");
        }
    }

    @Nested
    @SpringBootTest(classes = EndpointsApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
            properties = "test.prefix=spring-vt-off")
    class WhenDisabled {
        @Autowired
        PipeTemplate template;

        @Test
        void runsHandlersOnPlatformThreads() {
            assertThat(template.request("spring-vt-off/thread", "", String.class)).startsWith("Thread[")
                    .contains("winipc-handler-");
        }
    }
}
