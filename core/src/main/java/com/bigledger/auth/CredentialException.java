package com.bigledger.auth;

import java.util.Objects;

/**
 * A failure to load or write the secret at one {@link CredentialRef}. Its {@link #kind()} says what went wrong, and so
 * what a caller can do about it; only {@link Kind#UNAVAILABLE} is {@linkplain #retryable() retryable}.
 *
 * <p>The two kinds callers most often catch have subclasses of their own, and are always thrown as them:
 * {@link Kind#NOT_FOUND} as {@link CredentialNotFoundException} and {@link Kind#UNAVAILABLE} as
 * {@link SourceUnavailableException}, so that {@code catch} of either sees every such failure. The other kinds are
 * thrown as this class, or as a store's own subclass such as the secrets file's.
 *
 * <p>The message starts with the reference, which is not secret, and never quotes the value.
 */
public class CredentialException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /** What went wrong with a reference, by what it tells the caller to do. */
    public enum Kind {
        /**
         * The store answered, and holds no secret (or no such field, or no such version) at the reference. Store the
         * secret, or fix the reference's name; a chain of references passes to the next. Always a
         * {@link CredentialNotFoundException}.
         */
        NOT_FOUND,
        /**
         * The store could not be asked, did not answer, or answered with a temporary failure: it is down, slow,
         * throttling or unreachable, or a write kept meeting other writers' changes. Try again later; the vault keeps
         * serving the last good value while this lasts. The only retryable kind. Always a
         * {@link SourceUnavailableException}.
         */
        UNAVAILABLE,
        /**
         * The store refused the credentials it was asked with: the caller's identity lacks a permission, a key
         * needed to decrypt is not usable, or the store rejected the credentials themselves. Grant the permission or
         * give the right credentials; the message names the permission or key involved.
         */
        ACCESS_DENIED,
        /**
         * The value exists but cannot be used as asked: it is malformed or of the wrong shape, such as a value that is
         * not a JSON object when a {@code #field} is asked, or a token record that does not decode. Store a usable
         * value; the message says what is wrong, never the value.
         */
        INVALID,
        /**
         * The reference or the store is set up wrong: a setting the store needs is missing or unusable (the
         * secrets file's passphrase, a region), the store cannot do what the reference asks (a write to a read-only
         * store or to a pinned version), or no store is registered for the reference's scheme. Fix the
         * configuration or the reference; the same call fails the same way until then. The message names the
         * setting, never its value.
         */
        CONFIGURATION
    }

    private final transient CredentialRef ref;
    private final Kind kind;

    /**
     * Creates an exception of a kind; {@link #retryable()} follows it (only {@link Kind#UNAVAILABLE} is retryable).
     * This is how a store reports a refusal, an unusable value or a configuration problem, and how a store's own
     * subclass is made. A missing secret and an unavailable store are thrown as {@link CredentialNotFoundException}
     * and {@link SourceUnavailableException}, which pass their kind here; this constructor refuses those two kinds
     * for any other class.
     *
     * @param kind what went wrong
     * @param ref the reference involved
     * @param detail what failed, naming no secret value
     * @param cause the underlying failure, or {@code null}; its message must not hold a secret either
     * @throws NullPointerException if {@code kind}, {@code ref} or {@code detail} is {@code null}
     * @throws IllegalArgumentException if {@code kind} is {@link Kind#NOT_FOUND} and this is not a
     *     {@link CredentialNotFoundException}, or {@link Kind#UNAVAILABLE} and this is not a
     *     {@link SourceUnavailableException}
     */
    public CredentialException(Kind kind, CredentialRef ref, String detail, Throwable cause) {
        super(Objects.requireNonNull(ref, "ref") + ": " + Objects.requireNonNull(detail, "detail"), cause,
                Objects.requireNonNull(kind, "kind") == Kind.UNAVAILABLE);
        if (kind == Kind.NOT_FOUND && !(this instanceof CredentialNotFoundException)) {
            throw new IllegalArgumentException("A missing secret is thrown as a CredentialNotFoundException");
        }
        if (kind == Kind.UNAVAILABLE && !(this instanceof SourceUnavailableException)) {
            throw new IllegalArgumentException("An unavailable store is thrown as a SourceUnavailableException");
        }
        this.ref = ref;
        this.kind = kind;
    }

    /**
     * Returns the reference involved.
     *
     * @return the reference
     */
    public CredentialRef ref() {
        return ref;
    }

    /**
     * Returns what went wrong, and so what the caller can do about it.
     *
     * @return the kind; {@link Kind#UNAVAILABLE} exactly when {@link #retryable()}
     */
    public Kind kind() {
        return kind;
    }
}
