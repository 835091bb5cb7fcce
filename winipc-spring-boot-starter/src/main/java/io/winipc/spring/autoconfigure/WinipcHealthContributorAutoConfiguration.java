package io.winipc.spring.autoconfigure;

import io.winipc.spring.health.WinipcHealthContributor;
import io.winipc.spring.listener.PipeEndpointRegistry;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code winipc} health contributor, when Spring Boot's health support is present. Switch it
 * off with {@code management.health.winipc.enabled=false}.
 */
@AutoConfiguration(after = WinipcAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(PipeEndpointRegistry.class)
@ConditionalOnEnabledHealthIndicator("winipc")
public final class WinipcHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "winipcHealthContributor")
    WinipcHealthContributor winipcHealthContributor(PipeEndpointRegistry registry) {
        return new WinipcHealthContributor(registry, Map::of);
    }
}
