package io.winipc.spring.client;

import java.util.List;

/**
 * Hears what a {@link PipeTemplate} does, for metrics. Every method has an empty default.
 * Any number of beans may implement it: the auto-configuration calls them all, in
 * {@link org.springframework.core.annotation.Order @Order}, through {@link #composite(List)}.
 */
public interface PipeClientObserver {

    /** Ignores everything. */
    PipeClientObserver NONE = new PipeClientObserver() {
    };

    /**
     * @param observers the observers to call, in this order
     * @return one observer that calls each of them; {@link #NONE} for none, the observer itself for one
     */
    static PipeClientObserver composite(List<? extends PipeClientObserver> observers) {
        List<PipeClientObserver> all = List.copyOf(observers);
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new PipeClientObserver() {
            @Override
            public void connectAttempted(String pipeName, String result) {
                all.forEach(o -> o.connectAttempted(pipeName, result));
            }

            @Override
            public void connectRetried(String pipeName) {
                all.forEach(o -> o.connectRetried(pipeName));
            }

            @Override
            public void messageWritten(String pipeName, int bytes) {
                all.forEach(o -> o.messageWritten(pipeName, bytes));
            }

            @Override
            public void messageRead(String pipeName, int bytes) {
                all.forEach(o -> o.messageRead(pipeName, bytes));
            }

            @Override
            public String toString() {
                return "PipeClientObserver.composite" + all;
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
