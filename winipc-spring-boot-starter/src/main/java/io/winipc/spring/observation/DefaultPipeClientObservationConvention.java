package io.winipc.spring.observation;

import io.micrometer.common.KeyValues;
import io.winipc.spring.observation.WinipcObservationDocumentation.ClientKeys;

/**
 * The default names and keys of client-side observations: named {@code winipc.pipe.client},
 * contextual name {@code <pipe> <operation>}, keys {@code winipc.pipe}, {@code winipc.operation},
 * {@code outcome} and {@code exception}.
 */
public class DefaultPipeClientObservationConvention implements PipeClientObservationConvention {

    /** The one shared instance. */
    public static final DefaultPipeClientObservationConvention INSTANCE = new DefaultPipeClientObservationConvention();

    @Override
    public String getName() {
        return "winipc.pipe.client";
    }

    @Override
    public String getContextualName(PipeClientObservationContext context) {
        return context.getPipeName() + " " + context.getOperation();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(PipeClientObservationContext context) {
        Throwable error = context.getError();
        return KeyValues.of(ClientKeys.PIPE.withValue(context.getPipeName()),
                ClientKeys.OPERATION.withValue(context.getOperation()),
                ClientKeys.OUTCOME.withValue(error == null ? "SUCCESS" : "ERROR"),
                ClientKeys.EXCEPTION.withValue(error == null ? "none" : error.getClass().getSimpleName()));
    }
}
