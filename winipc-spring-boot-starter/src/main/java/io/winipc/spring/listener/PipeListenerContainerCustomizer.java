package io.winipc.spring.listener;

/**
 * Adjusts every {@link PipeListenerContainer} the auto-configured factories build, after the
 * defaults are applied and before the container starts (for example to set an observation
 * convention per endpoint). Define any number of beans; they run in
 * {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface PipeListenerContainerCustomizer {

    /** @param container a new, stopped container */
    void customize(PipeListenerContainer container);
}
