package io.winipc.spring.aot;

import io.winipc.PeerCredentials;
import io.winipc.pipe.PipeConnection;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.PipeName;
import io.winipc.spring.listener.PipeEndpointRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.util.ReflectionUtils;

/**
 * Contributes the runtime hints of a bean with {@link PipeEndpoint} methods: each handler method
 * is invoked reflectively, and its payload and return types are bound by the message converter
 * (JSON through Jackson), so they get binding hints. Parameters that carry connection metadata
 * ({@link PeerPid}, {@link PipeName}, {@link PeerCredentials}) or the {@link PipeConnection} of a
 * streaming handler are not payloads. Listed in {@code META-INF/spring/aot.factories}.
 */
public class PipeEndpointBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {
    private static final Set<Class<?>> NOT_BOUND = Set.of(void.class, Void.class, byte[].class, String.class);

    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = registeredBean.getBeanClass();
        Map<Method, PipeEndpoint> methods = MethodIntrospector.selectMethods(beanClass,
                (MethodIntrospector.MetadataLookup<PipeEndpoint>) m -> AnnotatedElementUtils.findMergedAnnotation(m,
                        PipeEndpoint.class));
        if (methods.isEmpty()) {
            return null;
        }
        // The bean's @MessageExceptionHandler methods answer its endpoints' failures: invoked, and their replies bound.
        Set<Method> exceptionHandlers = MethodIntrospector.selectMethods(beanClass,
                (ReflectionUtils.MethodFilter) m -> AnnotatedElementUtils.hasAnnotation(m, MessageExceptionHandler.class));
        List<Method> invoked = new ArrayList<>(methods.keySet());
        invoked.addAll(exceptionHandlers);
        return (generationContext, code) -> registerHints(generationContext.getRuntimeHints(), invoked);
    }

    /**
     * @param hints where to register
     * @param handlers the {@code @PipeEndpoint} methods of one bean class
     */
    static void registerHints(RuntimeHints hints, Iterable<Method> handlers) {
        BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
        for (Method method : handlers) {
            hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
            for (Parameter parameter : method.getParameters()) {
                if (isPayload(parameter)) {
                    bind(hints, binding, parameter.getParameterizedType(), parameter.getType());
                }
            }
            bind(hints, binding, method.getGenericReturnType(), method.getReturnType());
        }
    }

    private static boolean isPayload(Parameter parameter) {
        return !parameter.isAnnotationPresent(PeerPid.class) && !parameter.isAnnotationPresent(PipeName.class)
                && !Throwable.class.isAssignableFrom(parameter.getType())
                && !PipeEndpointRequest.class.isAssignableFrom(parameter.getType())
                && !PeerCredentials.class.isAssignableFrom(parameter.getType())
                && !PipeConnection.class.isAssignableFrom(parameter.getType());
    }

    private static void bind(RuntimeHints hints, BindingReflectionHintsRegistrar binding, Type type, Class<?> raw) {
        if (!NOT_BOUND.contains(raw)) {
            binding.registerReflectionHints(hints.reflection(), type);
        }
    }
}
