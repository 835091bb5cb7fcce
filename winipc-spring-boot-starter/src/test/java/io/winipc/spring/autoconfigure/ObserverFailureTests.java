package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.pipe.PipeConnection;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.client.PipeClientObserver;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointObserver;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import io.winipc.spring.objects.NamedObjectObserver;
import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.sync.LockResult;
import io.winipc.sync.Mutex;
import io.winipc.testing.ChildJvm;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * An observer bean that throws on every event is logged and otherwise ignored: the exchange, the
 * template call and the named object it observes go on as if it had not thrown, and the observers
 * after it (a recording one, then the metrics) still hear every event. Over real pipes and, for
 * the abandoned mutex, a second JVM that dies holding it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObserverFailureTests {
    private static final String P = "spring-obsfail-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcMetricsAutoConfiguration.class,
                    WinipcNamedObjectsAutoConfiguration.class, WinipcHealthContributorAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withUserConfiguration(Observers.class);

    @Test
    void anEndpointKeepsAnsweringOnTheSameConnectionWhenAnObserverThrowsOnEveryEvent() {
        runner.withPropertyValues("test.pipe=" + P + "echo").withUserConfiguration(Echo.class).run(context -> {
            assertThat(context).hasNotFailed();
            PipeTemplate template = context.getBean(PipeTemplate.class);
            try (PipeConnection connection = template.connect(P + "echo")) {
                assertThat(template.exchange(connection, "one", String.class)).isEqualTo("one");
                assertThat(template.exchange(connection, "two", String.class)).as("the same connection still answers")
                        .isEqualTo("two");
            }
            List<String> seen = context.getBean(Observers.class).seen;
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("connectionEnded echo false"));
            assertThat(seen).filteredOn(e -> e.endsWith(" echo") || e.contains(" echo ")).containsExactly(
                    "containerRegistered echo",
                    "messageReceived echo 3", "handlerInvoked echo null", "messageSent echo 3",
                    "messageReceived echo 3", "handlerInvoked echo null", "messageSent echo 3",
                    "connectionEnded echo false");
            PipeListenerContainer container = context.getBean(PipeEndpointRegistry.class).getContainer("echo");
            assertThat(container.getHandlerErrorCount()).isZero();
            assertThat(container.isRunning()).isTrue();
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("winipc.pipe.messages").tag("endpoint", "echo").tag("side", "server")
                    .tag("direction", "out").counter().count()).as("the metrics, called last, saw both replies").isEqualTo(2);
            assertThat(meters.get("winipc.pipe.connections").tag("endpoint", "echo").tag("side", "server")
                    .tag("result", "completed").counter().count()).isEqualTo(1);
            assertThat(meters.get("winipc.pipe.connections.active").tag("endpoint", "echo").gauge()).isNotNull();
        });
    }

    @Test
    void aPipeTemplateCallReturnsItsReplyWhenAnObserverThrowsOnEveryEvent() {
        runner.withPropertyValues("test.pipe=" + P + "echo2").withUserConfiguration(Echo.class).run(context -> {
            assertThat(context).hasNotFailed();
            PipeTemplate template = context.getBean(PipeTemplate.class);
            assertThat(template.request(P + "echo2", "hello", String.class)).isEqualTo("hello");
            assertThat(template.request(P + "echo2", "again", String.class)).isEqualTo("again");
            assertThat(context.getBean(Observers.class).seen).filteredOn(e -> e.contains(P)).containsExactly(
                    "connectAttempted " + P + "echo2 connected", "messageWritten " + P + "echo2 5",
                    "messageRead " + P + "echo2 5",
                    "connectAttempted " + P + "echo2 connected", "messageWritten " + P + "echo2 5",
                    "messageRead " + P + "echo2 5");
            assertThat(context.getBean(MeterRegistry.class).get("winipc.pipe.messages").tag("endpoint", P + "echo2")
                    .tag("side", "client").tag("direction", "in").counter().count()).isEqualTo(2);
        });
    }

    @Test
    void aConfiguredMutexOpensIsAcquiredAbandonedAndClosesWhenAnObserverThrows() {
        Mutex[] mutex = new Mutex[1];
        runner.withPropertyValues("winipc.mutexes.lock.name=" + P + "lock").run(context -> {
            assertThat(context).hasNotFailed();
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            mutex[0] = registry.mutex("lock");
            assertThat(mutex[0].isOpen()).isTrue();
            try (ChildJvm child = ChildJvm.start(List.of(), io.winipc.spring.testing.NamedObjectChild.class)) {
                assertThat(child.readLine()).isEqualTo("ready");
                child.send("hold " + P + "lock");
                assertThat(child.readLine()).isEqualTo("holding");
            }
            // withMutex acquires (abandoned: the child died holding it), runs the block and releases.
            assertThat(registry.withMutex("lock", Duration.ofSeconds(30), () -> "ran")).isEqualTo("ran");
            assertThat(registry.acquire("lock", Duration.ofSeconds(5))).as("released, and no longer abandoned")
                    .isEqualTo(LockResult.ACQUIRED);
            mutex[0].unlock();
            assertThat(context.getBean(Observers.class).seen).containsExactly("mutexAbandoned lock");
            assertThat(context.getBean(MeterRegistry.class).get("winipc.mutex.abandoned").tag("name", "lock").counter()
                    .count()).isEqualTo(1);
        });
        assertThat(mutex[0].isOpen()).as("closed with the context").isFalse();
    }

    @Test
    void anObserverThatThrowsOnEveryEventIsLoggedOnceWithinTheInterval(CapturedOutput output) {
        long start = System.nanoTime();
        runner.withPropertyValues("test.pipe=" + P + "echo3").withUserConfiguration(Echo.class).run(context -> {
            assertThat(context).hasNotFailed();
            PipeTemplate template = context.getBean(PipeTemplate.class);
            for (int i = 0; i < 5; i++) {
                assertThat(template.request(P + "echo3", "n" + i, String.class)).isEqualTo("n" + i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(Observers.class).seen.stream()
                    .filter("connectionEnded echo false"::equals).count() == 5);
        });
        assumeThat(Duration.ofNanos(System.nanoTime() - start)).as("all within one log interval")
                .isLessThan(Duration.ofSeconds(10));
        String[] lines = output.getOut().split("\\R");
        List<String> server = Arrays.stream(lines).filter(l -> l.contains("PipeEndpointObserver " + Throwing.class.getName()))
                .toList();
        // Server events: 1 registration, then 5 x (received, invoked, sent, ended), all thrown on.
        assertThat(server).singleElement().asString().contains("WARN").contains("threw from containerRegistered for 'echo'");
        assertThat(following(lines, server.get(0))).as("its stack trace follows")
                .contains("java.lang.IllegalStateException: observer broke on containerRegistered").contains("\tat ");
        List<String> client = Arrays.stream(lines).filter(l -> l.contains("PipeClientObserver " + Throwing.class.getName()))
                .toList();
        assertThat(client).singleElement().asString().contains("WARN")
                .contains("threw from connectAttempted for '" + P + "echo3'");
        assertThat(following(lines, client.get(0))).contains("observer broke on connectAttempted").contains("\tat ");
    }

    /** The few lines after {@code line}, where a stack trace would start. */
    private static String following(String[] lines, String line) {
        int at = Arrays.asList(lines).indexOf(line);
        return String.join("\n", Arrays.copyOfRange(lines, at + 1, Math.min(lines.length, at + 4)));
    }

    @Configuration(proxyBeanMethods = false)
    static class Observers {
        final List<String> seen = new CopyOnWriteArrayList<>();

        // Declared recording-first so that only @Order puts the throwing one before it.
        @Bean
        @Order(2)
        Recording recording() {
            return new Recording(seen);
        }

        @Bean
        @Order(1)
        Throwing throwing() {
            return new Throwing();
        }
    }

    /** Hears every event of all three kinds, as one line each. */
    abstract static class EveryEvent implements PipeEndpointObserver, PipeClientObserver, NamedObjectObserver {
        abstract void on(String event);

        @Override
        public void containerRegistered(PipeListenerContainer container) {
            on("containerRegistered " + container.getId());
        }

        @Override
        public void connectionEnded(String endpointId, boolean failed) {
            on("connectionEnded " + endpointId + " " + failed);
        }

        @Override
        public void messageReceived(String endpointId, int bytes) {
            on("messageReceived " + endpointId + " " + bytes);
        }

        @Override
        public void messageSent(String endpointId, int bytes) {
            on("messageSent " + endpointId + " " + bytes);
        }

        @Override
        public void handlerInvoked(String endpointId, Duration duration, @Nullable Throwable error) {
            on("handlerInvoked " + endpointId + " " + error);
        }

        @Override
        public void messageRejected(String endpointId, String reason) {
            on("messageRejected " + endpointId + " " + reason);
        }

        @Override
        public void connectAttempted(String pipeName, String result) {
            on("connectAttempted " + pipeName + " " + result);
        }

        @Override
        public void connectRetried(String pipeName) {
            on("connectRetried " + pipeName);
        }

        @Override
        public void messageWritten(String pipeName, int bytes) {
            on("messageWritten " + pipeName + " " + bytes);
        }

        @Override
        public void messageRead(String pipeName, int bytes) {
            on("messageRead " + pipeName + " " + bytes);
        }

        @Override
        public void mutexAbandoned(String name) {
            on("mutexAbandoned " + name);
        }
    }

    /** Throws on every event. */
    static final class Throwing extends EveryEvent {
        @Override
        void on(String event) {
            throw new IllegalStateException("observer broke on " + event);
        }
    }

    /** Records every event, in order. */
    static final class Recording extends EveryEvent {
        final List<String> seen;

        Recording(List<String> seen) {
            this.seen = seen;
        }

        @Override
        void on(String event) {
            seen.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @PipeEndpoint(name = "${test.pipe}", id = "echo")
        public String echo(String in) {
            return in;
        }
    }
}
