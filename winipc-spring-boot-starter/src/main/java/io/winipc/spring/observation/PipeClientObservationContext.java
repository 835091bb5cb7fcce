package io.winipc.spring.observation;

import io.micrometer.observation.Observation;

/** What a client-side observation knows: one {@code PipeTemplate} request or send. */
public class PipeClientObservationContext extends Observation.Context {
    private final String pipeName;
    private final String operation;

    /**
     * @param pipeName the name the template was asked for (without {@code winipc.name-prefix})
     * @param operation {@code request} or {@code send}
     */
    public PipeClientObservationContext(String pipeName, String operation) {
        this.pipeName = pipeName;
        this.operation = operation;
    }

    /** @return the name the template was asked for */
    public String getPipeName() {
        return pipeName;
    }

    /** @return {@code request} or {@code send} */
    public String getOperation() {
        return operation;
    }
}
