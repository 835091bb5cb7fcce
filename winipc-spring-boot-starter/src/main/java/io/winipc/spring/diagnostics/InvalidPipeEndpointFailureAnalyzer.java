package io.winipc.spring.diagnostics;

import io.winipc.spring.listener.InvalidPipeEndpointException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidPipeEndpointException} in Spring Boot's "APPLICATION FAILED TO START"
 * form: which method of which bean, what is wrong, and the fix as the action.
 */
public final class InvalidPipeEndpointFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPipeEndpointException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPipeEndpointException cause) {
        String description = "The @PipeEndpoint method " + cause.getMethod()
                + (cause.getBeanName() == null ? "" : " of bean '" + cause.getBeanName() + "'")
                + " is invalid: " + cause.getProblem() + ".";
        return new FailureAnalysis(description, "Fix: " + cause.getFix() + ".", cause);
    }
}
