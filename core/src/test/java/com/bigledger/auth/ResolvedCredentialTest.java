package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import org.junit.jupiter.api.Test;

/** When a reload of a credential handle counts as a change that its listeners hear of. */
class ResolvedCredentialTest {

    private static final CredentialRef REF = CredentialRef.parse("env:APP_KEY");
    private final String value = Canary.value("test_");
    private final String other = Canary.value("test_");

    @Test
    void theSameSecretFromTheSameReferenceIsNoChange() {
        assertThat(resolved(REF, value, null).sameAs(resolved(REF, value, null))).isTrue();
    }

    @Test
    void anotherSecretIsAChange() {
        assertThat(resolved(REF, value, null).sameAs(resolved(REF, other, null))).isFalse();
    }

    @Test
    void theSameSecretFromAnotherReferenceOfTheChainIsAChange() {
        CredentialRef fallback = CredentialRef.parse("env:APP_KEY_FALLBACK");

        assertThat(resolved(REF, value, null).sameAs(resolved(fallback, value, null))).isFalse();
    }

    @Test
    void aNewVersionIsAChangeEvenWithTheSameSecretButAMissingVersionIsNot() {
        assertThat(resolved(REF, value, "1").sameAs(resolved(REF, value, "2"))).isFalse();
        assertThat(resolved(REF, value, "1").sameAs(resolved(REF, value, "1"))).isTrue();
        assertThat(resolved(REF, value, "1").sameAs(resolved(REF, value, null))).isTrue();
    }

    private static ResolvedCredential resolved(CredentialRef ref, String secret, String version) {
        Secret s = Secret.of(secret);
        return new ResolvedCredential(ref, version == null ? VersionedSecret.unversioned(s) : VersionedSecret.of(s,
                version));
    }
}
