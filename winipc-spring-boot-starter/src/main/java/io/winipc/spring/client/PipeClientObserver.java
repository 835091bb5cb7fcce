package io.winipc.spring.client;

/**
 * Hears what a {@link PipeTemplate} does, for metrics. Every method has an empty default.
 */
public interface PipeClientObserver {

    /** Ignores everything. */
    PipeClientObserver NONE = new PipeClientObserver() {
    };

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
