package io.winipc.spring.observation;

import io.micrometer.observation.Observation;

/**
 * What a server-side observation knows: one handled message of a request-reply or one-way
 * endpoint, or one connection of a streaming endpoint. Nothing travels from the client with the
 * message (the wire format is the payload alone), so there is no propagated trace context.
 */
public class PipeServerObservationContext extends Observation.Context {
    private final String endpointId;
    private final String pipeName;
    private final String mode;
    private final long peerPid;
    private final int requestBytes;

    /**
     * @param endpointId the endpoint's id
     * @param pipeName the pipe's name as declared (without {@code winipc.name-prefix})
     * @param mode {@code request-reply}, {@code one-way} or {@code streaming}
     * @param peerPid the client's process id
     * @param requestBytes the request's size, or -1 for a streaming connection
     */
    public PipeServerObservationContext(String endpointId, String pipeName, String mode, long peerPid, int requestBytes) {
        this.endpointId = endpointId;
        this.pipeName = pipeName;
        this.mode = mode;
        this.peerPid = peerPid;
        this.requestBytes = requestBytes;
    }

    /** @return the endpoint's id */
    public String getEndpointId() {
        return endpointId;
    }

    /** @return the pipe's name as declared */
    public String getPipeName() {
        return pipeName;
    }

    /** @return {@code request-reply}, {@code one-way} or {@code streaming} */
    public String getMode() {
        return mode;
    }

    /** @return the client's process id (high cardinality: not a key of the default convention) */
    public long getPeerPid() {
        return peerPid;
    }

    /** @return the request's size in bytes, or -1 for a streaming connection */
    public int getRequestBytes() {
        return requestBytes;
    }
}
