package io.winipc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.WinipcTimeoutException;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.autoconfigure.WinipcAutoConfiguration;
import io.winipc.spring.autoconfigure.WinipcMetricsAutoConfiguration;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;

/**
 * The endpoints' lifecycle inside one application context: the handler executor bean, the start-up
 * line, the asynchronous two-phase stop and what a drain that cuts a handler off reports.
 */
@ExtendWith(OutputCaptureExtension.class)
class PipeEndpointLifecycleTests {
    private static final String PREFIX = "spring-lifecycle-" + ProcessHandle.current().pid();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcMetricsAutoConfiguration.class))
            .withPropertyValues("test.prefix=" + PREFIX + "-" + System.nanoTime())
            .withUserConfiguration(Endpoints.class);

    @Test
    void runsHandlersOnTheHandlerExecutorBeanWithTheApplicationsTaskDecorator() {
        runner.withUserConfiguration(Decorating.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WinipcAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME)).isInstanceOf(SimpleAsyncTaskExecutor.class);
            assertThat(request(context, "thread", "x")).startsWith("decorated on winipc-handler-");
        });
    }

    @Test
    void leavesBootsApplicationTaskExecutorInPlace() {
        runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class)).run(context -> {
            assertThat(context).hasBean("applicationTaskExecutor");
            assertThat(context).hasBean(WinipcAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME);
        });
    }

    @Test
    void usesTheApplicationsOwnHandlerExecutorAndShutsOursDownWithTheContext() {
        runner.withUserConfiguration(OwnExecutor.class).run(context ->
                assertThat(request(context, "thread", "x")).startsWith("plain on own-handler-"));
        AtomicReference<SimpleAsyncTaskExecutor> ours = new AtomicReference<>();
        runner.run(context -> ours.set((SimpleAsyncTaskExecutor) context.getBean(WinipcAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME)));
        assertThat(ours.get().isActive()).as("closed with the context").isFalse();
    }

    @Test
    void logsOneLineWithEveryDetailWhenAnEndpointStartsListening(CapturedOutput output) {
        runner.run(context -> {
            String name = context.getEnvironment().getProperty("test.prefix") + "/echo";
            // The address a non-Java peer connects to: the socket path on Linux, the pipe's path on Windows.
            String address = org.junit.jupiter.api.condition.OS.WINDOWS.isCurrentOs()
                    ? java.util.regex.Pattern.quote("\\\\.\\pipe\\" + name) : "/\\S+%2Fecho\\.sock";
            assertThat(output).containsPattern("Pipe endpoint 'echo' listening on '" + name
                    + "' \\(mode MESSAGE, scope LOCAL, concurrency 3\\) at " + address);
        });
    }

    @Test
    void stopWithACallbackStopsAcceptingAtOnceAndCallsBackWhenTheHandlersAreDone(CapturedOutput output) throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            runner.run(context -> {
                Endpoints endpoints = context.getBean(Endpoints.class);
                PipeEndpointRegistry registry = context.getBean(PipeEndpointRegistry.class);
                Future<String> reply = threads.submit(() -> request(context, "gated", "work"));
                await().atMost(Duration.ofSeconds(30)).until(() -> registry.getContainer("gated").getBusyInstances() == 1);

                CountDownLatch stopped = new CountDownLatch(1);
                registry.stop(stopped::countDown);
                assertThat(stopped.getCount()).as("stop(Runnable) returns while the handler runs").isEqualTo(1);
                assertThat(registry.getContainers()).noneMatch(PipeListenerContainer::isRunning);
                assertThatThrownBy(() -> context.getBean(PipeTemplate.class).connect(name(context, "echo"), Duration.ofMillis(300)))
                        .as("no endpoint accepts once the stop has begun").isInstanceOf(WinipcTimeoutException.class);
                assertThat(output).contains("Pipe endpoints stopped accepting; draining 1 connection on 3 endpoints, up to 5s");

                endpoints.gate.countDown();
                assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("done work");
                assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(output).containsPattern("Pipe endpoints drained in \\S+: 1 connection finished, 0 cut off");
            });
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aStreamingHandlerCutOffByTheDrainIsNotAHandlerFailure(CapturedOutput output) {
        runner.withUserConfiguration(Streaming.class).withPropertyValues("winipc.pipe.drain-timeout=300ms").run(context -> {
            PipeEndpointRegistry registry = context.getBean(PipeEndpointRegistry.class);
            try (PipeConnection connection = context.getBean(PipeTemplate.class).connect(name(context, "stream"),
                    Duration.ofSeconds(5), PipeMode.BYTE)) {
                connection.write("line\n".getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(30)).until(() -> registry.getContainer("stream").getBusyInstances() == 1);
                registry.stop();
                assertThat(output).contains("Pipe endpoint 'stream': 1 handler was still running after the drain timeout of 300ms;"
                        + " interrupted and their connections closed");
                await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(Streaming.class).ended != null);
                assertThat(context.getBean(Streaming.class).ended).as("the handler threw when its connection was cut").isNotNull();
                assertThat(output).doesNotContain("Handler of pipe endpoint 'stream' failed");
                assertThat(registry.getContainer("stream").getHandlerErrorCount()).isZero();
                assertThat(registry.getContainer("stream").lastError()).isEmpty();
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                assertThat(meters.find("winipc.pipe.connections").tags("endpoint", "stream", "result", "failed").counter()).isNull();
                assertThat(meters.find("winipc.pipe.handler").tags("endpoint", "stream", "result", "error").timer()).isNull();
            }
        });
    }

    private static String name(ConfigurableApplicationContext context, String endpoint) {
        return context.getEnvironment().getProperty("test.prefix") + "/" + endpoint;
    }

    private static String request(ConfigurableApplicationContext context, String endpoint, String text) {
        return context.getBean(PipeTemplate.class).request(name(context, endpoint), text, String.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class Endpoints {
        static final ThreadLocal<String> DECORATION = ThreadLocal.withInitial(() -> "plain");
        final CountDownLatch gate = new CountDownLatch(1);

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

        @PipeEndpoint(name = "${test.prefix}/echo", id = "echo", concurrency = "3")
        public String echo(String text) {
            return text;
        }

        @PipeEndpoint(name = "${test.prefix}/thread", id = "thread")
        public String thread(String text) {
            return DECORATION.get() + " on " + Thread.currentThread().getName();
        }

        @PipeEndpoint(name = "${test.prefix}/gated", id = "gated")
        public String gated(String text) throws InterruptedException {
            gate.await();
            return "done " + text;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Decorating {
        @Bean
        TaskDecorator decorator() {
            return task -> () -> {
                Endpoints.DECORATION.set("decorated");
                try {
                    task.run();
                } finally {
                    Endpoints.DECORATION.remove();
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnExecutor {
        @Bean(WinipcAutoConfiguration.HANDLER_EXECUTOR_BEAN_NAME)
        SimpleAsyncTaskExecutor ownHandlerExecutor() {
            return new SimpleAsyncTaskExecutor("own-handler-");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Streaming {
        volatile Exception ended;

        /** A long-lived stream, as the sample's: it reads lines until the client (or the drain) ends it. */
        @PipeEndpoint(name = "${test.prefix}/stream", id = "stream", mode = PipeMode.BYTE)
        public void stream(PipeConnection connection) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.inputStream(), StandardCharsets.UTF_8));
            try {
                while (in.readLine() != null) {
                    connection.outputStream().write('.');
                }
            } catch (IOException | RuntimeException e) {
                ended = e;
                throw e;
            }
        }
    }
}
