package io.winipc.internal;

/** How a backend is asked to obtain a named object. */
public enum OpenMode {
    /** Open the live object of that name, or create it (Windows' Create* semantics). */
    CREATE_OR_OPEN,
    /** Create it; fail with ObjectExistsException if the name is live. */
    CREATE_EXCLUSIVE,
    /** Open it; fail with ObjectNotFoundException if the name is not live. */
    OPEN_EXISTING
}
