package com.bigledger.auth.bigledger;

import com.bigledger.auth.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * Offline checks of a BigLedger API key against the environment it is meant for.
 *
 * <p>A key of the wrong environment is refused by the API with a 401 that does not say why; checking the prefix
 * first turns that into a clear message at start-up. The checks read the key only through {@link Secret}'s
 * non-revealing methods, and their messages name the known prefix at most. Thread-safe.
 */
final class ApiKeys {

    private ApiKeys() {
    }

    /**
     * Checks that an API key can be used against an environment: not blank, starting with the environment's
     * prefix, with something after it.
     *
     * @param apiKey the key; never revealed
     * @param environment the environment the key will be used against
     * @return the first problem found, or empty when the key looks right; a key that passes may still be revoked
     *     or mistyped, which only the API can tell
     * @throws IllegalStateException if the secret was destroyed
     * @throws NullPointerException if an argument is {@code null}
     */
    static Optional<ConfigProblem> check(Secret apiKey, BigLedgerEnvironment environment) {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(environment, "environment");
        if (apiKey.isBlankOrHasWhitespace()) {
            return problem(ConfigProblem.Kind.API_KEY_BLANK, "the API key is empty or contains whitespace or "
                    + "control characters (a stray newline or space?)");
        }
        Optional<BigLedgerEnvironment> keyEnvironment = BigLedgerEnvironment.ofApiKey(apiKey);
        if (keyEnvironment.isEmpty()) {
            return problem(ConfigProblem.Kind.API_KEY_UNKNOWN_PREFIX, "the API key does not start with "
                    + environment.apiKeyPrefix() + " as " + environment.id() + " keys do");
        }
        BigLedgerEnvironment actual = keyEnvironment.get();
        if (actual != environment) {
            return problem(ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT, "the API key starts with "
                    + actual.apiKeyPrefix() + ", a " + actual.id() + " key, but the environment is "
                    + environment.id() + "; use a " + environment.apiKeyPrefix() + " key or the " + actual.id()
                    + " environment");
        }
        if (apiKey.knownPrefix().isEmpty()) {
            // Secret shows a prefix only when something follows it, so an empty answer here means a bare prefix.
            return problem(ConfigProblem.Kind.API_KEY_TRUNCATED, "the API key is " + environment.apiKeyPrefix()
                    + " alone, with nothing after the prefix");
        }
        return Optional.empty();
    }

    private static Optional<ConfigProblem> problem(ConfigProblem.Kind kind, String message) {
        return Optional.of(new ConfigProblem(kind, message));
    }
}
