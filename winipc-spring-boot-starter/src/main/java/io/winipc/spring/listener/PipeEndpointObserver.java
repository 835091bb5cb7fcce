package io.winipc.spring.listener;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hears what the listener containers do, for metrics. Every method has an empty default; the
 * metrics auto-configuration supplies a Micrometer implementation. Calls come from handler threads
 * and must not block.
 *
 * <p>Any number of beans may implement it: the auto-configuration calls them all, in
 * {@link org.springframework.core.annotation.Order @Order}, through {@link #composite(List)}.
 */
public interface PipeEndpointObserver {

    /** Ignores everything. */
    PipeEndpointObserver NONE = new PipeEndpointObserver() {
    };

    /**
     * @param observers the observers to call, in this order
     * @return one observer that calls each of them; {@link #NONE} for none, the observer itself for one
     */
    static PipeEndpointObserver composite(List<? extends PipeEndpointObserver> observers) {
        List<PipeEndpointObserver> all = List.copyOf(observers);
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new PipeEndpointObserver() {
            @Override
            public void containerRegistered(PipeListenerContainer container) {
                all.forEach(o -> o.containerRegistered(container));
            }

            @Override
            public void connectionEnded(String endpointId, boolean failed) {
                all.forEach(o -> o.connectionEnded(endpointId, failed));
            }

            @Override
            public void messageReceived(String endpointId, int bytes) {
                all.forEach(o -> o.messageReceived(endpointId, bytes));
            }

            @Override
            public void messageSent(String endpointId, int bytes) {
                all.forEach(o -> o.messageSent(endpointId, bytes));
            }

            @Override
            public void handlerInvoked(String endpointId, Duration duration, @Nullable Throwable error) {
                all.forEach(o -> o.handlerInvoked(endpointId, duration, error));
            }

            @Override
            public void messageRejected(String endpointId, String reason) {
                all.forEach(o -> o.messageRejected(endpointId, reason));
            }

            @Override
            public String toString() {
                return "PipeEndpointObserver.composite" + all;
            }
        };
    }

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
    default void handlerInvoked(String endpointId, Duration duration, @Nullable Throwable error) {
    }

    /**
     * A client's input was refused before or instead of reaching the handler: a message above the
     * endpoint's maximum size, or a payload that could not be converted to the handler's type.
     * Counted apart from handler failures, which are the application's.
     *
     * @param endpointId the endpoint
     * @param reason {@code too-large} or {@code conversion}
     */
    default void messageRejected(String endpointId, String reason) {
    }
}
