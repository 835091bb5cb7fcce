package io.winipc.spring.testing;

import io.winipc.spring.PipeEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A headless application with four endpoints ({@code <app.prefix>/busy-1} to {@code busy-4})
 * whose handlers are slow on request: {@code sleep <ms>} sleeps (interruptibly) and replies
 * {@code slept}, {@code hang} waits until interrupted, anything else is echoed. Each handler
 * prints {@code HANDLING <endpoint> <request>} when it starts, and {@code INTERRUPTED <endpoint>}
 * when an interrupt ends it.
 *
 * <p>The line {@code close} on standard input closes the application context from the main
 * thread, as an administrative endpoint would; the main thread then prints
 * {@code CLOSED <ms the close took>} and {@code WINIPC-THREADS [<winipc threads still alive>]}
 * (such as {@code winipc-cleaner (daemon)})
 * and returns, so the process exits only if no non-daemon thread is left behind.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BusyEndpointsApp {

    @Bean
    Busy busy() {
        return new Busy();
    }

    /** The four endpoints. */
    public static class Busy {
        @PipeEndpoint(name = "${app.prefix}/busy-1", id = "busy-1")
        public String one(String request) throws InterruptedException {
            return work("busy-1", request);
        }

        @PipeEndpoint(name = "${app.prefix}/busy-2", id = "busy-2")
        public String two(String request) throws InterruptedException {
            return work("busy-2", request);
        }

        @PipeEndpoint(name = "${app.prefix}/busy-3", id = "busy-3")
        public String three(String request) throws InterruptedException {
            return work("busy-3", request);
        }

        @PipeEndpoint(name = "${app.prefix}/busy-4", id = "busy-4")
        public String four(String request) throws InterruptedException {
            return work("busy-4", request);
        }

        private static String work(String endpoint, String request) throws InterruptedException {
            System.out.println("HANDLING " + endpoint + " " + request);
            try {
                if (request.startsWith("sleep ")) {
                    Thread.sleep(Long.parseLong(request.substring("sleep ".length())));
                    return "slept";
                }
                if (request.equals("hang")) {
                    new CountDownLatch(1).await();
                }
                return request;
            } catch (InterruptedException e) {
                System.out.println("INTERRUPTED " + endpoint);
                throw e;
            }
        }
    }

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = SpringApplication.run(BusyEndpointsApp.class, args);
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("close")) {
            // wait for the command
        }
        long start = System.nanoTime();
        context.close();
        System.out.println("CLOSED " + Duration.ofNanos(System.nanoTime() - start).toMillis());
        System.out.println("WINIPC-THREADS " + winipcThreads());
    }

    /** @return the live winipc threads, by name, each marked {@code (daemon)} if it is one */
    static List<String> winipcThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("winipc-"))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : "")).sorted().toList();
    }
}
