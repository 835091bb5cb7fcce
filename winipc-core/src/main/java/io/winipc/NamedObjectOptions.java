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
 * @param ownerTrust whose object a call that finds the name live may use: every {@code open}, and a
 *     {@code create} that finds the name live (compared on Windows by the object's owner SID, on
 *     Linux by the object file owner's uid; the file's group does not count). One whose
 *     owner this policy does not trust is refused with {@link WinipcAccessDeniedException};
 *     default {@link TrustPolicy#currentUserOrSystem()} (the current user, or root / the Windows
 *     system accounts). On Windows an open reads the owner with {@code READ_CONTROL}, so a creator
 *     of another account must grant it (winipc's own objects do); {@link TrustPolicy#anyAccount()}
 *     skips the check and does not ask for it.
 */
public record NamedObjectOptions(Scope scope, AccessPolicy access, boolean exclusive, TrustPolicy ownerTrust) {
    private static final NamedObjectOptions DEFAULTS = new NamedObjectOptions(Scope.LOCAL, AccessPolicy.currentUserOnly(), false);

    /** Validates the components. */
    public NamedObjectOptions {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(ownerTrust, "ownerTrust");
    }

    /**
     * The options with the default owner trust.
     *
     * @param scope where the name lives
     * @param access who besides the current user may open the object
     * @param exclusive whether create fails on a live name
     */
    public NamedObjectOptions(Scope scope, AccessPolicy access, boolean exclusive) {
        this(scope, access, exclusive, TrustPolicy.currentUserOrSystem());
    }

    /** @return LOCAL scope, current user only, create-or-open, the default owner trust */
    public static NamedObjectOptions defaults() {
        return DEFAULTS;
    }

    /** @param value the scope @return a copy with this scope */
    public NamedObjectOptions withScope(Scope value) {
        return new NamedObjectOptions(value, access, exclusive, ownerTrust);
    }

    /** @param value the access policy @return a copy with this policy */
    public NamedObjectOptions withAccess(AccessPolicy value) {
        return new NamedObjectOptions(scope, value, exclusive, ownerTrust);
    }

    /** @param value whether create fails on a live name @return a copy with this setting */
    public NamedObjectOptions withExclusive(boolean value) {
        return new NamedObjectOptions(scope, access, value, ownerTrust);
    }

    /** @param value whose live object an open or create-or-open may use @return a copy with this policy */
    public NamedObjectOptions withOwnerTrust(TrustPolicy value) {
        return new NamedObjectOptions(scope, access, exclusive, value);
    }
}
