package io.winipc.spring.objects;

import io.winipc.spring.internal.IsolatedObservers;
import java.util.List;

/**
 * Hears about named objects, for metrics. Any number of beans may implement it: the
 * auto-configuration calls them all, in {@link org.springframework.core.annotation.Order @Order},
 * through {@link #composite(List)}.
 *
 * <p>An observer cannot break what it observes: when one called through {@link #composite(List)}
 * throws an exception, it is logged at WARN with the observer's class and the event (at most once
 * per observer every 10 seconds) and otherwise ignored; the observers after it are still called
 * and the call on the named object goes on as if it had not thrown. An {@link Error} is not caught.
 */
public interface NamedObjectObserver {

    /** Ignores everything. */
    NamedObjectObserver NONE = new NamedObjectObserver() {
    };

    /**
     * @param observers the observers to call, in this order
     * @return one observer that calls each of them in turn, keeping each one's exceptions from the
     *     others and from the caller; {@link #NONE} for none
     */
    static NamedObjectObserver composite(List<? extends NamedObjectObserver> observers) {
        if (observers.isEmpty()) {
            return NONE;
        }
        IsolatedObservers<NamedObjectObserver> all = new IsolatedObservers<>(NamedObjectObserver.class, observers);
        return new NamedObjectObserver() {
            @Override
            public void mutexAbandoned(String name) {
                all.each("mutexAbandoned", name, o -> o.mutexAbandoned(name));
            }

            @Override
            public String toString() {
                return all.toString();
            }
        };
    }

    /** @param name the configured name of a mutex whose previous owner died holding it */
    default void mutexAbandoned(String name) {
    }
}
