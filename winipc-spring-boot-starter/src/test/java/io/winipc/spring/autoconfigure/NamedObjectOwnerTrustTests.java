package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.winipc.TrustPolicy;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.spring.objects.NamedObjectRegistry.Kind;
import io.winipc.spring.objects.NamedObjectUnavailableException;
import io.winipc.spring.testing.NamedObjectChild;
import io.winipc.sync.LockResult;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.OtherUserJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Whose existing named object the starter opens: {@code winipc.objects.owner-trust.*} for every
 * object, an object's own {@code owner-trust.*} instead for that one.
 */
class NamedObjectOwnerTrustTests {
    private static final String P = "spring-trust-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
    private static final int NOBODY = 65534;
    private static final String SID = "S-1-5-21-1-2-3-1001";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcNamedObjectsAutoConfiguration.class));

    @Test
    void objectsTrustTheCurrentUserOrSystemUnlessOwnerTrustPropertiesSayMore() {
        String[] objects = {"winipc.events.plain.name=" + P + "plain", "winipc.mutexes.own.name=" + P + "own"};
        runner.withPropertyValues(objects).run(context -> {
            NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
            assertThat(registry.ownerTrust(Kind.EVENT, "plain")).isEqualTo(TrustPolicy.currentUserOrSystem());
            assertThat(registry.ownerTrust(Kind.MUTEX, "own")).isEqualTo(TrustPolicy.currentUserOrSystem());
            assertThatThrownBy(() -> registry.ownerTrust(Kind.MUTEX, "plain")).isInstanceOf(IllegalArgumentException.class);
        });
        // The global default for every object; an object's own owner-trust replaces it, not adds to it.
        runner.withPropertyValues(objects).withPropertyValues("winipc.objects.owner-trust.uids=1001,1002",
                "winipc.objects.owner-trust.sids=" + SID, "winipc.mutexes.own.owner-trust.uids=2001").run(context -> {
                    NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                    assertThat(registry.ownerTrust(Kind.EVENT, "plain"))
                            .isEqualTo(TrustPolicy.currentUserOrSystem().allowingUids(1001, 1002).allowingSids(SID));
                    assertThat(registry.ownerTrust(Kind.MUTEX, "own")).isEqualTo(TrustPolicy.currentUserOrSystem().allowingUids(2001));
                    assertThat(registry.isOpen(Kind.MUTEX, "own")).isTrue();
                });
        // any-account, globally or for one object; any-account=false alone narrows one object back to the default.
        runner.withPropertyValues(objects).withPropertyValues("winipc.objects.owner-trust.any-account=true",
                "winipc.mutexes.own.owner-trust.any-account=false").run(context -> {
                    NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                    assertThat(registry.ownerTrust(Kind.EVENT, "plain")).isEqualTo(TrustPolicy.anyAccount());
                    assertThat(registry.ownerTrust(Kind.MUTEX, "own")).isEqualTo(TrustPolicy.currentUserOrSystem());
                });
        runner.withPropertyValues(objects).withPropertyValues("winipc.events.plain.owner-trust.any-account=true",
                "winipc.mutexes.own.owner-trust.sids=" + SID).run(context -> {
                    NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                    assertThat(registry.ownerTrust(Kind.EVENT, "plain")).isEqualTo(TrustPolicy.anyAccount());
                    assertThat(registry.ownerTrust(Kind.MUTEX, "own")).isEqualTo(TrustPolicy.currentUserOrSystem().allowingSids(SID));
                });
    }

    @Test
    void aMalformedSidFailsStartUpOrTheObjectItBelongsTo() {
        runner.withPropertyValues("winipc.events.plain.name=" + P + "sid1", "winipc.objects.owner-trust.sids=not-a-sid")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("not a SID"));
        runner.withPropertyValues("winipc.events.bad.name=" + P + "sid2", "winipc.events.bad.owner-trust.sids=not-a-sid",
                "winipc.events.good.name=" + P + "sid3").run(context -> {
                    NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                    assertThat(registry.isOpen(Kind.EVENT, "good")).isTrue();
                    assertThatThrownBy(() -> registry.event("bad")).isInstanceOf(NamedObjectUnavailableException.class)
                            .hasStackTraceContaining("not a SID");
                });
    }

    /**
     * Linux, as root: nobody creates the four objects in GLOBAL scope; the context opens them. The
     * default refuses each, the trust named in the properties admits them, and the objects reached are
     * nobody's (its pid in the region, its permit, its signal).
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anObjectOfAnotherUidIsRefusedByDefaultAndOpenedWhenItsOwnerIsTrusted() throws Exception {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("starting a process as another user needs root")
                .isEqualTo(0);
        String name = P + "nobodys";
        List<String> objects = new ArrayList<>();
        for (String kind : List.of("shared-memory", "events", "semaphores", "mutexes")) {
            String key = "winipc." + kind + ".theirs.";
            objects.addAll(List.of(key + "name=" + name, key + "scope=global", key + "open=open"));
        }
        String[] opened = objects.toArray(String[]::new);
        try (ChildJvm child = OtherUserJvm.start(NOBODY, NOBODY, "", NamedObjectChild.class)) {
            assertThat(child.readLine()).isEqualTo("ready");
            long pid = Long.parseLong(child.ask("own-global " + name).substring("owning ".length()));
            assertThat(Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")).isEqualTo(NOBODY);
            assertThat(filesNamed(name)).as("the region, the event, the semaphore and the mutex").hasSize(4);

            runner.withPropertyValues(opened).run(context -> {
                assertThat(context).hasNotFailed();
                NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                for (Kind kind : Kind.values()) {
                    assertThatThrownBy(() -> registry.get(kind, "theirs")).as(kind.name())
                            .isInstanceOf(NamedObjectUnavailableException.class)
                            .hasRootCauseInstanceOf(WinipcAccessDeniedException.class)
                            .rootCause().hasMessageContaining("belongs to uid " + NOBODY);
                }
            });

            runner.withPropertyValues(opened).withPropertyValues("winipc.objects.owner-trust.uids=" + NOBODY).run(context -> {
                assertThat(context).hasNotFailed();
                NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                assertThat(registry.sharedMemory("theirs").getLongVolatile(0)).isEqualTo(pid);
                assertThat(registry.event("theirs").await(Duration.ZERO)).as("created signalled by nobody").isTrue();
                assertThat(registry.semaphore("theirs").tryAcquire()).as("nobody's one permit").isTrue();
                assertThat(registry.semaphore("theirs").release()).isZero();
                assertThat(registry.acquire("theirs", Duration.ofSeconds(10))).isEqualTo(LockResult.ACQUIRED);
                registry.mutex("theirs").unlock();
            });

            // One object's trust replaces the default for it alone, widening or narrowing.
            runner.withPropertyValues(opened).withPropertyValues("winipc.events.theirs.owner-trust.uids=" + NOBODY,
                    "winipc.objects.owner-trust.any-account=true", "winipc.mutexes.theirs.owner-trust.uids=1").run(context -> {
                        NamedObjectRegistry registry = context.getBean(NamedObjectRegistry.class);
                        assertThat(registry.isOpen(Kind.EVENT, "theirs")).isTrue();
                        assertThat(registry.isOpen(Kind.SHARED_MEMORY, "theirs")).as("any account").isTrue();
                        assertThat(registry.isOpen(Kind.SEMAPHORE, "theirs")).as("any account").isTrue();
                        assertThatThrownBy(() -> registry.mutex("theirs")).hasRootCauseInstanceOf(WinipcAccessDeniedException.class);
                    });

            child.send("exit");
            assertThat(child.waitFor(30)).isZero();
        }
        assertThat(filesNamed(name)).as("nobody closed its objects").isEmpty();
    }

    private static List<Path> filesNamed(String name) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(name)).toList();
        }
    }
}
