package io.winipc.spring.objects;

import org.jspecify.annotations.Nullable;
import io.winipc.spring.objects.NamedObjectRegistry.Kind;
import java.util.Objects;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Exposes one configured named object of the {@link NamedObjectRegistry} as a bean. It is
 * defined by its class and two constructor arguments (kind and configured name) rather than by an
 * instance supplier, so that ahead-of-time processing can write its definition as code.
 *
 * <p>The container never closes the object it returns: the registry does, and it is made a
 * dependency of this bean so that it closes after every bean that injected the object.
 *
 * @param <T> the object's type
 */
public class NamedObjectFactoryBean<T extends AutoCloseable> implements FactoryBean<T>, BeanFactoryAware, BeanNameAware {
    private final Kind kind;
    private final String name;
    private @Nullable BeanFactory beanFactory;
    private @Nullable String beanName;

    /**
     * @param kind the kind of object
     * @param name its configured name (the key under {@code winipc.<kind>})
     */
    public NamedObjectFactoryBean(Kind kind, String name) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanName(String beanName) {
        this.beanName = beanName;
    }

    @Override
    public T getObject() {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable && beanName != null) {
            for (String registryName : listable.getBeanNamesForType(NamedObjectRegistry.class, false, false)) {
                listable.registerDependentBean(registryName, beanName);
            }
        }
        return Objects.requireNonNull(beanFactory, "beanFactory").getBean(NamedObjectRegistry.class).get(kind, name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<T> getObjectType() {
        return (Class<T>) kind.type();
    }
}
