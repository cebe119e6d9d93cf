package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Allows at most one write per secret per interval: the first caller in an interval gets the slot, later ones get
 * a {@link WritePacedException} that says when the next slot opens. Holds no value. Thread-safe.
 */
final class WritePacer {

    private final Duration interval;
    private final Clock clock;
    private final ConcurrentMap<String, Instant> lastWrites = new ConcurrentHashMap<>();

    WritePacer(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Starts one write, which may make several requests (a retry after a concurrent create, another round of an
     * unconditional field write) but takes the secret's slot once.
     *
     * @param ref the reference written, for the message
     * @param secret the secret's identity (region and id)
     * @return the write's slot, taken on its first {@link Slot#take()}
     */
    Slot slot(CredentialRef ref, String secret) {
        return new Slot(ref, secret);
    }

    /**
     * Returns the minimum interval between two writes of one secret.
     *
     * @return the interval; zero when writes are not paced
     */
    Duration interval() {
        return interval;
    }

    private void acquire(CredentialRef ref, String secret) {
        if (interval.isZero()) {
            return;
        }
        Instant now = clock.instant();
        Instant[] refusedUntil = new Instant[1];
        lastWrites.compute(secret, (key, last) -> {
            if (last == null || !now.isBefore(last.plus(interval))) {
                return now;
            }
            refusedUntil[0] = last.plus(interval);
            return last;
        });
        if (refusedUntil[0] != null) {
            throw new WritePacedException(ref, refusedUntil[0], "not written: this source wrote the secret less than "
                    + interval + " ago (minWriteInterval; AWS advises at most about one PutSecretValue per secret"
                    + " every 10 minutes). Nothing was sent or kept; write the latest value again at or after "
                    + refusedUntil[0]);
        }
        // Forget secrets whose interval has passed, so that the map holds only recently written ones.
        lastWrites.values().removeIf(last -> !now.isBefore(last.plus(interval)));
    }

    /**
     * The pacing of one write: the secret's slot, taken before the first request that makes a version. Used by the
     * one thread that makes the write.
     */
    final class Slot {
        private final CredentialRef ref;
        private final String secret;
        private boolean taken;

        private Slot(CredentialRef ref, String secret) {
            this.ref = ref;
            this.secret = secret;
        }

        /**
         * Takes the slot if this write has not yet.
         *
         * @throws WritePacedException if the secret was written less than the interval ago
         */
        void take() {
            if (!taken) {
                acquire(ref, secret);
                taken = true;
            }
        }
    }
}
