package io.winipc.spring.objects;

import java.util.List;

/**
 * Hears about named objects, for metrics. Any number of beans may implement it: the
 * auto-configuration calls them all, in {@link org.springframework.core.annotation.Order @Order},
 * through {@link #composite(List)}.
 */
public interface NamedObjectObserver {

    /** Ignores everything. */
    NamedObjectObserver NONE = new NamedObjectObserver() {
    };

    /**
     * @param observers the observers to call, in this order
     * @return one observer that calls each of them; {@link #NONE} for none, the observer itself for one
     */
    static NamedObjectObserver composite(List<? extends NamedObjectObserver> observers) {
        List<NamedObjectObserver> all = List.copyOf(observers);
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new NamedObjectObserver() {
            @Override
            public void mutexAbandoned(String name) {
                all.forEach(o -> o.mutexAbandoned(name));
            }

            @Override
            public String toString() {
                return "NamedObjectObserver.composite" + all;
            }
        };
    }

    /** @param name the configured name of a mutex whose previous owner died holding it */
    default void mutexAbandoned(String name) {
    }
}
