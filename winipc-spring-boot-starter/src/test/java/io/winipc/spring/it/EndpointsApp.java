package io.winipc.spring.it;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.PipeName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;

/** An application with one endpoint of every kind, for the integration tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EndpointsApp {

    @Bean
    SimpleMeterRegistry simpleMeterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    Handlers handlers() {
        return new Handlers();
    }

    public record Person(String name) {
    }

    public record Greeting(String greeting) {
    }

    /** The endpoints. */
    public static class Handlers {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile CountDownLatch slowGate = new CountDownLatch(1);

        @PipeEndpoint(name = "${test.prefix}/echo", id = "echo")
        public String echo(String in) {
            return in;
        }

        @PipeEndpoint(name = "${test.prefix}/whoami", id = "whoami")
        public String whoami(String ignored, @PeerPid long pid, @PipeName String pipe, io.winipc.PeerCredentials peer) {
            return pid + " " + pipe + (peer.pid() == pid ? "" : " credentials disagree: " + peer);
        }

        @PipeEndpoint(name = "${test.prefix}/reverse", id = "reverse")
        public byte[] reverse(byte[] in) {
            byte[] out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            return out;
        }

        @PipeEndpoint(name = "${test.prefix}/greet", id = "greet")
        public Greeting greet(Person person) {
            return new Greeting("Hello, " + person.name());
        }

        @PipeEndpoint(name = "${test.prefix}/log", id = "log")
        public void log(String line) {
            received.add(line);
        }

        @PipeEndpoint(name = "${test.prefix}/upper", id = "upper", mode = PipeMode.BYTE)
        public void upper(PipeConnection connection) throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(connection.inputStream(), StandardCharsets.UTF_8));
            OutputStream out = connection.outputStream();
            String line;
            while ((line = reader.readLine()) != null) {
                out.write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        @PipeEndpoint(name = "${test.prefix}/flaky", id = "flaky")
        public String flaky(String in) {
            if (in.equals("boom")) {
                throw new IllegalStateException("boom requested");
            }
            return in;
        }

        @PipeEndpoint(name = "${test.prefix}/slow", id = "slow")
        public String slow(String in) throws InterruptedException {
            if (!slowGate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            return "done " + in;
        }

        @PipeEndpoint(name = "${test.prefix}/small", id = "small", maxMessageSize = "16B")
        public String small(String in) {
            return in;
        }

        @PipeEndpoint(name = "${test.prefix}/thread", id = "thread")
        public String thread(String in) {
            return Thread.currentThread().toString();
        }
    }
}
