package com.bigledger.auth;

/** What a credential handle caches: the value and the reference of the chain it came from. Immutable. */
final class ResolvedCredential {
    final CredentialRef ref;
    final VersionedSecret value;
    final Secret secret;

    ResolvedCredential(CredentialRef ref, VersionedSecret value) {
        this.ref = ref;
        this.value = value;
        this.secret = value.secret();
    }

    /**
     * Tells whether {@code other} is the same credential: from the same reference, with the same version when both
     * have one, and the same secret.
     */
    boolean sameAs(ResolvedCredential other) {
        if (!ref.equals(other.ref)) {
            return false;
        }
        if (value.version().isPresent() && other.value.version().isPresent()) {
            return value.version().equals(other.value.version()) && secret.equals(other.secret);
        }
        return secret.equals(other.secret);
    }
}
