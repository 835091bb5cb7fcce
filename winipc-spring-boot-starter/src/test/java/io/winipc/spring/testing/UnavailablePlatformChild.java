package io.winipc.spring.testing;

import io.winipc.spring.PipeEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring Boot application with one endpoint, started in a child JVM whose
 * {@code -Dwinipc.platform} names a backend that does not exist. Prints {@code health <json>} of
 * the winipc health contributor, or {@code failed <message>} if start-up failed.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class UnavailablePlatformChild {

    @Bean
    Object endpoint() {
        return new Object() {
            @PipeEndpoint(name = "unavailable/echo", id = "echo")
            public String echo(String in) {
                return in;
            }
        };
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(UnavailablePlatformChild.class);
        app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        app.setLogStartupInfo(false);
        try (ConfigurableApplicationContext context = app.run(args)) {
            Object health = context.getBean(HealthEndpoint.class).healthForPath("winipc");
            System.out.println("health " + JsonMapper.builder().build().writeValueAsString(health));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("failed " + root.getMessage());
        }
        System.out.flush();
    }
}
