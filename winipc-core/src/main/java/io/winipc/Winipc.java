package io.winipc;

import io.winipc.internal.Platforms;
import java.util.Optional;

/**
 * Where a process asks whether winipc works here, and on which backend.
 *
 * <p>The backend is chosen once per process by operating system ({@code windows} or {@code linux}),
 * or by the system property {@value #BACKEND_PROPERTY} where it is set. Nothing else in the API
 * needs this class: a pipe, region or sync object fails with a {@link WinipcException} carrying the
 * same reason when no backend is available. It exists for callers that want to decide up front,
 * such as a health check or an auto-configuration that backs off on an unsupported OS.
 */
public final class Winipc {
    /** The system property that overrides the backend choice: {@code linux} or {@code windows}. */
    public static final String BACKEND_PROPERTY = Platforms.PROPERTY;

    private Winipc() {
    }

    /**
     * Starts the backend if that has not happened yet (it loads its native bindings once).
     *
     * @return whether this process has a working backend
     */
    public static boolean isSupported() {
        return Platforms.unavailableReason() == null;
    }

    /** @return why this process has no working backend, or empty if it has one */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Platforms.unavailableReason());
    }

    /**
     * @return the backend's id, {@code windows} or {@code linux}
     * @throws WinipcException if this process has no working backend, with the reason
     */
    public static String backend() {
        return Platforms.get().id();
    }
}
