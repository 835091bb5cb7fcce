package io.winipc.internal;

import io.winipc.ObjectNames;

/**
 * The backends' entry point to name validation; the rules themselves are {@link ObjectNames}'s,
 * so that the public API and the backends apply one validator.
 */
public final class Names {
    /** The longest name accepted, in characters. */
    public static final int MAX_LENGTH = ObjectNames.MAX_LENGTH;

    private Names() {
    }

    /**
     * @param name the name to check
     * @return the name, unchanged
     * @throws IllegalArgumentException if {@link ObjectNames#validate(String)} refuses it
     */
    public static String validate(String name) {
        return ObjectNames.validate(name);
    }
}
