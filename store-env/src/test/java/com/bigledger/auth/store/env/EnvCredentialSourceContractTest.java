package com.bigledger.auth.store.env;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.CredentialSourceContract;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The contract, with values seeded as environment variables. */
class EnvCredentialSourceContractTest extends CredentialSourceContract {

    private final Map<String, String> environment = new HashMap<>();
    private EnvCredentialSource source;

    @Override
    protected CredentialSource source() {
        if (source == null) {
            source = EnvCredentialSource.builder().environment(environment).build();
        }
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        String variable = name.toUpperCase(Locale.ROOT);
        environment.put(variable, value.reveal());
        return CredentialRef.of(EnvCredentialSource.SCHEME, variable);
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(EnvCredentialSource.SCHEME, "CONTRACT_NOT_SET");
    }
}
