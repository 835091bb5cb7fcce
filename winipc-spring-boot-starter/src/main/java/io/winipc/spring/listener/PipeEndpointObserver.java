package io.winipc.spring.listener;

import java.time.Duration;

/**
 * Hears what the listener containers do, for metrics. Every method has an empty default; the
 * metrics auto-configuration supplies a Micrometer implementation. Calls come from handler threads
 * and must not block.
 */
public interface PipeEndpointObserver {

    /** Ignores everything. */
    PipeEndpointObserver NONE = new PipeEndpointObserver() {
    };

    /** @param container a container that has just been registered */
    default void containerRegistered(PipeListenerContainer container) {
    }

    /**
     * @param endpointId the endpoint
     * @param failed whether the connection ended with an error (in the handler, or from the peer)
     */
    default void connectionEnded(String endpointId, boolean failed) {
    }

    /** @param endpointId the endpoint @param bytes the size of a message read from a client */
    default void messageReceived(String endpointId, int bytes) {
    }

    /** @param endpointId the endpoint @param bytes the size of a message written to a client */
    default void messageSent(String endpointId, int bytes) {
    }

    /**
     * @param endpointId the endpoint
     * @param duration how long the handler method ran
     * @param error what it threw, or null if it returned normally
     */
    default void handlerInvoked(String endpointId, Duration duration, Throwable error) {
    }
}
