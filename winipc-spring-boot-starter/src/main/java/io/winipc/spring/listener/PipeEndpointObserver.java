package io.winipc.spring.listener;

import java.time.Duration;
import io.winipc.spring.internal.IsolatedObservers;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hears what the listener containers do, for metrics. Every method has an empty default; the
 * metrics auto-configuration supplies a Micrometer implementation. Calls come from handler threads
 * and must not block.
 *
 * <p>Any number of beans may implement it: the auto-configuration calls them all, in
 * {@link org.springframework.core.annotation.Order @Order}, through {@link #composite(List)}.
 *
 * <p>An observer cannot break what it observes: when one called through {@link #composite(List)}
 * throws an exception, it is logged at WARN with the observer's class and the event (at most once
 * per observer every 10 seconds) and otherwise ignored; the observers after it are still called
 * and the exchange or start-up goes on as if it had not thrown. An {@link Error} is not caught.
 */
public interface PipeEndpointObserver {

    /** Ignores everything. */
    PipeEndpointObserver NONE = new PipeEndpointObserver() {
    };

    /**
     * @param observers the observers to call, in this order
     * @return one observer that calls each of them in turn, keeping each one's exceptions from the
     *     others and from the caller; {@link #NONE} for none
     */
    static PipeEndpointObserver composite(List<? extends PipeEndpointObserver> observers) {
        if (observers.isEmpty()) {
            return NONE;
        }
        IsolatedObservers<PipeEndpointObserver> all = new IsolatedObservers<>(PipeEndpointObserver.class, observers);
        return new PipeEndpointObserver() {
            @Override
            public void containerRegistered(PipeListenerContainer container) {
                all.each("containerRegistered", container.getId(), o -> o.containerRegistered(container));
            }

            @Override
            public void connectionEnded(String endpointId, boolean failed) {
                all.each("connectionEnded", endpointId, o -> o.connectionEnded(endpointId, failed));
            }

            @Override
            public void messageReceived(String endpointId, int bytes) {
                all.each("messageReceived", endpointId, o -> o.messageReceived(endpointId, bytes));
            }

            @Override
            public void messageSent(String endpointId, int bytes) {
                all.each("messageSent", endpointId, o -> o.messageSent(endpointId, bytes));
            }

            @Override
            public void handlerInvoked(String endpointId, Duration duration, @Nullable Throwable error) {
                all.each("handlerInvoked", endpointId, o -> o.handlerInvoked(endpointId, duration, error));
            }

            @Override
            public void messageRejected(String endpointId, String reason) {
                all.each("messageRejected", endpointId, o -> o.messageRejected(endpointId, reason));
            }

            @Override
            public String toString() {
                return all.toString();
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
