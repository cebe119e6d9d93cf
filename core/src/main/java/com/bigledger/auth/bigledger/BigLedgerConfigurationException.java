package com.bigledger.auth.bigledger;

import com.bigledger.auth.BigLedgerAuthException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A BigLedger configuration cannot be used: a setting is missing or given twice, the API key belongs to the other
 * environment or has an unknown prefix, the company id is malformed.
 *
 * <p>Thrown when a {@link BigLedgerAuth} is built, so that a mistake shows at start-up rather than as a 401 later,
 * and when a rotated API key turns out to be unusable. Every problem found is reported at once, each naming the
 * setting, the key prefix and the environment at most, never a character of a key. Not retryable: the
 * configuration has to change. Immutable and thread-safe.
 */
public class BigLedgerConfigurationException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /** The problems, each one line; a list of records is not serializable, so it is transient. */
    private final transient List<ConfigProblem> problems;

    /**
     * Creates an exception.
     *
     * @param problems the problems found, at least one; their messages hold no secret
     * @throws NullPointerException if {@code problems} or an element is {@code null}
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public BigLedgerConfigurationException(List<ConfigProblem> problems) {
        super(message(problems), null, false);
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns every problem found.
     *
     * @return the problems, at least one; unmodifiable
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        Objects.requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("A configuration exception needs at least one problem");
        }
        return "The BigLedger configuration is unusable: " + problems.stream().map(ConfigProblem::message)
                .collect(Collectors.joining("; "));
    }
}
