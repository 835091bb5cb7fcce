package io.winipc.spring.objects;

/** How a named object configured under {@code winipc.*} is obtained at start-up. */
public enum OpenPolicy {
    /** Create the object, or open it if another process already did; the default. */
    CREATE_OR_OPEN,
    /** Create the object; fail if the name is live. */
    CREATE,
    /** Open an object another process created; fail if the name is not live. */
    OPEN
}
