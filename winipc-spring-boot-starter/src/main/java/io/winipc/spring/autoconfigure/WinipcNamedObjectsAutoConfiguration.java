package io.winipc.spring.autoconfigure;

import io.winipc.spring.objects.NamedObjectBeanRegistrar;
import io.winipc.spring.objects.NamedObjectObserver;
import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.spring.objects.SharedMemoryCapacityCheck;
import io.winipc.sync.Mutex;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;

/**
 * Named shared memory, events, semaphores and mutexes from {@code winipc.*} properties: a
 * {@link NamedObjectRegistry} that opens them at start-up and closes them on shutdown, and one
 * qualified bean per object.
 */
@AutoConfiguration(after = {WinipcAutoConfiguration.class, WinipcMetricsAutoConfiguration.class})
@ConditionalOnClass(Mutex.class)
@ConditionalOnBooleanProperty(name = "winipc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WinipcProperties.class)
public final class WinipcNamedObjectsAutoConfiguration {

    @Bean
    static NamedObjectBeanRegistrar winipcNamedObjectBeanRegistrar() {
        return new NamedObjectBeanRegistrar();
    }

    @Bean
    SharedMemoryCapacityCheck winipcSharedMemoryCapacityCheck(WinipcProperties properties) {
        return new SharedMemoryCapacityCheck(properties.getSharedMemory(), properties.isFailFast());
    }

    // Not closed as a bean: the registrar closes it after every other singleton is destroyed, so
    // that @PreDestroy methods can still use the objects.
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @DependsOn("winipcSharedMemoryCapacityCheck")
    NamedObjectRegistry winipcNamedObjectRegistry(WinipcProperties properties,
            ObjectProvider<NamedObjectObserver> observers, NamedObjectBeanRegistrar registrar) {
        NamedObjectRegistry registry = new NamedObjectRegistry(properties.getSharedMemory(), properties.getEvents(),
                properties.getSemaphores(), properties.getMutexes(), properties.isFailFast(),
                NamedObjectObserver.composite(observers.orderedStream().toList()));
        registry.setDefaultAccess(properties.getAccess().getAllow());
        registry.setDefaultOwnerTrust(properties.getObjects().getOwnerTrust().toPolicy());
        registry.setNamePrefix(properties.getNamePrefix());
        registrar.closeLast(registry);
        return registry;
    }
}
