package io.winipc.spring.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls observers in order, so that none of them can break the call it observes or keep the
 * others from hearing of it: an {@link Exception} an observer throws is logged at WARN with its
 * stack trace, at most once per observer per {@link #LOG_INTERVAL}, and otherwise ignored. An
 * {@link Error} is not caught. Thread-safe.
 *
 * @param <T> the observer interface
 */
public final class IsolatedObservers<T> {
    /** At most one WARN line per observer in this time; the next says how many were left out. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final String hook;
    private final List<T> observers;
    private final List<RateLimitedLog> logs;

    /**
     * @param hook the observer interface, which names the logger and starts each line
     * @param observers the observers to call, in this order
     */
    public IsolatedObservers(Class<T> hook, List<? extends T> observers) {
        this(hook, observers, System::nanoTime, LogFactory.getLog(hook)::warn);
    }

    IsolatedObservers(Class<T> hook, List<? extends T> observers, LongSupplier clock,
            BiConsumer<String, @Nullable Throwable> sink) {
        this.hook = hook.getSimpleName();
        this.observers = List.copyOf(observers);
        this.logs = this.observers.stream().map(o -> new RateLimitedLog(LOG_INTERVAL, clock, sink)).toList();
    }

    /**
     * Calls every observer, each even if one before it threw.
     *
     * @param event the observer method, for the log
     * @param subject what it is about (endpoint id, pipe or object name), for the log
     * @param call calls that method on one observer
     */
    public void each(String event, String subject, Consumer<? super T> call) {
        for (int i = 0; i < observers.size(); i++) {
            T observer = observers.get(i);
            try {
                call.accept(observer);
            } catch (Exception e) {
                logs.get(i).log(hook + " " + observer.getClass().getName() + " threw from " + event + " for '"
                        + subject + "'; ignored, what it observed went on as normal", e);
            }
        }
    }

    @Override
    public String toString() {
        return hook + ".composite" + observers;
    }
}
