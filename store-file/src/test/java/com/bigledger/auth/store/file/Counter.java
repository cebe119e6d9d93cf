package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import java.util.Optional;

/** A counter kept in a vault entry, incremented with compare-and-set, retried on conflict. */
final class Counter {

    private Counter() {
    }

    /** Adds one; returns the number of conflicts met on the way. */
    static int increment(FileCredentialSource source, CredentialRef ref) {
        int conflicts = 0;
        while (true) {
            VersionedSecret current = source.load(ref);
            long next = Long.parseLong(current.secret().reveal()) + 1;
            if (source.write(ref, Secret.of(Long.toString(next)), current.version()).isWritten()) {
                return conflicts;
            }
            conflicts++;
        }
    }
}
