package io.winipc.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags client-side observations of the {@code PipeTemplate}. Define a bean of this type
 * to replace {@link DefaultPipeClientObservationConvention} (or extend it to add keys).
 */
public interface PipeClientObservationConvention extends ObservationConvention<PipeClientObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof PipeClientObservationContext;
    }
}
