package io.winipc.spring;

import io.winipc.AccessPolicy;
import java.util.List;

/**
 * The access entries the starter accepts, in {@code winipc.access.allow}, in
 * {@code winipc.pipe.endpoints.<id>.allow}, in each named object's {@code allow} and in
 * {@link PipeEndpoint#allow()}: who besides the current user may use a pipe or an object.
 *
 * <ul>
 *   <li>{@code uid:1001}: a Linux user id; {@code gid:1001}: a Linux group id (its members);
 *   <li>{@code S-1-5-...}, an SDDL alias such as {@code AU}, {@code IU}, {@code BU}, {@code SY},
 *       {@code BA}, or a Windows account name (<code>DOMAIN&#92;user</code>, <code>.&#92;user</code>): a Windows
 *       account, resolved when the pipe or object is created;
 *   <li>{@code current-user}: nobody else (writes an explicit "no extra account", for example to
 *       narrow one object below {@code winipc.access.allow}).
 * </ul>
 * Linux ignores Windows accounts and Windows ignores uids and gids, so one list can serve both.
 */
public final class AccessEntries {
    private static final String CURRENT_USER = "current-user";

    private AccessEntries() {
    }

    /**
     * @param entries the entries, placeholders already resolved
     * @param where names the setting in error messages, such as {@code winipc.access.allow}
     * @return the policy they describe
     * @throws IllegalArgumentException naming the setting and the entry that is not valid
     */
    public static AccessPolicy toPolicy(List<String> entries, String where) {
        AccessPolicy policy = AccessPolicy.currentUserOnly();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim();
            try {
                if (entry.startsWith("uid:")) {
                    policy = policy.allowingUids(Integer.parseInt(entry.substring(4).trim()));
                } else if (entry.startsWith("gid:")) {
                    policy = policy.allowingGids(Integer.parseInt(entry.substring(4).trim()));
                } else if (!entry.equals(CURRENT_USER)) {
                    policy = policy.allowingAccounts(entry);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": '" + raw + "' is not an access entry (uid:<n>, gid:<n>, a"
                        + " Windows SID, SDDL alias or account name, or current-user): " + e.getMessage(), e);
            }
        }
        return policy;
    }
}
