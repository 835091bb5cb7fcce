package io.winipc.spring.autoconfigure;

import io.winipc.internal.Platforms;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.spring.client.PipeClientObserver;
import io.winipc.spring.client.PipeTemplate;
import io.winipc.spring.listener.PipeEndpointAnnotationBeanPostProcessor;
import io.winipc.spring.listener.PipeEndpointObserver;
import io.winipc.spring.listener.PipeEndpointRegistry;
import io.winipc.spring.listener.PipeListenerContainerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static PipeEndpointAnnotationBeanPostProcessor pipeEndpointAnnotationBeanPostProcessor() {
        return new PipeEndpointAnnotationBeanPostProcessor();
    }

    @Bean
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

    @Bean
    @ConditionalOnMissingBean
    PipeListenerContainerFactory pipeListenerContainerFactory(WinipcProperties properties,
            @Qualifier(MESSAGE_CONVERTER_BEAN_NAME) MessageConverter converter,
            ObjectProvider<PipeEndpointObserver> observer, Environment environment) {
        // A private executor, not a bean: an Executor bean would make Boot's applicationTaskExecutor back off.
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("winipc-handler-");
        executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        WinipcProperties.Pipe pipe = properties.getPipe();
        return new PipeListenerContainerFactory(converter, executor, observer.getIfAvailable(() -> PipeEndpointObserver.NONE),
                new PipeListenerContainerFactory.Defaults(pipe.getConcurrency(), pipe.getMaxMessageSize().toBytes(),
                        pipe.getDrainTimeout(), pipe.isAutoStartup(), properties.isFailFast()));
    }

    @Bean
    @ConditionalOnMissingBean
    PipeEndpointRegistry pipeEndpointRegistry(PipeListenerContainerFactory factory) {
        return new PipeEndpointRegistry(factory);
    }

    @Bean
    @ConditionalOnMissingBean
    PipeTemplate pipeTemplate(WinipcProperties properties, @Qualifier(MESSAGE_CONVERTER_BEAN_NAME) MessageConverter converter,
            ObjectProvider<PipeClientObserver> observer) {
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
                .withMaxMessageSize((int) maxMessageSize);
        return new PipeTemplate(options, client.getRetryInterval(), client.getReadTimeout(), converter,
                observer.getIfAvailable(() -> PipeClientObserver.NONE), properties.getNamePrefix());
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
        public String unavailableReason() {
            return Platforms.unavailableReason();
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
