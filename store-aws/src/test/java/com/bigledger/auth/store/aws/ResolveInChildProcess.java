package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.VersionedSecret;

/**
 * Run in a child JVM by {@code SecretsManagerIT}: resolves one reference through a vault that finds its sources
 * with {@link java.util.ServiceLoader}, configured by the environment alone, and prints the version id, never the
 * value.
 */
final class ResolveInChildProcess {

    private ResolveInChildProcess() {
    }

    public static void main(String[] args) {
        try (CredentialVault vault = CredentialVault.builder().build()) {
            VersionedSecret secret = vault.resolve(CredentialRef.parse(args[0]));
            System.out.println("version=" + secret.version().orElse("none"));
        }
    }
}
