package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.shm.SharedMemory;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.client.PipeClientObserver;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointObserver;
import io.winipc.spring.objects.NamedObjectObserver;
import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.sync.LockResult;
import io.winipc.sync.Mutex;
import io.winipc.testing.ChildJvm;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Issue A1, point 4: user observers next to the metrics observer, and named objects outliving their users. */
class ObserversAndShutdownOrderTests {
    private static final String P = "spring-obs-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcMetricsAutoConfiguration.class,
                    WinipcNamedObjectsAutoConfiguration.class, WinipcHealthContributorAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void callsEveryEndpointAndClientObserverInOrderNextToTheMetrics() {
        runner.withPropertyValues("test.pipe=" + P + "echo").withUserConfiguration(Observers.class, Echo.class).run(context -> {
            assertThat(context).hasNotFailed();
            PipeTemplate template = context.getBean(PipeTemplate.class);
            assertThat(template.request(P + "echo", "hi", String.class)).isEqualTo("hi");
            List<String> calls = context.getBean(Observers.class).calls;
            assertThat(calls).filteredOn(c -> c.endsWith("received")).containsExactly("first received", "second received");
            assertThat(calls).filteredOn(c -> c.endsWith("read")).containsExactly("first read", "second read");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("winipc.pipe.messages").tag("endpoint", "echo").tag("side", "server")
                    .tag("direction", "in").counter().count()).isEqualTo(1);
            assertThat(meters.get("winipc.pipe.messages").tag("endpoint", P + "echo").tag("side", "client")
                    .tag("direction", "in").counter().count()).isEqualTo(1);
        });
    }

    @Test
    void callsEveryNamedObjectObserverNextToTheMetrics() {
        runner.withPropertyValues("winipc.mutexes.lock.name=" + P + "lock").withUserConfiguration(Observers.class).run(context -> {
            assertThat(context).hasNotFailed();
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            try (ChildJvm child = ChildJvm.start(List.of(), io.winipc.spring.testing.NamedObjectChild.class)) {
                assertThat(child.readLine()).isEqualTo("ready");
                child.send("hold " + P + "lock");
                assertThat(child.readLine()).isEqualTo("holding");
            }
            assertThat(registry.acquire("lock", Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED_ABANDONED);
            registry.mutex("lock").unlock();
            assertThat(context.getBean(Observers.class).calls).containsExactly("first abandoned lock", "second abandoned lock");
            assertThat(context.getBean(MeterRegistry.class).get("winipc.mutex.abandoned").tag("name", "lock").counter()
                    .count()).isEqualTo(1);
        });
    }

    @Test
    void namedObjectsCloseAfterThePreDestroyMethodsThatUseThem() {
        List<String> log = new CopyOnWriteArrayList<>();
        SharedMemory[] board = new SharedMemory[1];
        runner.withPropertyValues("winipc.shared-memory.board.name=" + P + "board", "winipc.shared-memory.board.size=4KB",
                "winipc.mutexes.lock.name=" + P + "plock")
                // The looked-up user is created first, before anything creates the registry: with ordinary
                // bean destruction the registry, created later, would be destroyed (and close the objects) first.
                .withBean("log", List.class, () -> log)
                .withUserConfiguration(ObjectUsers.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    board[0] = context.getBean(NamedObjectRegistry.class).sharedMemory("board");
                    assertThat(board[0].isOpen()).isTrue();
                });
        assertThat(log).containsExactlyInAnyOrder("injected wrote 7", "looked-up locked ACQUIRED");
        assertThat(board[0].isOpen()).as("closed after its users").isFalse();
    }

    @Configuration(proxyBeanMethods = false)
    static class Observers {
        final List<String> calls = new CopyOnWriteArrayList<>();

        // Declared second-first so that only @Order can put them in order.
        @Bean
        @Order(2)
        Both second() {
            return new Both("second", calls);
        }

        @Bean
        @Order(1)
        Both first() {
            return new Both("first", calls);
        }
    }

    record Both(String name, List<String> calls) implements PipeEndpointObserver, PipeClientObserver, NamedObjectObserver {
        @Override
        public void messageReceived(String endpointId, int bytes) {
            calls.add(name + " received");
        }

        @Override
        public void messageRead(String pipeName, int bytes) {
            calls.add(name + " read");
        }

        @Override
        public void mutexAbandoned(String mutex) {
            calls.add(name + " abandoned " + mutex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @PipeEndpoint(name = "${test.pipe}", id = "echo")
        public String echo(String in) {
            return in;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ObjectUsers {
        @Bean
        LookedUpUser lookedUpUser(ObjectProvider<NamedObjectRegistry> registry, List<String> log) {
            return new LookedUpUser(registry, log);
        }

        @Bean
        InjectedUser injectedUser(@Qualifier("board") SharedMemory board, List<String> log) {
            return new InjectedUser(board, log);
        }
    }

    static final class InjectedUser {
        private final SharedMemory board;
        private final List<String> log;

        InjectedUser(SharedMemory board, List<String> log) {
            this.board = board;
            this.log = log;
        }

        @PreDestroy
        void flush() {
            board.setLongVolatile(0, 7);
            log.add("injected wrote " + board.getLongVolatile(0));
        }
    }

    static final class LookedUpUser {
        private final ObjectProvider<NamedObjectRegistry> registry;
        private final List<String> log;

        LookedUpUser(ObjectProvider<NamedObjectRegistry> registry, List<String> log) {
            this.registry = registry;
            this.log = log;
        }

        @PreDestroy
        void release() {
            Mutex lock = registry.getObject().mutex("lock");
            LockResult result = lock.acquire(Duration.ofSeconds(5));
            lock.unlock();
            log.add("looked-up locked " + result);
        }
    }
}
