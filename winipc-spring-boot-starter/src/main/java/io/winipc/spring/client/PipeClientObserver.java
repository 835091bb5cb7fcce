package io.winipc.spring.client;

import io.winipc.spring.internal.IsolatedObservers;
import java.util.List;

/**
 * Hears what a {@link PipeTemplate} does, for metrics. Every method has an empty default.
 * Any number of beans may implement it: the auto-configuration calls them all, in
 * {@link org.springframework.core.annotation.Order @Order}, through {@link #composite(List)}.
 *
 * <p>An observer cannot break what it observes: when one called through {@link #composite(List)}
 * throws an exception, it is logged at WARN with the observer's class and the event (at most once
 * per observer every 10 seconds) and otherwise ignored; the observers after it are still called
 * and the template call goes on as if it had not thrown. An {@link Error} is not caught.
 */
public interface PipeClientObserver {

    /** Ignores everything. */
    PipeClientObserver NONE = new PipeClientObserver() {
    };

    /**
     * @param observers the observers to call, in this order
     * @return one observer that calls each of them in turn, keeping each one's exceptions from the
     *     others and from the caller; {@link #NONE} for none
     */
    static PipeClientObserver composite(List<? extends PipeClientObserver> observers) {
        if (observers.isEmpty()) {
            return NONE;
        }
        IsolatedObservers<PipeClientObserver> all = new IsolatedObservers<>(PipeClientObserver.class, observers);
        return new PipeClientObserver() {
            @Override
            public void connectAttempted(String pipeName, String result) {
                all.each("connectAttempted", pipeName, o -> o.connectAttempted(pipeName, result));
            }

            @Override
            public void connectRetried(String pipeName) {
                all.each("connectRetried", pipeName, o -> o.connectRetried(pipeName));
            }

            @Override
            public void messageWritten(String pipeName, int bytes) {
                all.each("messageWritten", pipeName, o -> o.messageWritten(pipeName, bytes));
            }

            @Override
            public void messageRead(String pipeName, int bytes) {
                all.each("messageRead", pipeName, o -> o.messageRead(pipeName, bytes));
            }

            @Override
            public String toString() {
                return all.toString();
            }
        };
    }

    /**
     * @param pipeName the pipe connected to
     * @param result {@code connected}, {@code timeout}, {@code busy} or {@code failed}
     */
    default void connectAttempted(String pipeName, String result) {
    }

    /** @param pipeName the pipe the template tries again to connect to */
    default void connectRetried(String pipeName) {
    }

    /** @param pipeName the pipe @param bytes the size of a message the template wrote */
    default void messageWritten(String pipeName, int bytes) {
    }

    /** @param pipeName the pipe @param bytes the size of a message the template read */
    default void messageRead(String pipeName, int bytes) {
    }
}
