package io.winipc.sample;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The winipc sample application. {@code java -jar winipc-sample-app.jar} runs the server (pipe
 * endpoints, named objects, a scheduled client, Actuator on 127.0.0.1);
 * {@code java -jar winipc-sample-app.jar client echo hello} talks to a running server from another
 * terminal instead (see {@link ClientMode}).
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("client")) {
            System.exit(ClientMode.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(SampleApplication.class, args);
    }
}
