package com.bigledger.auth.cli;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A versioned store of scheme {@code fake}, found by {@link java.util.ServiceLoader} on the test class path like any
 * store module, so that tests see how the commands show versions and store failures.
 *
 * <p>{@code fake:down} is unavailable, {@code fake:denied} refuses access, and any other path is looked up in
 * {@link #VALUES}, which tests fill.
 */
public final class FakeStoreProvider implements CredentialSourceProvider {

    static final String SCHEME = "fake";

    /** The secrets of the store by path, each with its version. */
    static final Map<String, VersionedSecret> VALUES = new ConcurrentHashMap<>();

    /** Called by {@link java.util.ServiceLoader}. */
    public FakeStoreProvider() {
    }

    static void put(String path, String value, String version) {
        VALUES.put(path, VersionedSecret.of(Secret.of(value), version));
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public CredentialSource create() {
        return new CredentialSource() {
            @Override
            public String scheme() {
                return SCHEME;
            }

            @Override
            public VersionedSecret load(CredentialRef ref) {
                switch (ref.path()) {
                    case "down":
                        throw new SourceUnavailableException(ref, "the fake store is down", null);
                    case "denied":
                        throw new CredentialException(Kind.ACCESS_DENIED, ref, "the fake store refused access", null);
                    default:
                        VersionedSecret found = VALUES.get(ref.path());
                        if (found == null) {
                            throw new CredentialNotFoundException(ref, "no such secret in the fake store");
                        }
                        return found;
                }
            }
        };
    }
}
