package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.winipc.shm.SharedMemory;
import io.winipc.spring.health.WinipcHealthContributor;
import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.testing.ChildJvm;
import io.winipc.sync.Event;
import io.winipc.sync.LockResult;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NamedObjectsAutoConfigurationTests {
    private static final String P = "spring-obj-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcMetricsAutoConfiguration.class,
                    WinipcNamedObjectsAutoConfiguration.class, WinipcHealthContributorAutoConfiguration.class));

    private static String[] objects(String tag) {
        return new String[] {
            "winipc.shared-memory.board.name=" + P + tag + "board", "winipc.shared-memory.board.size=4KB",
            "winipc.events.ready.name=" + P + tag + "ready", "winipc.events.ready.manual-reset=true",
            "winipc.events.ready.initial-state=true",
            "winipc.semaphores.jobs.name=" + P + tag + "jobs", "winipc.semaphores.jobs.initial=2",
            "winipc.semaphores.jobs.maximum=3",
            "winipc.mutexes.lock.name=" + P + tag + "lock"};
    }

    @Test
    void createsEachConfiguredObjectAsAQualifiedBeanAndInTheRegistry() {
        runner.withPropertyValues(objects("a")).withUserConfiguration(Injected.class).run(context -> {
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            SharedMemory board = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), SharedMemory.class, "board");
            assertThat(board).isSameAs(registry.sharedMemory("board")).isSameAs(context.getBean(Injected.class).board);
            assertThat(board.size()).isEqualTo(4096);
            assertThat(board.name()).isEqualTo(P + "aboard");
            Event ready = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), Event.class, "ready");
            assertThat(ready).isSameAs(registry.event("ready"));
            assertThat(ready.await(Duration.ZERO)).as("initially signalled").isTrue();
            assertThat(ready.await(Duration.ZERO)).as("manual reset keeps it signalled").isTrue();
            Semaphore jobs = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), Semaphore.class, "jobs");
            assertThat(jobs.tryAcquire()).isTrue();
            assertThat(jobs.tryAcquire()).isTrue();
            assertThat(jobs.tryAcquire()).as("initial count 2").isFalse();
            assertThat(jobs.release(3)).isZero();
            assertThatThrownBy(() -> jobs.release()).as("maximum 3").isInstanceOf(io.winipc.WouldExceedMaximumException.class);
            Mutex lock = BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), Mutex.class, "lock");
            assertThat(registry.withMutex("lock", Duration.ofSeconds(5), lock::isHeldByCurrentThread)).isTrue();
            assertThatThrownBy(() -> registry.event("missing")).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void closesEveryObjectOnShutdown() {
        SharedMemory[] board = new SharedMemory[1];
        Event[] ready = new Event[1];
        Semaphore[] jobs = new Semaphore[1];
        Mutex[] lock = new Mutex[1];
        runner.withPropertyValues(objects("b")).run(context -> {
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            board[0] = registry.sharedMemory("board");
            ready[0] = registry.event("ready");
            jobs[0] = registry.semaphore("jobs");
            lock[0] = registry.mutex("lock");
            assertThat(board[0].isOpen()).isTrue();
        });
        assertThat(board[0].isOpen()).isFalse();
        assertThat(ready[0].isOpen()).isFalse();
        assertThat(jobs[0].isOpen()).isFalse();
        assertThat(lock[0].isOpen()).isFalse();
    }

    @Test
    void anotherProcessOpensTheConfiguredObjectsByName() {
        runner.withPropertyValues(objects("c")).run(context -> {
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            registry.sharedMemory("board").setLongVolatile(0, 4242L);
            Event ready = registry.event("ready");
            ready.reset();
            try (ChildJvm child = ChildJvm.start(List.of(), io.winipc.spring.testing.NamedObjectChild.class)) {
                assertThat(child.readLine()).isEqualTo("ready");
                child.send("read-signal " + P + "cboard " + P + "cready");
                assertThat(child.readLine()).isEqualTo("value 4242");
                assertThat(ready.await(Duration.ofSeconds(30))).as("signalled by the child").isTrue();
            }
        });
    }

    @Test
    void countsAnAbandonedMutex() {
        runner.withPropertyValues(objects("d")).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            try (ChildJvm child = ChildJvm.start(List.of(), io.winipc.spring.testing.NamedObjectChild.class)) {
                assertThat(child.readLine()).isEqualTo("ready");
                child.send("hold " + P + "dlock");
                assertThat(child.readLine()).isEqualTo("holding");
            }
            assertThat(registry.acquire("lock", Duration.ofSeconds(30))).isEqualTo(LockResult.ACQUIRED_ABANDONED);
            registry.mutex("lock").unlock();
            assertThat(context.getBean(MeterRegistry.class).get("winipc.mutex.abandoned").tag("name", "lock").counter()
                    .count()).isEqualTo(1);
        });
    }

    @Test
    void reportsAnObjectThatCannotBeOpenedAsDownAndStarts() {
        runner.withPropertyValues("winipc.events.absent.name=" + P + "absent", "winipc.events.absent.open=open",
                "winipc.mutexes.fine.name=" + P + "fine").run(context -> {
                    assertThat(context).hasNotFailed();
                    NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                    assertThatThrownBy(() -> registry.event("absent")).isInstanceOf(IllegalStateException.class)
                            .hasCauseInstanceOf(io.winipc.ObjectNotFoundException.class);
                    CompositeHealthContributor objects = (CompositeHealthContributor) context
                            .getBean(WinipcHealthContributor.class).getContributor("objects");
                    Health absent = ((HealthIndicator) objects.getContributor("event-absent")).health();
                    assertThat(absent.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(absent.getDetails().get("lastError").toString()).contains("ObjectNotFoundException");
                    Health fine = ((HealthIndicator) objects.getContributor("mutex-fine")).health();
                    assertThat(fine.getStatus()).isEqualTo(Status.UP);
                    assertThat(fine.getDetails()).containsEntry("name", P + "fine").containsEntry("scope", "LOCAL");
                });
    }

    @Test
    void failsStartUpForAnObjectThatCannotBeOpenedWhenAskedToFailFast() {
        runner.withPropertyValues("winipc.events.absent.name=" + P + "absent2", "winipc.events.absent.open=open",
                "winipc.fail-fast=true").run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("event 'absent'").hasStackTraceContaining("winipc.fail-fast=true"));
    }

    @Test
    void createRefusesALiveNameAndCreateOrOpenSharesIt() {
        try (Semaphore existing = Semaphore.create(P + "live", 1, 1)) {
            runner.withPropertyValues("winipc.semaphores.strict.name=" + P + "live", "winipc.semaphores.strict.open=create",
                    "winipc.semaphores.shared.name=" + P + "live").run(context -> {
                        NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                        assertThatThrownBy(() -> registry.semaphore("strict")).hasCauseInstanceOf(io.winipc.ObjectExistsException.class);
                        assertThat(registry.semaphore("shared").tryAcquire()).isTrue();
                        assertThat(existing.tryAcquire()).as("the one permit is shared").isFalse();
                    });
        }
    }

    @Test
    void requiresASizeToCreateSharedMemory() {
        runner.withPropertyValues("winipc.shared-memory.nosize.name=" + P + "nosize", "winipc.fail-fast=true")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("winipc.shared-memory.nosize.size is required"));
    }

    @Test
    void registersNoObjectsWhenNoneAreConfigured() {
        runner.run(context -> {
            assertThat(context.getBean(NamedObjectRegistry.class).entries()).isEmpty();
            assertThat(context).doesNotHaveBean(SharedMemory.class);
            assertThat(context.getBean(WinipcHealthContributor.class).getContributor("objects")).isNotNull();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Injected {
        SharedMemory board;

        @Bean
        Object consumer(@Qualifier("board") SharedMemory board) {
            this.board = board;
            return board.name();
        }
    }
}
