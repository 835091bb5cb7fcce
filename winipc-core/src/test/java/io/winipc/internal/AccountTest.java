package io.winipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.TrustPolicy;
import io.winipc.WinipcAccessDeniedException;
import org.junit.jupiter.api.Test;

/** Which accounts each policy trusts; the cross-process proof is in ServerTrustTest and WindowsTrustTest. */
class AccountTest {
    private static final Account ME = Account.linux(1000, 1000, 1000);
    private static final Account ROOT = Account.linux(0, 0, 1000);
    private static final Account NOBODY = Account.linux(65534, 65534, 1000);
    private static final Account SYSTEM = new Account(-1, -1, "S-1-5-18", false, true);
    private static final Account STRANGER = new Account(-1, -1, "S-1-5-21-1-2-3-4242", false, false);

    @Test
    void theDefaultTrustsTheCurrentUserAndPrivilegedAccountsOnly() {
        TrustPolicy policy = TrustPolicy.currentUserOrSystem();
        assertThat(ME.isTrustedBy(policy)).isTrue();
        assertThat(ROOT.isTrustedBy(policy)).isTrue();
        assertThat(SYSTEM.isTrustedBy(policy)).isTrue();
        assertThat(NOBODY.isTrustedBy(policy)).isFalse();
        assertThat(STRANGER.isTrustedBy(policy)).isFalse();
    }

    @Test
    void currentUserOnlyDropsPrivilegedAccountsAndNamedAccountsOnlyDropsTheCurrentUser() {
        assertThat(ROOT.isTrustedBy(TrustPolicy.currentUserOnly())).isFalse();
        assertThat(SYSTEM.isTrustedBy(TrustPolicy.currentUserOnly())).isFalse();
        assertThat(ME.isTrustedBy(TrustPolicy.namedAccountsOnly())).isFalse();
        assertThat(STRANGER.isTrustedBy(TrustPolicy.namedAccountsOnly().allowingSids("S-1-5-21-1-2-3-4242")))
                .isTrue();
    }

    @Test
    void namedUidsGidsAndSidsAreTrustedOnTheirOwnPlatformOnly() {
        assertThat(NOBODY.isTrustedBy(TrustPolicy.currentUserOrSystem().allowingUids(65534))).isTrue();
        assertThat(NOBODY.isTrustedBy(TrustPolicy.currentUserOrSystem().allowingGids(65534))).isTrue();
        assertThat(NOBODY.isTrustedBy(TrustPolicy.currentUserOrSystem().allowingSids("S-1-5-21-1-2-3-4242"))).isFalse();
        assertThat(STRANGER.isTrustedBy(TrustPolicy.currentUserOrSystem().allowingUids(4242))).isFalse();
        assertThat(NOBODY.isTrustedBy(TrustPolicy.anyAccount())).isTrue();
    }

    @Test
    void aRefusalNamesTheAccountAndThePolicy() {
        assertThatThrownBy(() -> NOBODY.requireTrusted(TrustPolicy.currentUserOrSystem(), "the server of pipe 'svc'"))
                .isInstanceOf(WinipcAccessDeniedException.class)
                .hasMessage("the server of pipe 'svc' belongs to uid 65534 (gid 65534), which "
                        + "TrustPolicy[current user, privileged accounts] does not trust");
        assertThatThrownBy(() -> TrustPolicy.namedAccountsOnly().allowingSids("S-1-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SID");
        assertThatThrownBy(() -> TrustPolicy.namedAccountsOnly().allowingUids(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TrustPolicy.namedAccountsOnly()).hasToString("TrustPolicy[nobody]");
    }
}
