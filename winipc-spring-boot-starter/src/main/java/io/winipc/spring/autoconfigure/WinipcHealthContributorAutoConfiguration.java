package io.winipc.spring.autoconfigure;

import io.winipc.spring.health.WinipcHealthContributor;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.health.NamedObjectHealth;
import io.winipc.spring.objects.NamedObjectRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code winipc} health contributor, when Spring Boot's health support is present. Switch it
 * off with {@code management.health.winipc.enabled=false}.
 */
@AutoConfiguration(after = {WinipcAutoConfiguration.class, WinipcNamedObjectsAutoConfiguration.class})
@ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthContributor",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(PipeEndpointRegistry.class)
public final class WinipcHealthContributorAutoConfiguration {

    // Nested so that the health condition's class is loaded only once the class check above passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("winipc")
    static class WinipcHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "winipcHealthContributor")
        WinipcHealthContributor winipcHealthContributor(PipeEndpointRegistry registry,
                ObjectProvider<NamedObjectRegistry> objects) {
            return new WinipcHealthContributor(registry, () -> {
                NamedObjectRegistry named = objects.getIfAvailable();
                return named == null ? Map.of() : NamedObjectHealth.indicators(named);
            });
        }
    }
}
