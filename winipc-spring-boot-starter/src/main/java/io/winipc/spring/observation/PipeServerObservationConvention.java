package io.winipc.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags server-side observations. Define a bean of this type to replace
 * {@link DefaultPipeServerObservationConvention} (or extend it to add keys).
 */
public interface PipeServerObservationConvention extends ObservationConvention<PipeServerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof PipeServerObservationContext;
    }
}
