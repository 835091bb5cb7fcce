package io.winipc.spring.testing;

import io.winipc.spring.PipeEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The smallest service a user writes with the starter: one {@code @PipeEndpoint}, no web server,
 * and a {@code main} that returns right after start-up. Nothing but the running endpoint keeps
 * its JVM alive. The pipe's name is {@code --app.pipe=...}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class HeadlessServiceApp {

    @Bean
    Echo echo() {
        return new Echo();
    }

    /** The endpoint. */
    public static class Echo {
        @PipeEndpoint(name = "${app.pipe}", id = "echo")
        public String echo(String text) {
            return text;
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(HeadlessServiceApp.class, args);
    }
}
