package io.winipc.spring.observation;

import io.micrometer.common.KeyValues;
import io.winipc.spring.observation.WinipcObservationDocumentation.ServerKeys;

/**
 * The default names and keys of server-side observations: named {@code winipc.pipe.server}
 * (Micrometer's meter handler makes it a timer of that name), contextual name
 * {@code <pipe> receive}, keys {@code winipc.endpoint}, {@code winipc.pipe}, {@code winipc.mode},
 * {@code outcome} and {@code exception}.
 */
public class DefaultPipeServerObservationConvention implements PipeServerObservationConvention {

    /** The one shared instance. */
    public static final DefaultPipeServerObservationConvention INSTANCE = new DefaultPipeServerObservationConvention();

    @Override
    public String getName() {
        return "winipc.pipe.server";
    }

    @Override
    public String getContextualName(PipeServerObservationContext context) {
        return context.getPipeName() + " receive";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(PipeServerObservationContext context) {
        Throwable error = context.getError();
        return KeyValues.of(ServerKeys.ENDPOINT.withValue(context.getEndpointId()),
                ServerKeys.PIPE.withValue(context.getPipeName()), ServerKeys.MODE.withValue(context.getMode()),
                ServerKeys.OUTCOME.withValue(error == null ? "SUCCESS" : "ERROR"),
                ServerKeys.EXCEPTION.withValue(error == null ? "none" : error.getClass().getSimpleName()));
    }
}
