package com.bigledger.auth;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every reference of a chain failed. The message lists each reference with its failure, like the AWS SDK's
 * credential chain; each failure is also attached as a suppressed exception.
 *
 * <p>Final: its constructor attaches the failures to itself, which a subclass would see half made.
 */
public final class CredentialChainException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    private final transient List<CredentialException> failures;

    /**
     * Creates an exception.
     *
     * @param chain every reference of the chain, in order
     * @param failures the failure of each reference tried, in chain order; not empty. Fewer than the chain's
     *     references when a failure other than a missing secret stopped it.
     */
    public CredentialChainException(List<CredentialRef> chain, List<CredentialException> failures) {
        super("No reference of the chain " + chain + " resolved"
                        + (failures.size() < chain.size() ? " (stopped at a failure that is not a missing secret)" : "")
                        + ": " + failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")), null,
                failures.stream().anyMatch(BigLedgerAuthException::retryable));
        this.failures = List.copyOf(failures);
        this.failures.forEach(this::addSuppressed);
    }

    /**
     * Returns the failure of each reference, in chain order.
     *
     * @return the failures
     */
    public List<CredentialException> failures() {
        return failures;
    }
}
