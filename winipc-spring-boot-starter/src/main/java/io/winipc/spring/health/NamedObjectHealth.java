package io.winipc.spring.health;

import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.spring.objects.NamedObjectRegistry.Entry;
import io.winipc.spring.objects.NamedObjectRegistry.Kind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the configured named objects: one indicator per object, named
 * {@code <kind>-<configured name>} (for example {@code event-board-updated}), UP while the object
 * is open and DOWN with the failure when it could not be created or opened.
 */
public final class NamedObjectHealth {
    private NamedObjectHealth() {
    }

    /** @param registry the named objects @return an indicator per object */
    public static Map<String, HealthIndicator> indicators(NamedObjectRegistry registry) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (Entry entry : registry.entries()) {
            indicators.put(kindName(entry.kind()) + "-" + entry.name(), () -> health(registry, entry));
        }
        return indicators;
    }

    private static Health health(NamedObjectRegistry registry, Entry entry) {
        Health.Builder builder;
        if (entry.error() != null) {
            builder = Health.down();
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", entry.error().getClass().getName());
            error.put("message", String.valueOf(entry.error().getMessage()));
            error.put("at", entry.failedAt().toString());
            builder.withDetail("lastError", error);
        } else if (registry.isOpen(entry.kind(), entry.name())) {
            builder = Health.up();
        } else {
            builder = Health.down().withDetail("open", false);
        }
        return builder.withDetail("kind", kindName(entry.kind()))
                .withDetail("name", entry.osName())
                .withDetail("scope", entry.spec().getScope().name())
                .build();
    }

    private static String kindName(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
