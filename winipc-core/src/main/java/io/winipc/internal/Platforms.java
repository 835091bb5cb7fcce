package io.winipc.internal;

import io.winipc.WinipcException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the backend once, by operating system, or by the system property {@code winipc.platform}
 * ({@code linux} or {@code windows}) where set.
 */
public final class Platforms {
    /** The system property that overrides the backend choice. */
    public static final String PROPERTY = "winipc.platform";

    private Platforms() {
    }

    private static final class Holder {
        static final Object INSTANCE = load();
    }

    /**
     * Classes every blocking call goes through. A virtual thread that finds another loading a class
     * pins its carrier while it waits, so they are loaded while the backend starts, before any burst
     * of virtual threads arrives.
     */
    private static final String[] HOT_CLASSES = {
        "io.winipc.pipe.PipeConnection", "io.winipc.pipe.PipeServer", "io.winipc.pipe.PipeClient",
        "io.winipc.internal.Cleaners", "io.winipc.internal.Deadline", "io.winipc.internal.InterruptHook",
        "io.winipc.internal.VirtualThreads", "io.winipc.internal.Names", "io.winipc.internal.Offload",
        "io.winipc.internal.Offload$Pool",
        // A connect that finds every instance busy, or no server yet, meets these only then: in a burst
        // of virtual-thread clients, all at once.
        "io.winipc.internal.ConnectAttempt$Busy", "io.winipc.internal.ConnectAttempt$Absent",
        "io.winipc.internal.ConnectAttempt$Connected",
        // What a virtual thread parked in Offload.runOn waits with: the first burst of virtual threads
        // that sleep on winipc objects (channel receivers, say) would otherwise race to initialise it.
        "java.util.concurrent.CompletableFuture$Signaller",
    };

    /**
     * @return the backend for this process
     * @throws WinipcException if there is no backend for this OS
     */
    public static Platform get() {
        Object p = Holder.INSTANCE;
        if (p instanceof RuntimeException e) {
            throw new WinipcException(e.getMessage(), e);
        }
        return (Platform) p;
    }

    /** @return why no backend is available, or null if one is */
    public static @Nullable String unavailableReason() {
        return Holder.INSTANCE instanceof RuntimeException e ? e.getMessage() : null;
    }

    private static Object load() {
        String id = System.getProperty(PROPERTY);
        if (id == null || id.isBlank()) {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            id = os.startsWith("windows") ? "windows" : os.startsWith("linux") ? "linux" : os;
        }
        String className = switch (id.trim().toLowerCase(Locale.ROOT)) {
            case "linux" -> "io.winipc.internal.linux.LinuxPlatform";
            case "windows" -> "io.winipc.internal.windows.WindowsPlatform";
            default -> null;
        };
        if (className == null) {
            return new UnsupportedOperationException("winipc has no backend for '" + id
                    + "' (supported: windows, linux; override with -D" + PROPERTY + "=...)");
        }
        try {
            for (String hot : HOT_CLASSES) {
                Class.forName(hot, true, Platforms.class.getClassLoader());
            }
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new UnsupportedOperationException("winipc backend '" + id + "' could not start: " + cause, cause);
        }
    }
}
