package io.winipc.spring.listener;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanCreationException;

/**
 * A {@link io.winipc.spring.PipeEndpoint} is declared in a way that cannot work: it fails
 * start-up, and its message names the bean, the method, what is wrong and how to fix it. Spring
 * Boot's failure analysis reports the same as a description and an action.
 */
public class InvalidPipeEndpointException extends BeanCreationException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String beanName;
    private final String method;
    private final String problem;
    private final String fix;

    /**
     * @param beanName the bean declaring the endpoint, or null if not known yet
     * @param method the handler method, for a person, such as {@code EchoBean.echo(String)}
     * @param problem what is wrong
     * @param fix what to change
     */
    public InvalidPipeEndpointException(@Nullable String beanName, String method, String problem, String fix) {
        super(text(beanName, method, problem, fix));
        this.beanName = beanName;
        this.method = method;
        this.problem = problem;
        this.fix = fix;
    }

    private static String text(@Nullable String beanName, String method, String problem, String fix) {
        return "@PipeEndpoint method " + method + (beanName == null ? "" : " of bean '" + beanName + "'")
                + " is invalid: " + problem + ". Fix: " + fix;
    }

    /** @return this problem attributed to a bean */
    InvalidPipeEndpointException forBean(String beanName) {
        return new InvalidPipeEndpointException(beanName, method, problem, fix);
    }

    /** @return the bean declaring the endpoint, or null if not known */
    @Override
    public @Nullable String getBeanName() {
        return beanName;
    }

    /** @return the handler method, for a person */
    public String getMethod() {
        return method;
    }

    /** @return what is wrong */
    public String getProblem() {
        return problem;
    }

    /** @return what to change */
    public String getFix() {
        return fix;
    }

    /**
     * @param method a handler method
     * @return its short description, such as {@code EchoBean.echo(String, long)}
     */
    public static String describe(Method method) {
        String params = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
        String owner = method.getDeclaringClass().getSimpleName();
        if (owner.isEmpty()) {
            owner = method.getDeclaringClass().getName();
        }
        return owner + "." + method.getName() + "(" + params + ")";
    }
}
