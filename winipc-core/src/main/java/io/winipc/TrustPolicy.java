package io.winipc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which accounts may be on the other side of a name winipc reaches without having created it:
 * the server behind a pipe a client connects to, and (on Windows) the creator of a mutex, event
 * or semaphore that a create-or-open call finds already there. Whatever holds a name first
 * receives the clients of that name; this policy is how a client refuses an impostor.
 *
 * <p>The default, {@link #currentUserOrSystem()}, trusts the current user and the operating
 * system's own privileged accounts: root on Linux; LocalSystem ({@code S-1-5-18}), LocalService
 * ({@code S-1-5-19}), NetworkService ({@code S-1-5-20}) and the Administrators group
 * ({@code S-1-5-32-544}) on Windows. A service running as one of those is the normal server of a
 * GLOBAL name, and such an account needs no squatting to do harm. Other accounts are trusted only
 * when named: uids and gids count on Linux, SIDs on Windows; each platform ignores the other's.
 * {@link #anyAccount()} turns the check off, explicitly.
 *
 * <p>What is compared: on Linux the server's uid and gid from {@code SO_PEERCRED}; on Windows the
 * owner SID of the pipe instance or object, read from the handle winipc holds. Instances are
 * immutable.
 */
public final class TrustPolicy {
    private static final TrustPolicy DEFAULT = new TrustPolicy(false, true, true, new int[0], new int[0], List.of());
    private static final TrustPolicy CURRENT_USER = new TrustPolicy(false, true, false, new int[0], new int[0], List.of());
    private static final TrustPolicy NAMED_ONLY = new TrustPolicy(false, false, false, new int[0], new int[0], List.of());
    private static final TrustPolicy ANY = new TrustPolicy(true, true, true, new int[0], new int[0], List.of());

    private final boolean anyAccount;
    private final boolean currentUser;
    private final boolean privilegedAccounts;
    private final int[] uids;
    private final int[] gids;
    private final List<String> sids;

    private TrustPolicy(boolean anyAccount, boolean currentUser, boolean privilegedAccounts, int[] uids, int[] gids,
            List<String> sids) {
        this.anyAccount = anyAccount;
        this.currentUser = currentUser;
        this.privilegedAccounts = privilegedAccounts;
        this.uids = uids;
        this.gids = gids;
        this.sids = sids;
    }

    /** @return the default: the current user and the OS's privileged accounts */
    public static TrustPolicy currentUserOrSystem() {
        return DEFAULT;
    }

    /** @return the current user alone; not even root or LocalSystem */
    public static TrustPolicy currentUserOnly() {
        return CURRENT_USER;
    }

    /**
     * @return a policy that trusts only the accounts then added with {@code allowing...}; not even
     *     the current user
     */
    public static TrustPolicy namedAccountsOnly() {
        return NAMED_ONLY;
    }

    /**
     * Turns the check off: any account may be the server or the creator. Use it only where the
     * name cannot be held by someone else, or where the protocol authenticates the peer itself.
     *
     * @return the policy that trusts every account
     */
    public static TrustPolicy anyAccount() {
        return ANY;
    }

    /**
     * @param extraUids Linux user ids trusted besides what this policy trusts already
     * @return a copy that also trusts these uids
     */
    public TrustPolicy allowingUids(int... extraUids) {
        return new TrustPolicy(anyAccount, currentUser, privilegedAccounts, AccountIds.append(uids, extraUids, "uid"), gids, sids);
    }

    /**
     * @param extraGids Linux group ids: a server whose group ({@code SO_PEERCRED}'s gid) is one of
     *     these is trusted
     * @return a copy that also trusts these gids
     */
    public TrustPolicy allowingGids(int... extraGids) {
        return new TrustPolicy(anyAccount, currentUser, privilegedAccounts, uids, AccountIds.append(gids, extraGids, "gid"), sids);
    }

    /**
     * @param extraSids Windows SIDs in string form ({@code S-1-...}) trusted as owners
     * @return a copy that also trusts these SIDs
     */
    public TrustPolicy allowingSids(String... extraSids) {
        return new TrustPolicy(anyAccount, currentUser, privilegedAccounts, uids, gids, AccountIds.appendSids(sids, extraSids));
    }

    /** @return whether every account is trusted (the check is off) */
    public boolean trustsAnyAccount() {
        return anyAccount;
    }

    /** @return whether the current user is trusted */
    public boolean trustsCurrentUser() {
        return currentUser;
    }

    /** @return whether root (Linux) and LocalSystem, LocalService, NetworkService, Administrators (Windows) are trusted */
    public boolean trustsPrivilegedAccounts() {
        return privilegedAccounts;
    }

    /** @return the extra Linux uids trusted, never null */
    public int[] extraUids() {
        return uids.clone();
    }

    /** @return the extra Linux gids trusted, never null */
    public int[] extraGids() {
        return gids.clone();
    }

    /** @return the extra Windows SIDs trusted, never null */
    public List<String> extraSids() {
        return sids;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustPolicy other && anyAccount == other.anyAccount && currentUser == other.currentUser
                && privilegedAccounts == other.privilegedAccounts && Arrays.equals(uids, other.uids)
                && Arrays.equals(gids, other.gids) && sids.equals(other.sids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(anyAccount, currentUser, privilegedAccounts, Arrays.hashCode(uids), Arrays.hashCode(gids), sids);
    }

    /** @return the policy as a person reads it, for example {@code TrustPolicy[current user, privileged accounts]} */
    @Override
    public String toString() {
        if (anyAccount) {
            return "TrustPolicy[any account]";
        }
        List<String> parts = new ArrayList<>();
        if (currentUser) {
            parts.add("current user");
        }
        if (privilegedAccounts) {
            parts.add("privileged accounts");
        }
        if (uids.length > 0) {
            parts.add("uids=" + Arrays.toString(uids));
        }
        if (gids.length > 0) {
            parts.add("gids=" + Arrays.toString(gids));
        }
        if (!sids.isEmpty()) {
            parts.add("sids=" + sids);
        }
        return "TrustPolicy[" + (parts.isEmpty() ? "nobody" : String.join(", ", parts)) + "]";
    }
}
