package io.winipc;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Validation and copying of the uids, gids and SIDs that {@link AccessPolicy} and {@link TrustPolicy} name. */
final class AccountIds {
    private AccountIds() {
    }

    /** @return {@code existing} followed by {@code extra}, after checking that no id is negative */
    static int[] append(int[] existing, int[] extra, String what) {
        for (int id : extra) {
            if (id < 0) {
                throw new IllegalArgumentException(what + " must not be negative: " + id);
            }
        }
        int[] r = Arrays.copyOf(existing, existing.length + extra.length);
        System.arraycopy(extra, 0, r, existing.length, extra.length);
        return r;
    }

    /** @return {@code existing} followed by {@code extra}, after checking that each is a SID in string form */
    static List<String> appendSids(List<String> existing, String[] extra) {
        String[] all = Arrays.copyOf(existing.toArray(new String[0]), existing.size() + extra.length);
        for (int i = 0; i < extra.length; i++) {
            String sid = Objects.requireNonNull(extra[i], "sid");
            if (!sid.matches("S-1(-\\d+)+")) {
                throw new IllegalArgumentException("not a SID in string form (S-1-...): " + sid);
            }
            all[existing.size() + i] = sid;
        }
        return List.of(all);
    }
}
