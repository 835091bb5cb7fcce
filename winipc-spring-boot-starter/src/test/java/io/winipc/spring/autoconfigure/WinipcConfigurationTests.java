package io.winipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.spring.TrustProperties;
import io.winipc.spring.objects.NamedObjectSpecs;
import io.winipc.spring.objects.SharedMemoryCapacity;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict binding of {@code winipc.*}, the configuration metadata, and the shared-memory capacity
 * check at start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class WinipcConfigurationTests {
    private static final String P = "spring-cfg-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WinipcAutoConfiguration.class, WinipcNamedObjectsAutoConfiguration.class));

    @Test
    void aMisspelledPipeSettingFailsStartUpNamingTheKey() {
        runner.withPropertyValues("winipc.pipe.concurency=4").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("winipc.pipe.concurency"));
        runner.withPropertyValues("winipc.pipe.drain-timout=1s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("winipc.pipe.drain-timout"));
    }

    @Test
    void aMisspelledSettingInsideANamedObjectsEntryFailsStartUpNamingTheKey() {
        runner.withPropertyValues("winipc.events.board-updated.name=" + P + "ev", "winipc.events.board-updated.manual-rest=true")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("winipc.events.board-updated.manual-rest"));
        runner.withPropertyValues("winipc.shared-memory.board.name=" + P + "shm", "winipc.shared-memory.board.sise=4KB")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("winipc.shared-memory.board.sise"));
    }

    @Test
    void correctlySpelledSettingsStillStart() {
        runner.withPropertyValues("winipc.pipe.concurrency=4", "winipc.pipe.drain-timeout=1s",
                "winipc.events.ok.name=" + P + "ok", "winipc.events.ok.manual-reset=true", "winipc.name-prefix=")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theMetadataDescribesEveryPropertyWithDefaultsAndHints() throws Exception {
        JsonNode metadata = starterMetadata();
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.get("properties").forEach(p -> properties.put(p.get("name").asString(), p));
        assertThat(properties).containsKeys("winipc.enabled", "winipc.fail-fast", "winipc.name-prefix",
                "winipc.pipe.concurrency", "winipc.pipe.max-message-size", "winipc.pipe.drain-timeout",
                "winipc.pipe.auto-startup", "winipc.client.connect-timeout", "winipc.client.retry-interval",
                "winipc.client.read-timeout", "winipc.client.max-message-size", "winipc.client.scope",
                "winipc.shared-memory.*.size", "winipc.events.*.manual-reset", "winipc.events.*.initial-state",
                "winipc.semaphores.*.initial", "winipc.semaphores.*.maximum", "winipc.mutexes.*.open",
                "winipc.objects.owner-trust.any-account", "winipc.objects.owner-trust.uids", "winipc.objects.owner-trust.sids",
                "winipc.client.server-trust.any-account", "winipc.client.server-trust.uids", "winipc.client.server-trust.gids",
                "winipc.client.server-trust.sids");
        // Every setting a named object's entry binds is described, for every kind.
        Map<String, Class<?>> kinds = Map.of("shared-memory", NamedObjectSpecs.SharedMemorySpec.class,
                "events", NamedObjectSpecs.EventSpec.class, "semaphores", NamedObjectSpecs.SemaphoreSpec.class,
                "mutexes", NamedObjectSpecs.MutexSpec.class);
        List<String> perEntry = new ArrayList<>();
        kinds.forEach((kind, type) -> {
            for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
                if (property.getPropertyType() == TrustProperties.class) {
                    for (PropertyDescriptor leaf : BeanUtils.getPropertyDescriptors(TrustProperties.class)) {
                        if (leaf.getWriteMethod() != null) {
                            perEntry.add("winipc." + kind + ".*." + kebab(property.getName()) + "." + kebab(leaf.getName()));
                        }
                    }
                } else if (property.getWriteMethod() != null) {
                    perEntry.add("winipc." + kind + ".*." + kebab(property.getName()));
                }
            }
        });
        assertThat(perEntry).hasSize(4 * (4 + 4) + 1 + 2 + 2).contains("winipc.mutexes.*.owner-trust.sids");
        assertThat(properties).containsKeys(perEntry.toArray(String[]::new));
        for (JsonNode property : properties.values()) {
            String name = property.get("name").asString();
            if (name.startsWith("winipc.")) {
                assertThat(property.path("description").asString("")).as(name).isNotBlank();
            }
        }
        assertThat(properties.get("winipc.pipe.concurrency").get("defaultValue").asInt()).isEqualTo(16);
        assertThat(properties.get("winipc.semaphores.*.maximum").get("defaultValue").asInt()).isEqualTo(1);
        assertThat(properties.get("winipc.events.*.manual-reset").get("defaultValue").asBoolean()).isFalse();
        assertThat(properties.get("winipc.events.*.open").get("defaultValue").asString()).isEqualTo("create-or-open");
        assertThat(properties.get("winipc.name-prefix").get("defaultValue").asString()).isEmpty();

        Map<String, Set<String>> hints = new HashMap<>();
        metadata.get("hints").forEach(h -> {
            Set<String> values = new java.util.TreeSet<>();
            h.get("values").forEach(v -> values.add(v.get("value").asString()));
            hints.put(h.get("name").asString(), values);
        });
        assertThat(hints.get("winipc.client.scope")).containsExactlyInAnyOrder("local", "global");
        for (String kind : kinds.keySet()) {
            assertThat(hints.get("winipc." + kind + ".*.scope")).as(kind).containsExactlyInAnyOrder("local", "global");
            assertThat(hints.get("winipc." + kind + ".*.open")).as(kind)
                    .containsExactlyInAnyOrder("create-or-open", "create", "open");
        }
    }

    @Test
    void aRegionLargerThanTheMachineCanHoldFailsStartUpWithTheFiguresUnderFailFast() {
        SharedMemoryCapacity room = SharedMemoryCapacity.ofThisMachine().orElseThrow();
        assertThat(room.where()).isEqualTo(OS.WINDOWS.isCurrentOs() ? "the commit limit" : "/dev/shm");
        long tooBig = room.free() + (1L << 30);
        runner.withPropertyValues("winipc.fail-fast=true", "winipc.shared-memory.huge.name=" + P + "huge",
                "winipc.shared-memory.huge.size=" + tooBig + "B").run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("winipc shared memory needs "
                                + SharedMemoryCapacity.format(tooBig) + " (huge " + SharedMemoryCapacity.format(tooBig)
                                + ") but " + room.where() + " has ")
                        .hasMessageContaining(" free of ").hasMessageContaining("(winipc.fail-fast=true)"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aRegionLargerThanDevShmWarnsWithTheFiguresAndTheRestStarts(CapturedOutput output) {
        SharedMemoryCapacity room = SharedMemoryCapacity.ofThisMachine().orElseThrow();
        long tooBig = room.free() + (1L << 30);
        // Only opened, so it is not created; the check counts only regions to create.
        runner.withPropertyValues("winipc.shared-memory.huge.name=" + P + "huge2", "winipc.shared-memory.huge.open=open",
                "winipc.shared-memory.fits.name=" + P + "fits", "winipc.shared-memory.fits.size=4KB",
                "winipc.shared-memory.big.name=" + P + "big", "winipc.shared-memory.big.size=" + tooBig + "B")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("winipc shared memory needs " + SharedMemoryCapacity.format(tooBig + 4096)
                            + " (fits 4 KB, big " + SharedMemoryCapacity.format(tooBig) + ") but /dev/shm has ");
                });
        assertThat(output).doesNotContain("huge ");
    }

    @Test
    void regionsThatFitAreNotReported(CapturedOutput output) {
        runner.withPropertyValues("winipc.shared-memory.small.name=" + P + "small", "winipc.shared-memory.small.size=4KB")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).doesNotContain("winipc shared memory needs");
    }

    @Test
    void sizesAreFormattedForPeople() {
        assertThat(SharedMemoryCapacity.format(512)).isEqualTo("512 B");
        assertThat(SharedMemoryCapacity.format(4096)).isEqualTo("4 KB");
        assertThat(SharedMemoryCapacity.format(100L << 30)).isEqualTo("100 GB");
        assertThat(SharedMemoryCapacity.format((3L << 30) / 2)).isEqualTo("1.5 GB");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The metadata the configuration processor generated for this module (other jars have their own). */
    private static JsonNode starterMetadata() throws Exception {
        List<URL> urls = Collections.list(WinipcConfigurationTests.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
        JsonMapper json = JsonMapper.builder().build();
        for (URL url : urls) {
            try (InputStream in = url.openStream()) {
                JsonNode node = json.readTree(in);
                if (node.path("groups").toString().contains("io.winipc.spring.autoconfigure.WinipcProperties")) {
                    return node;
                }
            }
        }
        throw new AssertionError("no winipc metadata among " + urls.stream().map(URL::toString).collect(Collectors.joining(", ")));
    }
}
