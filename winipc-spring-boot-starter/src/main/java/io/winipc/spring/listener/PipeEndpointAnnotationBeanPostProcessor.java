package io.winipc.spring.listener;

import io.winipc.ObjectNames;
import io.winipc.PeerCredentials;
import io.winipc.pipe.PipeConnection;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.PipeName;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Finds {@link PipeEndpoint} methods on beans, resolves the placeholders in their attributes and
 * registers each with the {@link PipeEndpointRegistry} once all singletons exist (beans created
 * later are registered as they appear). The registry is looked up lazily so that this
 * post-processor does not force it, and everything it depends on, to be created early.
 *
 * <p>Every mistake in a declaration fails start-up with an {@link InvalidPipeEndpointException}
 * naming the bean, the method and the fix: an invalid pipe name (checked with
 * {@link ObjectNames}, the rules the core applies), two endpoints on one pipe, two endpoints with
 * one id, more than one payload parameter, a metadata parameter of the wrong type, and (checked
 * by the {@link PipeListenerContainerFactory}) a payload or reply type no converter handles.
 */
public class PipeEndpointAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware,
        SmartInitializingSingleton {
    /** {@code winipc.name-prefix}, put in front of every endpoint's pipe name. */
    private static final String NAME_PREFIX_PLACEHOLDER = "${winipc.name-prefix:}";
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private ConfigurableBeanFactory beanFactory;
    private final List<Declared> pending = new ArrayList<>();
    /** Every endpoint this post-processor registered or will register, by id; guarded by {@code pending}. */
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    private volatile PipeEndpointRegistry registry;
    private final Set<Class<?>> classesWithoutEndpoints = ConcurrentHashMap.newKeySet();

    /** One endpoint with where it was declared. */
    private record Declared(String beanName, PipeEndpointDefinition definition, boolean explicitId, String containerFactory) {
        String where() {
            return InvalidPipeEndpointException.describe(definition.method()) + " (bean '" + beanName + "')";
        }
    }

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
            Declared endpoint = define(bean, beanName, entry.getKey(), entry.getValue());
            PipeEndpointRegistry ready;
            synchronized (pending) {
                checkUnique(endpoint);
                declared.put(endpoint.definition().id(), endpoint);
                ready = registry;
                if (ready == null) {
                    pending.add(endpoint);
                }
            }
            if (ready != null) {
                register(ready, endpoint);
            }
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Declared> endpoints;
        synchronized (pending) {
            endpoints = List.copyOf(pending);
            pending.clear();
        }
        PipeEndpointRegistry found = beanFactory.getBeanProvider(PipeEndpointRegistry.class).getIfAvailable();
        if (found == null) {
            if (!endpoints.isEmpty()) {
                throw new BeanInitializationException("@PipeEndpoint methods found (" + endpoints.get(0).where()
                        + ") but there is no PipeEndpointRegistry bean; keep WinipcAutoConfiguration enabled or define one");
            }
            return;
        }
        for (Declared endpoint : endpoints) {
            register(found, endpoint);
        }
        registry = found;
    }

    private void register(PipeEndpointRegistry registry, Declared endpoint) {
        try {
            if (StringUtils.hasText(endpoint.containerFactory())) {
                registry.register(endpoint.definition(), containerFactory(endpoint));
            } else {
                registry.register(endpoint.definition());
            }
        } catch (InvalidPipeEndpointException e) {
            throw e.getBeanName() == null ? e.forBean(endpoint.beanName()) : e;
        }
    }

    private PipeListenerContainerFactory containerFactory(Declared endpoint) {
        String name = endpoint.containerFactory();
        if (!beanFactory.containsBean(name) || !beanFactory.isTypeMatch(name, PipeListenerContainerFactory.class)) {
            throw new InvalidPipeEndpointException(endpoint.beanName(), describe(endpoint.definition()),
                    "its containerFactory '" + name + "' is not a PipeListenerContainerFactory bean",
                    "define a PipeListenerContainerFactory bean of that name (PipeListenerContainerFactoryConfigurer"
                            + " builds one with Boot's defaults), or remove containerFactory");
        }
        return beanFactory.getBean(name, PipeListenerContainerFactory.class);
    }

    /** Refuses a second endpoint with the id or the pipe of one declared before; called holding {@code pending}. */
    private void checkUnique(Declared endpoint) {
        PipeEndpointDefinition definition = endpoint.definition();
        Declared sameId = declared.get(definition.id());
        if (sameId != null) {
            String fix = endpoint.explicitId() && sameId.explicitId()
                    ? "change the id in @PipeEndpoint(id = \"" + definition.id() + "\") on one of them"
                    : "give one of them an explicit, different @PipeEndpoint(id = ...)";
            throw new InvalidPipeEndpointException(endpoint.beanName(), describe(definition),
                    "its id '" + definition.id() + "' is already the id of " + sameId.where(), fix);
        }
        for (Declared other : declared.values()) {
            PipeEndpointDefinition otherDefinition = other.definition();
            boolean sameName = WINDOWS ? otherDefinition.name().equalsIgnoreCase(definition.name())
                    : otherDefinition.name().equals(definition.name());
            // On Windows every pipe is in one namespace, whatever the scope.
            if (sameName && (WINDOWS || otherDefinition.scope() == definition.scope())) {
                throw new InvalidPipeEndpointException(endpoint.beanName(), describe(definition),
                        "it listens on pipe '" + definition.name() + "' (scope " + definition.scope()
                                + "), which " + other.where() + " already listens on; a pipe has one server"
                                + (WINDOWS ? " (Windows pipe names ignore case and scope)" : ""),
                        "give one of them another @PipeEndpoint(name = ...), or merge the two handlers");
            }
        }
    }

    private Declared define(Object bean, String beanName, Method method, PipeEndpoint annotation) {
        String where = describe(method);
        String name = resolve(NAME_PREFIX_PLACEHOLDER) + resolve(annotation.name());
        String nameProblem = ObjectNames.problem(name);
        if (nameProblem != null) {
            throw new InvalidPipeEndpointException(beanName, where, "its pipe name " + ObjectNames.printable(name)
                    + (name.equals(annotation.name()) ? "" : " (from " + ObjectNames.printable(annotation.name()) + ")")
                    + " is not valid: " + nameProblem,
                    "set @PipeEndpoint(name = ...) to a bare name of 1 to " + ObjectNames.MAX_LENGTH
                            + " characters such as 'myapp/echo' (no \\ : * ? \" < > |, no control characters)");
        }
        checkParameters(beanName, method);
        boolean explicitId = StringUtils.hasText(annotation.id());
        String id = explicitId ? resolve(annotation.id()) : beanName + "." + method.getName();
        Integer concurrency = parse(beanName, where, "concurrency", annotation.concurrency(),
                "a whole number from 1 to 254", v -> Integer.valueOf(v.trim()));
        Long maxMessageSize = parse(beanName, where, "maxMessageSize", annotation.maxMessageSize(),
                "a data size such as 64KB or a number of bytes", v -> DataSize.parse(v.trim()).toBytes());
        Boolean autoStartup = parse(beanName, where, "autoStartup", annotation.autoStartup(), "true or false",
                PipeEndpointAnnotationBeanPostProcessor::parseBoolean);
        PipeEndpointErrorHandler errorHandler = errorHandler(beanName, where, annotation.errorHandler());
        try {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            PipeEndpointDefinition definition = new PipeEndpointDefinition(id, name, annotation.mode(), annotation.scope(),
                    concurrency, maxMessageSize, autoStartup, bean, invocable, errorHandler);
            return new Declared(beanName, definition, explicitId, resolve(annotation.containerFactory()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            String fix = e.getMessage() != null && e.getMessage().contains("MESSAGE mode")
                    ? "remove mode = BYTE, or take a PipeConnection parameter to stream"
                    : e.getMessage() != null && e.getMessage().contains("endpoint id")
                            ? "set @PipeEndpoint(id = ...) to a non-blank id without '/'"
                            : "correct the @PipeEndpoint attributes named above";
            throw new InvalidPipeEndpointException(beanName, where, e.getMessage(), fix);
        }
    }

    private @Nullable PipeEndpointErrorHandler errorHandler(String beanName, String where, String raw) {
        String name = resolve(raw);
        if (!StringUtils.hasText(name)) {
            return null;
        }
        if (!beanFactory.containsBean(name)) {
            throw new InvalidPipeEndpointException(beanName, where, "errorHandler names bean '" + name
                    + "', and there is no such bean", "define a PipeEndpointErrorHandler bean named '" + name
                    + "', or correct @PipeEndpoint(errorHandler = ...)");
        }
        Object handler = beanFactory.getBean(name);
        if (!(handler instanceof PipeEndpointErrorHandler errorHandler)) {
            throw new InvalidPipeEndpointException(beanName, where, "errorHandler names bean '" + name + "', a "
                    + handler.getClass().getName() + ", which is not a PipeEndpointErrorHandler",
                    "make bean '" + name + "' implement PipeEndpointErrorHandler, or name another bean");
        }
        return errorHandler;
    }

    /**
     * Checks what each parameter receives: at most one payload, {@link PeerPid} on a number,
     * {@link PipeName} on a String, at most one {@link PipeConnection}.
     */
    private static void checkParameters(String beanName, Method method) {
        String where = describe(method);
        List<String> payloads = new ArrayList<>();
        int connections = 0;
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            Class<?> type = parameter.getParameterType();
            String label = "parameter " + (i + 1) + " (" + type.getSimpleName() + ")";
            if (parameter.hasParameterAnnotation(PeerPid.class)) {
                if (type != long.class && type != Long.class && type != int.class && type != Integer.class) {
                    throw new InvalidPipeEndpointException(beanName, where, "@PeerPid is on " + label
                            + ", but a process id is a number", "declare that parameter as long (or Long)");
                }
            } else if (parameter.hasParameterAnnotation(PipeName.class)) {
                if (type != String.class) {
                    throw new InvalidPipeEndpointException(beanName, where, "@PipeName is on " + label
                            + ", but a pipe name is text", "declare that parameter as String");
                }
            } else if (PipeConnection.class.isAssignableFrom(type)) {
                connections++;
            } else if (!PeerCredentials.class.isAssignableFrom(type)) {
                payloads.add(label);
            }
        }
        if (connections > 1) {
            throw new InvalidPipeEndpointException(beanName, where, "it takes " + connections
                    + " PipeConnection parameters", "keep one PipeConnection parameter");
        }
        if (connections == 1 && !payloads.isEmpty()) {
            throw new InvalidPipeEndpointException(beanName, where, "it streams (takes a PipeConnection) and also has "
                    + String.join(" and ", payloads) + ", which would receive no message",
                    "remove " + String.join(" and ", payloads) + " and read messages from the connection");
        }
        if (payloads.size() > 1) {
            throw new InvalidPipeEndpointException(beanName, where, String.join(" and ", payloads)
                    + " would each receive the message payload", "keep one payload parameter; mark metadata"
                    + " parameters with @PeerPid or @PipeName, or take PeerCredentials");
        }
    }

    private static String describe(Method method) {
        return InvalidPipeEndpointException.describe(method);
    }

    private static String describe(PipeEndpointDefinition definition) {
        return describe(definition.method());
    }

    private <T> T parse(String beanName, String where, String attribute, String raw, String expected,
            java.util.function.Function<String, T> parser) {
        String value = resolve(raw);
        if (!StringUtils.hasText(value)) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new InvalidPipeEndpointException(beanName, where, attribute + " " + ObjectNames.printable(value)
                    + (value.equals(raw) ? "" : " (from " + ObjectNames.printable(raw) + ")") + " is not " + expected,
                    "set @PipeEndpoint(" + attribute + " = ...) to " + expected);
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
        throw new IllegalArgumentException(value);
    }
}
