package com.bigledger.auth.cli;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.store.env.EnvCredentialSource;
import java.util.Map;

/** Builds the vault the commands resolve references through. */
final class Vaults {

    private Vaults() {
    }

    /**
     * Builds a vault with every store found on the class path, and an environment store over the given map in
     * place of the discovered one, so that {@code env:} references read the environment the command was given.
     *
     * @param environment the environment variables
     * @return a new vault, to be closed by the caller
     * @throws com.bigledger.auth.BigLedgerAuthException if the stores cannot be set up
     */
    static CredentialVault overEnvironment(Map<String, String> environment) {
        return CredentialVault.builder()
                .source(EnvCredentialSource.overEnvironment(environment))
                .build();
    }
}
