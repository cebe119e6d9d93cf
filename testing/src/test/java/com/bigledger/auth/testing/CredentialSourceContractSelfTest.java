package com.bigledger.auth.testing;

import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the contract over a minimal versioned, writable store, so that the contract's write tests are themselves
 * exercised in this module (the stores that pass them live in other modules).
 */
class CredentialSourceContractSelfTest extends CredentialSourceContract {

    private final VersionedMapSource source = new VersionedMapSource();

    @Override
    protected CredentialSource source() {
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        CredentialRef ref = CredentialRef.of(VersionedMapSource.SCHEME, "contract/" + name);
        WriteResult created = source.write(ref, value, Optional.empty());
        if (!created.isWritten()) {
            throw new IllegalStateException("seeding " + ref + " failed: " + created);
        }
        return ref;
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(VersionedMapSource.SCHEME, "contract/nothing_here");
    }

    /** A map of paths to values with a version counter per path and compare-and-set writes. Thread-safe. */
    private static final class VersionedMapSource implements WritableCredentialSource {

        static final String SCHEME = "mem";

        private final Map<String, VersionedSecret> entries = new HashMap<>();

        @Override
        public String scheme() {
            return SCHEME;
        }

        @Override
        public synchronized VersionedSecret load(CredentialRef ref) {
            VersionedSecret entry = entries.get(ref.path());
            if (entry == null) {
                throw new CredentialNotFoundException(ref, "nothing is stored at " + ref.path());
            }
            Secret value = SecretFields.extract(ref, copy(entry.secret()));
            return VersionedSecret.of(value, entry.version().orElseThrow());
        }

        @Override
        public synchronized WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
            VersionedSecret current = entries.get(ref.path());
            Optional<String> currentVersion = current == null ? Optional.empty() : current.version();
            if (expectedVersion.isPresent() && !Objects.equals(expectedVersion, currentVersion)) {
                return WriteResult.conflict(currentVersion.orElse(null));
            }
            Secret stored = ref.field().isPresent()
                    ? SecretFields.merge(ref, Optional.ofNullable(current).map(VersionedSecret::secret), value)
                    : copy(value);
            String newVersion = String.valueOf(currentVersion.map(Integer::parseInt).orElse(0) + 1);
            entries.put(ref.path(), VersionedSecret.of(stored, newVersion));
            return WriteResult.written(newVersion);
        }

        @Override
        public String toString() {
            return "VersionedMapSource[scheme=" + SCHEME + ", entries=" + entries.size() + "]";
        }

        private static Secret copy(Secret secret) {
            byte[] bytes = secret.revealBytes();
            try {
                return Secret.ofBytes(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }
}
