package io.winipc.spring.objects;

/** Hears about named objects, for metrics. */
public interface NamedObjectObserver {

    /** Ignores everything. */
    NamedObjectObserver NONE = new NamedObjectObserver() {
    };

    /** @param name the configured name of a mutex whose previous owner died holding it */
    default void mutexAbandoned(String name) {
    }
}
