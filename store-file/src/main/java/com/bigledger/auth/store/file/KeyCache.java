package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The secrets file's keys, derived from the master key once per key derivation (the file's salt and parameters) and
 * kept until {@link #destroy()}: only the first read of a passphrase-protected file pays for Argon2id.
 *
 * <p>Thread-safe: derivation runs under the cache's lock, so that threads opening the file together wait for one
 * derivation rather than each running Argon2id. A replaced entry (the file was made again with a new salt) is not
 * wiped, since another thread may still use it.
 */
final class KeyCache {

    /** Makes a master key for a key derivation; the array returned is wiped by the cache. */
    @FunctionalInterface
    interface MasterKeys {
        byte[] masterKey(CredentialRef ref, SecretsFileFormat.Kdf kdf);
    }

    private final MasterKeys masterKeys;
    private final Object lock = new Object();
    private byte[] cachedKdf;
    private SecretsFileKeys cachedKeys;
    private final AtomicLong derivations = new AtomicLong();

    KeyCache(MasterKeys masterKeys) {
        this.masterKeys = masterKeys;
    }

    /** The keys for a key derivation, derived if not cached. */
    SecretsFileKeys keys(CredentialRef ref, SecretsFileFormat.Kdf kdf) {
        byte[] encoded = kdf.encoded();
        synchronized (lock) {
            if (cachedKeys != null && Arrays.equals(cachedKdf, encoded)) {
                return cachedKeys;
            }
            byte[] raw = masterKeys.masterKey(ref, kdf);
            try {
                SecretsFileKeys keys = SecretsFileKeys.of(raw);
                derivations.incrementAndGet();
                // A replaced entry (the file was made again with a new salt) is not wiped: another thread may use it.
                cachedKdf = encoded;
                cachedKeys = keys;
                return keys;
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    /** Forgets the keys of a key derivation that turned out to be wrong, so that the next use derives again. */
    void forget(SecretsFileFormat.Kdf kdf) {
        synchronized (lock) {
            if (Arrays.equals(cachedKdf, kdf.encoded())) {
                cachedKdf = null;
                cachedKeys = null;
            }
        }
    }

    /** Wipes and forgets the cached keys. */
    void destroy() {
        synchronized (lock) {
            if (cachedKeys != null) {
                cachedKeys.destroy();
            }
            cachedKeys = null;
            cachedKdf = null;
        }
    }

    /** How many times keys were derived; for tests of the cache. */
    long derivations() {
        return derivations.get();
    }

    /** The keys now cached, if any; for tests that they are wiped. */
    Optional<SecretsFileKeys> cached() {
        synchronized (lock) {
            return Optional.ofNullable(cachedKeys);
        }
    }
}
