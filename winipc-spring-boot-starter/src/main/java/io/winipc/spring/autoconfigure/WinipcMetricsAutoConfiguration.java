package io.winipc.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.winipc.spring.metrics.WinipcMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * winipc's Micrometer meters (see {@link WinipcMetrics}), when Micrometer and a
 * {@link MeterRegistry} bean are present.
 */
@AutoConfiguration(before = WinipcAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class WinipcMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WinipcMetrics winipcMetrics(MeterRegistry registry) {
        return new WinipcMetrics(registry);
    }
}
