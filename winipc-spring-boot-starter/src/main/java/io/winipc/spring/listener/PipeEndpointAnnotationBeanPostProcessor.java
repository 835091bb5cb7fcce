package io.winipc.spring.listener;

import io.winipc.spring.PipeEndpoint;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Finds {@link PipeEndpoint} methods on beans, resolves the placeholders in their attributes and
 * registers each with the {@link PipeEndpointRegistry} once all singletons exist (beans created
 * later are registered as they appear). The registry is looked up lazily so that this
 * post-processor does not force it, and everything it depends on, to be created early.
 */
public class PipeEndpointAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware,
        SmartInitializingSingleton {
    /** {@code winipc.name-prefix}, put in front of every endpoint's pipe name. */
    private static final String NAME_PREFIX_PLACEHOLDER = "${winipc.name-prefix:}";
    private ConfigurableBeanFactory beanFactory;
    private final List<PipeEndpointDefinition> pending = new ArrayList<>();
    private volatile PipeEndpointRegistry registry;
    private final java.util.Set<Class<?>> classesWithoutEndpoints = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (classesWithoutEndpoints.contains(targetClass)) {
            return bean;
        }
        Map<Method, PipeEndpoint> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<PipeEndpoint>) m -> AnnotatedElementUtils.findMergedAnnotation(m, PipeEndpoint.class));
        if (methods.isEmpty()) {
            classesWithoutEndpoints.add(targetClass);
            return bean;
        }
        for (Map.Entry<Method, PipeEndpoint> entry : methods.entrySet()) {
            PipeEndpointDefinition definition = define(bean, beanName, entry.getKey(), entry.getValue());
            PipeEndpointRegistry ready = registry;
            if (ready != null) {
                ready.register(definition);
            } else {
                synchronized (pending) {
                    pending.add(definition);
                }
            }
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<PipeEndpointDefinition> definitions;
        synchronized (pending) {
            definitions = List.copyOf(pending);
            pending.clear();
        }
        PipeEndpointRegistry found = beanFactory.getBeanProvider(PipeEndpointRegistry.class).getIfAvailable();
        if (found == null) {
            if (!definitions.isEmpty()) {
                throw new BeanInitializationException("@PipeEndpoint methods found but there is no PipeEndpointRegistry bean");
            }
            return;
        }
        for (PipeEndpointDefinition definition : definitions) {
            found.register(definition);
        }
        registry = found;
    }

    private PipeEndpointDefinition define(Object bean, String beanName, Method method, PipeEndpoint annotation) {
        String where = "@PipeEndpoint on " + method.toGenericString();
        try {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            String name = resolve(annotation.name());
            if (!StringUtils.hasText(name)) {
                throw new IllegalArgumentException("name must not be empty");
            }
            name = resolve(NAME_PREFIX_PLACEHOLDER) + name;
            String id = StringUtils.hasText(annotation.id()) ? resolve(annotation.id()) : beanName + "." + method.getName();
            String concurrency = resolve(annotation.concurrency());
            String maxMessageSize = resolve(annotation.maxMessageSize());
            String autoStartup = resolve(annotation.autoStartup());
            return new PipeEndpointDefinition(id, name, annotation.mode(), annotation.scope(),
                    StringUtils.hasText(concurrency) ? Integer.valueOf(concurrency.trim()) : null,
                    StringUtils.hasText(maxMessageSize) ? DataSize.parse(maxMessageSize.trim()).toBytes() : null,
                    StringUtils.hasText(autoStartup) ? parseBoolean(autoStartup) : null,
                    bean, invocable);
        } catch (RuntimeException e) {
            throw new BeanInitializationException(where + " (bean '" + beanName + "') is invalid: " + e.getMessage(), e);
        }
    }

    private String resolve(String value) {
        if (!StringUtils.hasLength(value)) {
            return value;
        }
        String resolved = beanFactory.resolveEmbeddedValue(value);
        return resolved == null ? "" : resolved;
    }

    private static Boolean parseBoolean(String value) {
        String v = value.trim();
        if ("true".equalsIgnoreCase(v)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(v)) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("autoStartup must be true or false: '" + value + "'");
    }
}
