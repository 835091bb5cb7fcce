package io.winipc.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.winipc.Winipc;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.spring.client.PipeClientObserver;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.client.PipeTemplateCustomizer;
import io.winipc.spring.listener.PipeEndpointAccess;
import io.winipc.spring.listener.PipeEndpointAnnotationBeanPostProcessor;
import io.winipc.spring.listener.PipeEndpointErrorHandler;
import io.winipc.spring.listener.PipeEndpointObserver;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainerCustomizer;
import io.winipc.spring.listener.PipeListenerContainerFactory;
import io.winipc.spring.observation.PipeClientObservationConvention;
import io.winipc.spring.observation.PipeServerObservationConvention;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of winipc pipes: {@code @PipeEndpoint} discovery, the endpoint registry and
 * its containers, and the {@link PipeTemplate} client. Every bean backs off when the application
 * defines its own. Disabled with {@code winipc.enabled=false}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(PipeServer.class)
@ConditionalOnBooleanProperty(name = "winipc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WinipcProperties.class)
public final class WinipcAutoConfiguration {
    /** The bean name of the converter endpoints and the template share. */
    public static final String MESSAGE_CONVERTER_BEAN_NAME = "winipcMessageConverter";
    /** The bean name of the container factory endpoints use unless they name another. */
    public static final String DEFAULT_CONTAINER_FACTORY_BEAN_NAME = "pipeListenerContainerFactory";
    /** The bean name of the executor that runs endpoint handlers. */
    public static final String HANDLER_EXECUTOR_BEAN_NAME = "winipcHandlerExecutor";

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static PipeEndpointAnnotationBeanPostProcessor pipeEndpointAnnotationBeanPostProcessor() {
        return new PipeEndpointAnnotationBeanPostProcessor();
    }

    @Bean
    @ConditionalOnMissingBean
    WinipcPlatformCheck winipcPlatformCheck(WinipcProperties properties) {
        return new WinipcPlatformCheck(properties.isFailFast());
    }

    @Bean(MESSAGE_CONVERTER_BEAN_NAME)
    @ConditionalOnMissingBean(name = MESSAGE_CONVERTER_BEAN_NAME)
    MessageConverter winipcMessageConverter(BeanFactory beanFactory) {
        List<MessageConverter> converters = new ArrayList<>();
        converters.add(new ByteArrayMessageConverter());
        converters.add(new StringMessageConverter(StandardCharsets.UTF_8));
        ClassLoader classLoader = ((org.springframework.beans.factory.config.ConfigurableBeanFactory) beanFactory)
                .getBeanClassLoader();
        if (ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", classLoader)) {
            converters.add(JacksonConverters.json(beanFactory));
        }
        return new CompositeMessageConverter(converters);
    }

    /**
     * Runs the endpoints' handlers: a thread per connection, virtual when
     * {@code spring.threads.virtual.enabled=true}, decorated by the application's
     * {@link TaskDecorator} bean if it has exactly one (to propagate context). Platform threads are
     * daemon threads: a running endpoint's accept thread is what keeps the JVM alive, and a handler
     * that ignores its interrupt at shutdown must not hold the JVM. Not a default candidate, so
     * that Boot's {@code applicationTaskExecutor} does not back off and no one else is injected
     * with it; replace it with a bean of this name.
     */
    @Bean(name = HANDLER_EXECUTOR_BEAN_NAME, defaultCandidate = false)
    @ConditionalOnMissingBean(name = HANDLER_EXECUTOR_BEAN_NAME)
    SimpleAsyncTaskExecutor winipcHandlerExecutor(Environment environment, ObjectProvider<TaskDecorator> taskDecorator) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("winipc-handler-");
        executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        executor.setDaemon(true);
        taskDecorator.ifUnique(executor::setTaskDecorator);
        return executor;
    }

    @Bean
    @ConditionalOnMissingBean
    PipeListenerContainerFactoryConfigurer pipeListenerContainerFactoryConfigurer(WinipcProperties properties,
            @Qualifier(MESSAGE_CONVERTER_BEAN_NAME) MessageConverter converter,
            @Qualifier(HANDLER_EXECUTOR_BEAN_NAME) Executor executor, ObjectProvider<PipeEndpointObserver> observers,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<PipeServerObservationConvention> observationConvention,
            ObjectProvider<PipeListenerContainerCustomizer> customizers, ObjectProvider<PipeEndpointErrorHandler> errorHandlers,
            Environment environment) {
        WinipcProperties.Pipe pipe = properties.getPipe();
        return new PipeListenerContainerFactoryConfigurer(
                new PipeListenerContainerFactory.Defaults(pipe.getConcurrency(), pipe.getMaxMessageSize().toBytes(),
                        pipe.getDrainTimeout(), pipe.isAutoStartup(), properties.isFailFast()),
                converter, executor, PipeEndpointObserver.composite(observers.orderedStream().toList()),
                pipe.isObservationEnabled() ? observationRegistry.getIfUnique() : null, observationConvention.getIfUnique(),
                customizers.orderedStream().toList(),
                // The global handler: the only one, or the @Primary one when endpoints name others of their own.
                errorHandlers.getIfUnique(), endpointAccess(properties, environment));
    }

    private static PipeEndpointAccess endpointAccess(WinipcProperties properties, Environment environment) {
        Map<String, List<String>> perEndpoint = new LinkedHashMap<>();
        properties.getPipe().getEndpoints().forEach((id, endpoint) -> perEndpoint.put(id, endpoint.getAllow()));
        return new PipeEndpointAccess(properties.getAccess().getAllow(), perEndpoint, environment::resolveRequiredPlaceholders);
    }

    /**
     * Defining any factory bean replaces this one; to add a second factory next to it, define
     * this one too ({@code configurer.create()}) under this name or as {@code @Primary}.
     */
    @Bean(DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
    @ConditionalOnMissingBean
    PipeListenerContainerFactory pipeListenerContainerFactory(PipeListenerContainerFactoryConfigurer configurer) {
        return configurer.create();
    }

    @Bean
    @ConditionalOnMissingBean
    PipeEndpointRegistry pipeEndpointRegistry(ObjectProvider<PipeListenerContainerFactory> factories,
            BeanFactory beanFactory) {
        // With a second factory for @PipeEndpoint(containerFactory = ...), the default is the primary one or the one
        // with the auto-configured factory's name.
        return new PipeEndpointRegistry(factories.getIfUnique(() -> beanFactory.getBean(DEFAULT_CONTAINER_FACTORY_BEAN_NAME,
                PipeListenerContainerFactory.class)));
    }

    @Bean
    @ConditionalOnMissingBean
    PipeTemplate pipeTemplate(WinipcProperties properties, @Qualifier(MESSAGE_CONVERTER_BEAN_NAME) MessageConverter converter,
            ObjectProvider<PipeClientObserver> observers, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<PipeClientObservationConvention> observationConvention,
            ObjectProvider<PipeTemplateCustomizer> customizers) {
        WinipcProperties.Client client = properties.getClient();
        long maxMessageSize = client.getMaxMessageSize().toBytes();
        if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("winipc.client.max-message-size must be 1.." + Integer.MAX_VALUE
                    + " bytes: " + maxMessageSize);
        }
        PipeClientOptions options = PipeClientOptions.defaults()
                .withMode(PipeMode.MESSAGE)
                .withScope(client.getScope())
                .withConnectTimeout(client.getConnectTimeout())
                .withMaxMessageSize((int) maxMessageSize)
                .withServerTrust(client.getServerTrust().toPolicy());
        PipeTemplate template = new PipeTemplate(options, client.getRetryInterval(), client.getReadTimeout(), converter,
                PipeClientObserver.composite(observers.orderedStream().toList()), properties.getNamePrefix());
        if (client.isObservationEnabled()) {
            template.setObservationRegistry(observationRegistry.getIfUnique());
            template.setObservationConvention(observationConvention.getIfUnique());
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(template));
        return template;
    }

    /**
     * Checks at start-up that this OS has a winipc backend: when it has none, start-up fails if
     * {@code winipc.fail-fast=true}, else the reason is logged (and reported by health).
     */
    public static final class WinipcPlatformCheck implements org.springframework.beans.factory.InitializingBean {
        private static final org.apache.commons.logging.Log LOG =
                org.apache.commons.logging.LogFactory.getLog(WinipcPlatformCheck.class);
        private final boolean failFast;

        WinipcPlatformCheck(boolean failFast) {
            this.failFast = failFast;
        }

        /** @return why winipc cannot work on this OS, or null if it can */
        public @Nullable String unavailableReason() {
            return Winipc.unavailableReason().orElse(null);
        }

        @Override
        public void afterPropertiesSet() {
            String reason = unavailableReason();
            if (reason == null) {
                return;
            }
            if (failFast) {
                throw new IllegalStateException("winipc is unavailable (winipc.fail-fast=true): " + reason);
            }
            LOG.warn("winipc is unavailable; pipe endpoints and named objects stay down: " + reason);
        }
    }

    /** Kept apart so that Jackson's classes load only when Jackson is present. */
    private static final class JacksonConverters {
        static MessageConverter json(BeanFactory beanFactory) {
            tools.jackson.databind.json.JsonMapper mapper = beanFactory
                    .getBeanProvider(tools.jackson.databind.json.JsonMapper.class)
                    .getIfAvailable(() -> tools.jackson.databind.json.JsonMapper.builder().build());
            return new org.springframework.messaging.converter.JacksonJsonMessageConverter(mapper);
        }
    }
}
