package io.winipc.spring.health;

import io.winipc.Winipc;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * winipc's health, as the composite {@code winipc} with three parts: {@code platform} (DOWN with
 * the reason when this OS has no winipc backend), {@code endpoints} (one entry per pipe endpoint)
 * and {@code objects} (one entry per named object configured under {@code winipc.*}). The parts
 * are read on every request, so endpoints registered or stopped later are reported too.
 *
 * <p>An endpoint is UP while it listens, DOWN when it should listen but cannot (the failure is in
 * {@code lastError}), and OUT_OF_SERVICE when it was stopped on purpose or does not start
 * automatically.
 */
public class WinipcHealthContributor implements CompositeHealthContributor {
    private final PipeEndpointRegistry registry;
    private final Supplier<Map<String, HealthIndicator>> objects;

    /**
     * @param registry the pipe endpoints
     * @param objects the named objects' indicators by name, read on every request
     */
    public WinipcHealthContributor(PipeEndpointRegistry registry, Supplier<Map<String, HealthIndicator>> objects) {
        this.registry = registry;
        this.objects = objects;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return switch (name) {
            case "platform" -> (HealthIndicator) WinipcHealthContributor::platform;
            case "endpoints" -> endpoints();
            case "objects" -> objectsContributor();
            default -> null;
        };
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        List<HealthContributors.Entry> entries = new java.util.ArrayList<>();
        entries.add(new HealthContributors.Entry("platform", getContributor("platform")));
        if (!registry.getContainers().isEmpty()) {
            entries.add(new HealthContributors.Entry("endpoints", endpoints()));
        }
        if (!objects.get().isEmpty()) {
            entries.add(new HealthContributors.Entry("objects", objectsContributor()));
        }
        return entries.stream();
    }

    private CompositeHealthContributor endpoints() {
        Map<String, HealthContributor> byId = new LinkedHashMap<>();
        for (PipeListenerContainer container : registry.getContainers()) {
            byId.put(container.getId(), (HealthIndicator) () -> endpoint(container));
        }
        return CompositeHealthContributor.fromMap(byId);
    }

    private CompositeHealthContributor objectsContributor() {
        return CompositeHealthContributor.fromMap(new LinkedHashMap<>(objects.get()));
    }

    static Health platform() {
        return Winipc.unavailableReason()
                .map(reason -> Health.down().withDetail("reason", reason).build())
                .orElseGet(() -> Health.up().withDetail("backend", Winipc.backend()).build());
    }

    static Health endpoint(PipeListenerContainer container) {
        Health.Builder builder;
        if (container.isRunning()) {
            builder = Health.up();
        } else if (container.isWanted()) {
            builder = Health.down();
        } else {
            builder = Health.outOfService();
        }
        builder.withDetail("pipe", container.getDefinition().name())
                .withDetail("mode", container.getOptions().mode().name())
                .withDetail("listening", container.isRunning())
                .withDetail("instancesBusy", container.getBusyInstances())
                .withDetail("instancesFree", container.getFreeInstances())
                .withDetail("maxInstances", container.getOptions().maxInstances())
                .withDetail("handlerErrors", container.getHandlerErrorCount())
                .withDetail("clientRejections", container.getClientRejectionCount());
        container.lastError().ifPresent(e -> {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", e.type());
            error.put("message", e.message());
            error.put("at", e.at().toString());
            builder.withDetail("lastError", error);
        });
        return builder.build();
    }
}
