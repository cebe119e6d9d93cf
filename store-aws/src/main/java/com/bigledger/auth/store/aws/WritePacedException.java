package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.SourceUnavailableException;
import java.time.Instant;
import java.util.Objects;

/**
 * A write was refused, before any request to AWS, because this source wrote the same secret less than its
 * {@linkplain AwsSecretsManagerSource.Builder#minWriteInterval minimum write interval} ago. Nothing was written and
 * nothing is held: the caller keeps its value and writes again at or after {@link #notBefore()}.
 *
 * <p>Retryable, like any {@link SourceUnavailableException}: the token manager keeps a rotated refresh token in
 * memory and retries its write-back, and a newer token replaces an older one that was not written yet, so repeated
 * rotations inside the interval end up as one write of the latest token. Immutable.
 */
public final class WritePacedException extends SourceUnavailableException {

    private static final long serialVersionUID = 1L;

    private final Instant notBefore;

    /**
     * Creates an exception.
     *
     * @param ref the reference whose write was refused
     * @param notBefore when the next write to that secret is allowed
     * @param detail why, naming no secret value
     */
    public WritePacedException(CredentialRef ref, Instant notBefore, String detail) {
        super(ref, detail, null);
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    }

    /**
     * Returns when a write to the secret is allowed again.
     *
     * @return the instant, on the source's clock
     */
    public Instant notBefore() {
        return notBefore;
    }
}
