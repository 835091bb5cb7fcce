package io.winipc;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Who, besides the current user, may use an object. The default, {@link #currentUserOnly()},
 * admits the current user alone: on Windows the object's security descriptor grants the current
 * user's SID only; on Linux files are created 0600 in a 0700 directory and a pipe server checks
 * every client's uid with {@code SO_PEERCRED} and drops any other.
 *
 * <p>Extra principals are admitted only where the caller names them: uids and gids count on
 * Linux, SIDs (as strings such as {@code S-1-5-32-545}) on Windows; each platform ignores the
 * other's. Other users can only reach objects whose {@link Scope} is {@link Scope#GLOBAL}.
 * Instances are immutable.
 *
 * <p>On Linux, the file of a shared-memory region, mutex, event or semaphore that admits one
 * extra group belongs to that group with mode {@code 0660}; extra uids, or more than one group,
 * are written into a POSIX access ACL (mode {@code 0660}, the group bits being the ACL's mask),
 * and creation fails with {@link UnsupportedOperationException} where {@code /dev/shm} has no
 * ACLs. Whoever opens an existing object checks that its file admits no uid or gid beyond its own
 * policy (and itself), so both sides pass the same policy; a creating process must be a member of
 * the group it names, unless it is root.
 */
public final class AccessPolicy {
    private static final AccessPolicy CURRENT_USER_ONLY = new AccessPolicy(new int[0], new int[0], List.of(), List.of());

    private final int[] uids;
    private final int[] gids;
    private final List<String> sids;
    private final List<String> accounts;

    private AccessPolicy(int[] uids, int[] gids, List<String> sids, List<String> accounts) {
        this.uids = uids;
        this.gids = gids;
        this.sids = sids;
        this.accounts = accounts;
    }

    /** @return the default policy: the current user, and nobody else */
    public static AccessPolicy currentUserOnly() {
        return CURRENT_USER_ONLY;
    }

    /**
     * @param extraUids Linux user ids admitted besides the current user
     * @return a copy of this policy that also admits these uids
     */
    public AccessPolicy allowingUids(int... extraUids) {
        return new AccessPolicy(AccountIds.append(uids, extraUids, "uid"), gids, sids, accounts);
    }

    /**
     * @param extraGids Linux group ids whose members are admitted besides the current user
     * @return a copy of this policy that also admits these groups
     */
    public AccessPolicy allowingGids(int... extraGids) {
        return new AccessPolicy(uids, AccountIds.append(gids, extraGids, "gid"), sids, accounts);
    }

    /**
     * @param extraSids Windows SIDs granted access besides the current user: in string form
     *     ({@code S-1-...}) or as an SDDL alias of a well-known SID, two capital letters such as
     *     {@code AU} (authenticated users), {@code IU} (interactive users), {@code BU} (BUILTIN&#92;Users),
     *     {@code SY} (LocalSystem) or {@code BA} (BUILTIN\Administrators)
     * @return a copy of this policy that also admits these SIDs
     */
    public AccessPolicy allowingSids(String... extraSids) {
        return new AccessPolicy(uids, gids, AccountIds.appendSidsOrAliases(sids, extraSids), accounts);
    }

    /**
     * Windows accounts by name, resolved to their SIDs with {@code LookupAccountName} each time an
     * object is created: <code>DOMAIN&#92;user</code>, <code>.&#92;user</code> (an account of this computer),
     * {@code user} or a group name; a SID ({@code S-1-...}) or an SDDL alias (see
     * {@link #allowingSids}) is taken as it is. An account Windows does not know fails the creation
     * with a {@link WinipcOsException} naming it. Linux ignores accounts, as it ignores SIDs.
     *
     * @param extraAccounts account names, SIDs or SDDL aliases granted access besides the current user
     * @return a copy of this policy that also admits these accounts
     */
    public AccessPolicy allowingAccounts(String... extraAccounts) {
        return new AccessPolicy(uids, gids, sids, AccountIds.appendAccounts(accounts, extraAccounts));
    }

    /** @return the extra Linux uids admitted, never null */
    public int[] extraUids() {
        return uids.clone();
    }

    /** @return the extra Linux gids admitted, never null */
    public int[] extraGids() {
        return gids.clone();
    }

    /** @return the extra Windows SIDs admitted, never null */
    public List<String> extraSids() {
        return sids;
    }

    /** @return the extra Windows accounts admitted by name (see {@link #allowingAccounts}), never null */
    public List<String> extraAccounts() {
        return accounts;
    }

    /** @return whether this policy admits nobody but the current user */
    public boolean isCurrentUserOnly() {
        return uids.length == 0 && gids.length == 0 && sids.isEmpty() && accounts.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessPolicy other && Arrays.equals(uids, other.uids)
                && Arrays.equals(gids, other.gids) && sids.equals(other.sids) && accounts.equals(other.accounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(uids), Arrays.hashCode(gids), sids, accounts);
    }

    @Override
    public String toString() {
        return isCurrentUserOnly() ? "AccessPolicy[current user only]"
                : "AccessPolicy[current user, uids=" + Arrays.toString(uids) + ", gids=" + Arrays.toString(gids)
                        + ", sids=" + sids + (accounts.isEmpty() ? "" : ", accounts=" + accounts) + "]";
    }
}
