package io.winipc.spring.objects;

import io.winipc.spring.objects.NamedObjectRegistry.Kind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Registers one bean per named object configured under {@code winipc.*}, of the object's own type
 * ({@code SharedMemory}, {@code Event}, {@code Semaphore}, {@code Mutex}) and qualified by its
 * configured name, so that {@code @Qualifier("board") SharedMemory board} injects it. The beans
 * come from the {@link NamedObjectRegistry}, which opens and closes them, through a
 * {@link NamedObjectFactoryBean} (AOT-friendly: a class and arguments); they are lazy, so an
 * object that failed to open breaks start-up only where it is injected.
 *
 * <p>It also closes the auto-configured registry at the very end of shutdown: it registers its
 * closing step with the bean factory before any application singleton exists, and the factory
 * destroys singletons in the reverse order of registration, so every bean's {@code @PreDestroy}
 * and {@code close()} runs while the named objects are still open.
 */
public class NamedObjectBeanRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {
    private static final String CLOSER_NAME = "winipc.namedObjectRegistry.closer";

    private final List<NamedObjectRegistry> toClose = new CopyOnWriteArrayList<>();
    /** The prefix of the generated bean names, followed by the kind and the configured name. */
    public static final String BEAN_NAME_PREFIX = "winipc.";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        Binder binder = Binder.get(environment);
        register(registry, binder, "winipc.shared-memory", NamedObjectSpecs.SharedMemorySpec.class, Kind.SHARED_MEMORY);
        register(registry, binder, "winipc.events", NamedObjectSpecs.EventSpec.class, Kind.EVENT);
        register(registry, binder, "winipc.semaphores", NamedObjectSpecs.SemaphoreSpec.class, Kind.SEMAPHORE);
        register(registry, binder, "winipc.mutexes", NamedObjectSpecs.MutexSpec.class, Kind.MUTEX);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        if (beanFactory instanceof DefaultSingletonBeanRegistry singletons) {
            singletons.registerDisposableBean(CLOSER_NAME, this::closeRegistries);
        }
    }

    /**
     * Closes {@code registry} once every singleton of the bean factory has been destroyed.
     *
     * @param registry a registry whose bean is not closed by the factory ({@code destroyMethod = ""})
     */
    public void closeLast(NamedObjectRegistry registry) {
        toClose.add(registry);
    }

    private void closeRegistries() {
        for (NamedObjectRegistry registry : toClose) {
            registry.close();
        }
        toClose.clear();
    }

    private static <S> void register(BeanDefinitionRegistry registry, Binder binder, String prefix, Class<S> specType,
            Kind kind) {
        Map<String, S> specs = binder.bind(prefix, Bindable.mapOf(String.class, specType)).orElse(Map.of());
        for (String name : specs.keySet()) {
            if (alreadyRegistered(registry, beanName(kind, name))) {
                continue;
            }
            // A class and constructor arguments (no instance supplier), so that AOT processing can write it as code.
            RootBeanDefinition definition = new RootBeanDefinition(NamedObjectFactoryBean.class);
            definition.setTargetType(ResolvableType.forClassWithGenerics(NamedObjectFactoryBean.class, kind.type()));
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, kind);
            definition.getConstructorArgumentValues().addIndexedArgumentValue(1, name);
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            definition.setLazyInit(true);
            // The registry closes the object, after the beans that use it. An empty name (not null, which
            // still infers close() for an AutoCloseable) keeps the bean from closing it earlier.
            definition.setDestroyMethodName("");
            registry.registerBeanDefinition(beanName(kind, name), definition);
        }
    }

    /**
     * An application run from its AOT-processed form has these definitions as generated code
     * already, and still calls this post-processor.
     */
    private static boolean alreadyRegistered(BeanDefinitionRegistry registry, String beanName) {
        return registry.containsBeanDefinition(beanName) && NamedObjectFactoryBean.class.getName()
                .equals(registry.getBeanDefinition(beanName).getBeanClassName());
    }

    /** @param kind the kind @param name the configured name @return the bean's name */
    public static String beanName(Kind kind, String name) {
        return BEAN_NAME_PREFIX + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "." + name;
    }
}
