package com.bigledger.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * A secret as loaded from a store, with the store's version of it where the store keeps versions (the version id
 * in AWS Secrets Manager, the KV version 2 version in Vault). The version is what a compare-and-set write expects.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows the version, never the value.
 */
public final class VersionedSecret {

    private final Secret secret;
    private final String version;

    private VersionedSecret(Secret secret, String version) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.version = version;
    }

    /**
     * A secret with a version.
     *
     * @param secret the value
     * @param version the store's version identifier; not empty
     * @return the versioned secret
     */
    public static VersionedSecret of(Secret secret, String version) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(version, "version");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("version is empty");
        }
        return new VersionedSecret(secret, version);
    }

    /**
     * A secret from a store that keeps no versions, such as the environment.
     *
     * @param secret the value
     * @return the unversioned secret
     */
    public static VersionedSecret unversioned(Secret secret) {
        return new VersionedSecret(secret, null);
    }

    /**
     * Returns the value.
     *
     * @return the secret
     */
    public Secret secret() {
        return secret;
    }

    /**
     * Returns the store's version of the value.
     *
     * @return the version, or empty when the store keeps none
     */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VersionedSecret && secret.equals(((VersionedSecret) other).secret)
                && Objects.equals(version, ((VersionedSecret) other).version);
    }

    @Override
    public int hashCode() {
        return 31 * secret.hashCode() + Objects.hashCode(version);
    }

    @Override
    public String toString() {
        return "VersionedSecret[" + secret + (version == null ? "" : ", version=" + version) + "]";
    }
}
