package io.winipc;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Validation and copying of the uids, gids, SIDs and account names that {@link AccessPolicy} and {@link TrustPolicy} name. */
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
        return append(existing, extra, "S-1(-\\d+)+", "not a SID in string form (S-1-...): ");
    }

    /** @return {@code existing} followed by {@code extra}, each a SID in string form or a two-letter SDDL alias */
    static List<String> appendSidsOrAliases(List<String> existing, String[] extra) {
        return append(existing, extra, "S-1(-\\d+)+|[A-Z]{2}", "not a SID in string form (S-1-...) nor an SDDL alias (AU, IU, BU, SY, BA...): ");
    }

    /** @return {@code existing} followed by {@code extra}, each a non-blank account name, SID or alias */
    static List<String> appendAccounts(List<String> existing, String[] extra) {
        return append(existing, extra, "(?s).*\\S.*", "an account name must not be blank: ");
    }

    private static List<String> append(List<String> existing, String[] extra, String pattern, String complaint) {
        String[] all = Arrays.copyOf(existing.toArray(new String[0]), existing.size() + extra.length);
        for (int i = 0; i < extra.length; i++) {
            String id = Objects.requireNonNull(extra[i], "account");
            if (!id.matches(pattern)) {
                throw new IllegalArgumentException(complaint + "'" + id + "'");
            }
            all[existing.size() + i] = id;
        }
        return List.of(all);
    }
}
