package io.winipc.spring.client;

/**
 * Adjusts the auto-configured {@link PipeTemplate} before it is used (for example its observation
 * convention). Define any number of beans; they run in
 * {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface PipeTemplateCustomizer {

    /** @param template the template, not yet used */
    void customize(PipeTemplate template);
}
