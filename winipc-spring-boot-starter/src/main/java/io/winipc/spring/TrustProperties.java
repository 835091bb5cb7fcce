package io.winipc.spring;

import io.winipc.TrustPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Accounts trusted besides the current user and the OS's privileged accounts (root; LocalSystem,
 * LocalService, NetworkService, Administrators), as properties: whom the {@code PipeTemplate}
 * accepts as the server ({@code winipc.client.server-trust.*}) and whose named object the starter
 * opens ({@code winipc.objects.owner-trust.*} and each object's {@code owner-trust.*}).
 *
 * <p>A named object's owner is a user, never a group: on Linux its {@code gids} count only for
 * pipes.
 */
public class TrustProperties {

    /** Trust any account: turns the owner check off. */
    private boolean anyAccount = false;

    /** Linux user ids trusted besides the current user and root. */
    private List<Integer> uids = new ArrayList<>();

    /**
     * Linux group ids whose members are trusted; for the server of a pipe only, as a named object's
     * owner is a user.
     */
    private List<Integer> gids = new ArrayList<>();

    /** Windows SIDs (S-1-...) trusted as the owner of a pipe or named object. */
    private List<String> sids = new ArrayList<>();

    public boolean isAnyAccount() {
        return anyAccount;
    }

    public void setAnyAccount(boolean anyAccount) {
        this.anyAccount = anyAccount;
    }

    public List<Integer> getUids() {
        return uids;
    }

    public void setUids(List<Integer> uids) {
        this.uids = uids;
    }

    public List<Integer> getGids() {
        return gids;
    }

    public void setGids(List<Integer> gids) {
        this.gids = gids;
    }

    public List<String> getSids() {
        return sids;
    }

    public void setSids(List<String> sids) {
        this.sids = sids;
    }

    /**
     * @return the policy these settings describe
     * @throws IllegalArgumentException for a malformed SID
     */
    public TrustPolicy toPolicy() {
        if (anyAccount) {
            return TrustPolicy.anyAccount();
        }
        return TrustPolicy.currentUserOrSystem()
                .allowingUids(uids.stream().mapToInt(Integer::intValue).toArray())
                .allowingGids(gids.stream().mapToInt(Integer::intValue).toArray())
                .allowingSids(sids.toArray(new String[0]));
    }
}
