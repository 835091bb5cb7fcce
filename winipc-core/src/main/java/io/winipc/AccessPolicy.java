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
    private static final AccessPolicy CURRENT_USER_ONLY = new AccessPolicy(new int[0], new int[0], List.of());

    private final int[] uids;
    private final int[] gids;
    private final List<String> sids;

    private AccessPolicy(int[] uids, int[] gids, List<String> sids) {
        this.uids = uids;
        this.gids = gids;
        this.sids = sids;
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
        return new AccessPolicy(AccountIds.append(uids, extraUids, "uid"), gids, sids);
    }

    /**
     * @param extraGids Linux group ids whose members are admitted besides the current user
     * @return a copy of this policy that also admits these groups
     */
    public AccessPolicy allowingGids(int... extraGids) {
        return new AccessPolicy(uids, AccountIds.append(gids, extraGids, "gid"), sids);
    }

    /**
     * @param extraSids Windows SIDs in string form ({@code S-1-...}) granted access besides the current user
     * @return a copy of this policy that also admits these SIDs
     */
    public AccessPolicy allowingSids(String... extraSids) {
        return new AccessPolicy(uids, gids, AccountIds.appendSids(sids, extraSids));
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

    /** @return whether this policy admits nobody but the current user */
    public boolean isCurrentUserOnly() {
        return uids.length == 0 && gids.length == 0 && sids.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessPolicy other && Arrays.equals(uids, other.uids)
                && Arrays.equals(gids, other.gids) && sids.equals(other.sids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(uids), Arrays.hashCode(gids), sids);
    }

    @Override
    public String toString() {
        return isCurrentUserOnly() ? "AccessPolicy[current user only]"
                : "AccessPolicy[current user, uids=" + Arrays.toString(uids) + ", gids=" + Arrays.toString(gids)
                        + ", sids=" + sids + "]";
    }
}
