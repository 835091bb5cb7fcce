package io.winipc;

import java.util.Objects;

/**
 * How a named shared-memory region, mutex, event or semaphore is created or opened. Immutable.
 *
 * @param scope where the name lives; default {@link Scope#LOCAL}
 * @param access who besides the current user may open the object; default current user only
 * @param exclusive for {@code create} of a mutex, event or semaphore: fail with
 *     {@link ObjectExistsException} if the name is live instead of opening the live object
 *     (Windows' Create* functions open it, and so does winipc by default). Shared memory
 *     creation is always exclusive.
 */
public record NamedObjectOptions(Scope scope, AccessPolicy access, boolean exclusive) {
    private static final NamedObjectOptions DEFAULTS = new NamedObjectOptions(Scope.LOCAL, AccessPolicy.currentUserOnly(), false);

    /** Validates the components. */
    public NamedObjectOptions {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(access, "access");
    }

    /** @return LOCAL scope, current user only, create-or-open */
    public static NamedObjectOptions defaults() {
        return DEFAULTS;
    }

    /** @param value the scope @return a copy with this scope */
    public NamedObjectOptions withScope(Scope value) {
        return new NamedObjectOptions(value, access, exclusive);
    }

    /** @param value the access policy @return a copy with this policy */
    public NamedObjectOptions withAccess(AccessPolicy value) {
        return new NamedObjectOptions(scope, value, exclusive);
    }

    /** @param value whether create fails on a live name @return a copy with this setting */
    public NamedObjectOptions withExclusive(boolean value) {
        return new NamedObjectOptions(scope, access, value);
    }
}
