package io.winipc.sync;

/** How an {@link Event} returns to the non-signalled state. */
public enum EventResetMode {
    /** Stays signalled, releasing every waiter, until {@link Event#reset()} is called. */
    MANUAL,
    /** Releases exactly one waiter per signal and resets itself as it does so. */
    AUTO
}
