package io.winipc.spring.diagnostics;

import io.winipc.spring.objects.NamedObjectRegistry.Kind;
import io.winipc.spring.objects.NamedObjectUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link NamedObjectUnavailableException} in Spring Boot's "APPLICATION FAILED TO START"
 * form: which configured object, the OS's reason, and where to fix it, instead of a stack trace
 * whose useful line is at the bottom.
 */
public final class NamedObjectUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<NamedObjectUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NamedObjectUnavailableException cause) {
        String reason = cause.getCause() == null ? cause.getMessage() : cause.getCause().getMessage();
        String description = "The winipc " + cause.getKind().type().getSimpleName() + " configured as '"
                + cause.getProperty() + "' (OS name '" + cause.getOsName() + "') could not be created or opened: "
                + reason + "."
                + (cause.isFailFast() ? " winipc.fail-fast=true makes this fail start-up."
                        : " A bean injects it directly, so start-up cannot go on without it.");
        String action = "Fix the entry " + cause.getProperty() + " (name, scope, open"
                + (cause.getKind() == Kind.SHARED_MEMORY ? ", size" : "")
                + "), or end the process that holds the name."
                + (cause.isFailFast() ? " To start with it reported DOWN in health instead, set winipc.fail-fast=false."
                        : " To start with it reported DOWN in health instead, look it up through NamedObjectRegistry"
                                + " or an ObjectProvider rather than injecting it.");
        return new FailureAnalysis(description, action, cause);
    }
}
