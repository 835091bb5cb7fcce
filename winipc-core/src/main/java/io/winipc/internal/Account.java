package io.winipc.internal;

import io.winipc.TrustPolicy;
import io.winipc.WinipcAccessDeniedException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The account behind a server or an object, as the OS reports it: a uid and gid on Linux, an owner
 * SID on Windows. The backend that read it also says whether it is the current user and whether
 * it is one of the OS's privileged accounts, so that {@link #requireTrusted} stays OS-neutral.
 *
 * @param uid the Linux uid, or -1 on Windows
 * @param gid the Linux gid, or -1 on Windows
 * @param sid the Windows SID in string form, or null on Linux
 * @param currentUser whether this is the current user
 * @param privileged whether this is root (Linux) or LocalSystem, LocalService, NetworkService or
 *     the Administrators group (Windows)
 */
public record Account(int uid, int gid, @Nullable String sid, boolean currentUser, boolean privileged) {

    /** @return a Linux account */
    public static Account linux(int uid, int gid, int currentUid) {
        return new Account(uid, gid, null, uid == currentUid, uid == 0);
    }

    /** @return whether the policy trusts this account */
    public boolean isTrustedBy(TrustPolicy policy) {
        if (policy.trustsAnyAccount() || policy.trustsCurrentUser() && currentUser
                || policy.trustsPrivilegedAccounts() && privileged) {
            return true;
        }
        if (sid != null) {
            return policy.extraSids().stream().anyMatch(sid::equalsIgnoreCase);
        }
        return Arrays.stream(policy.extraUids()).anyMatch(u -> u == uid) || Arrays.stream(policy.extraGids()).anyMatch(g -> g == gid);
    }

    /**
     * @param what what was reached, for the message, such as {@code the server of pipe 'a/b'}
     * @throws WinipcAccessDeniedException naming this account and the policy if it is not trusted
     */
    public void requireTrusted(TrustPolicy policy, String what) {
        if (!isTrustedBy(policy)) {
            throw new WinipcAccessDeniedException(what + " belongs to " + this + ", which " + policy
                    + " does not trust", 0);
        }
    }

    /** @return the account as a person reads it: {@code uid 65534 (gid 65534)} or the SID */
    @Override
    public String toString() {
        String who = sid != null ? "SID " + sid : "uid " + uid + " (gid " + gid + ")";
        return currentUser ? who + " (the current user)" : privileged ? who + " (privileged)" : who;
    }
}
