package com.bigledger.auth.bigledger;

import com.bigledger.auth.Secret;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * An environment of the BigLedger API: production or the sandbox, each with its base URL and the prefix of its
 * API keys.
 *
 * <p>A key of one environment is refused by the other, so a client checks the prefix of its key against the
 * environment before the first request ({@link BigLedgerSettings} reports a mismatch) rather than learn of the
 * mix-up from a 401.
 *
 * <p>Both environments use the one authorization server the BigLedger authentication document names,
 * {@code https://auth.bigledger.com} ({@code /oauth/authorize} and {@code /oauth/token}). The document names no
 * separate sandbox authorization server, and this library never sends client secrets or refresh tokens to a host
 * the document does not name; a deployment that has another authorization server sets it with
 * {@link BigLedgerOAuth.Builder#authorizationServer}, and a private deployment of the API sets its base URL with
 * {@link BigLedgerAuth.Builder#baseUrl}. Immutable and thread-safe.
 */
public enum BigLedgerEnvironment {

    /** The live API, {@code https://api.bigledger.com/v1}; keys start with {@code blg_live_sk_}. */
    PRODUCTION("production", "https://api.bigledger.com/v1", "blg_live_sk_"),

    /** The sandbox, {@code https://api-sandbox.bigledger.com/v1}; keys start with {@code blg_test_sk_}. */
    SANDBOX("sandbox", "https://api-sandbox.bigledger.com/v1", "blg_test_sk_");

    /** The authorization server of both environments, the one the BigLedger document names. */
    private static final URI AUTHORIZATION_SERVER = URI.create("https://auth.bigledger.com");

    /** The path of the authorization endpoint on an authorization server. */
    static final String AUTHORIZE_PATH = "/oauth/authorize";

    /** The path of the token endpoint on an authorization server. */
    static final String TOKEN_PATH = "/oauth/token";

    private final String id;
    private final String baseUrl;
    private final String apiKeyPrefix;

    BigLedgerEnvironment(String id, String baseUrl, String apiKeyPrefix) {
        this.id = id;
        this.baseUrl = baseUrl;
        this.apiKeyPrefix = apiKeyPrefix;
    }

    /**
     * Returns the name used in configuration, such as {@code BIGLEDGER_ENVIRONMENT=sandbox}.
     *
     * @return {@code production} or {@code sandbox}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the base URL of the API, without a trailing slash.
     *
     * @return the base URL, such as {@code https://api.bigledger.com/v1}
     */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Returns the prefix every API key of this environment starts with; the prefix itself is not secret.
     *
     * @return {@code blg_live_sk_} or {@code blg_test_sk_}
     */
    public String apiKeyPrefix() {
        return apiKeyPrefix;
    }

    /**
     * Returns the authorization server's root, where the authorization and token endpoints live. The sandbox uses
     * the production server: the BigLedger document names no other (see the class description).
     *
     * @return {@code https://auth.bigledger.com}
     */
    public URI authorizationServer() {
        return AUTHORIZATION_SERVER;
    }

    /**
     * Returns the OAuth 2.0 authorization endpoint, where users are sent to grant access.
     *
     * @return {@code https://auth.bigledger.com/oauth/authorize}
     */
    public URI authorizationEndpoint() {
        return URI.create(AUTHORIZATION_SERVER + AUTHORIZE_PATH);
    }

    /**
     * Returns the OAuth 2.0 token endpoint, which takes JSON bodies.
     *
     * @return {@code https://auth.bigledger.com/oauth/token}
     */
    public URI tokenEndpoint() {
        return URI.create(AUTHORIZATION_SERVER + TOKEN_PATH);
    }

    /**
     * Parses the name of an environment, ignoring case.
     *
     * @param name {@code production} or {@code sandbox}, in any case
     * @return the environment
     * @throws IllegalArgumentException if the name is neither; the message quotes the name only when it is short
     *     and cannot be a key, since a misplaced secret must not end up in a log
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public static BigLedgerEnvironment parse(String name) {
        Objects.requireNonNull(name, "name");
        for (BigLedgerEnvironment environment : values()) {
            if (environment.id.equalsIgnoreCase(name)) {
                return environment;
            }
        }
        throw new IllegalArgumentException("Unknown BigLedger environment " + quoteIfHarmless(name)
                + ": expected production or sandbox");
    }

    /**
     * Returns the environment an API key belongs to, judged by its prefix alone.
     *
     * @param apiKey the key; not revealed
     * @return the environment whose prefix the key starts with, or empty when it starts with neither
     * @throws IllegalStateException if the secret was destroyed
     */
    public static Optional<BigLedgerEnvironment> ofApiKey(Secret apiKey) {
        Objects.requireNonNull(apiKey, "apiKey");
        for (BigLedgerEnvironment environment : values()) {
            if (apiKey.startsWith(environment.apiKeyPrefix)) {
                return Optional.of(environment);
            }
        }
        return Optional.empty();
    }

    private static String quoteIfHarmless(String name) {
        if (name.isEmpty()) {
            return "'' (empty)";
        }
        boolean plainWord = name.length() <= 20 && name.chars().allMatch(c -> c < 0x80
                && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
        return plainWord && !name.regionMatches(true, 0, "blg_", 0, 4)
                ? "'" + name + "'"
                : "(a value of " + name.length() + " characters, not shown)";
    }
}
