package io.winipc.internal;

import java.lang.ref.Cleaner;

/** The one Cleaner that closes native resources users forgot to close. */
public final class Cleaners {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "winipc-cleaner");
        t.setDaemon(true);
        return t;
    });

    private Cleaners() {
    }

    /**
     * @param owner the public object whose unreachability triggers the action
     * @param action closes the native resource; must not refer to {@code owner}
     * @return the registration, to run the action early on an explicit close
     */
    public static Cleaner.Cleanable register(Object owner, Runnable action) {
        return CLEANER.register(owner, action);
    }
}
