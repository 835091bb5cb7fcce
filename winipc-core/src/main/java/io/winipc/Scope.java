package io.winipc;

/**
 * Where a name lives.
 *
 * <p>On Windows LOCAL names are in the session's {@code Local\} namespace and GLOBAL names in
 * {@code Global\} (creating GLOBAL objects from a non-service process may need
 * {@code SeCreateGlobalPrivilege}). On Linux LOCAL names live in a directory private to the
 * current user and GLOBAL names in a system-wide directory; the README documents both.
 */
public enum Scope {
    /** Visible to the current user's processes only; the default. */
    LOCAL,
    /** Visible machine-wide, so that other users' processes can reach the object if its access policy admits them. */
    GLOBAL
}
