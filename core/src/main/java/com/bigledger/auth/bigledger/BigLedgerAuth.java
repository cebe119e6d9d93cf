package com.bigledger.auth.bigledger;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The credentials of one BigLedger API client and the request headers made from them: an API key with its company
 * id, or an OAuth 2.0 {@link TokenManager} with an optional company id.
 *
 * <pre>{@code
 * BigLedgerAuth auth = BigLedgerAuth.builder()
 *         .fromEnvironment()                           // BIGLEDGER_API_KEY, BIGLEDGER_COMPANY_ID, BIGLEDGER_ENVIRONMENT
 *         .userAgent("MyApp/1.0.0 (https://myapp.com)")
 *         .build();
 * BigLedgerHeaders headers = auth.headers();          // Authorization, X-Company-Id, Content-Type, User-Agent
 * }</pre>
 *
 * <p>Everything that can be checked offline is checked when the object is built, so that a mistake shows at
 * start-up rather than as a 401 later: a missing or doubly-given setting, an API key of the other environment
 * ({@code blg_test_sk_} against production or {@code blg_live_sk_} against the sandbox), an empty key or one with
 * whitespace, a company id that cannot be sent as a header. All problems are reported together in one
 * {@link BigLedgerConfigurationException} whose messages name the setting, the key prefix and the environment,
 * never a character of the key. A key read through a {@link CredentialVault} is read at build time too, and again
 * whenever the store rotates it; a rotated key is checked the same way before it is used.
 *
 * <p>{@link #headers()} on cached credentials reads one or two volatile fields and returns the same
 * {@link BigLedgerHeaders} object as long as the credential is unchanged: no lock, no allocation. After the API
 * answers 401, {@link #invalidate(BigLedgerHeaders)} drops the credential those headers carried, so that the next
 * {@link #headers()} brings a reloaded key or a refreshed token; {@link BigLedgerHttpClient} does that for you.
 *
 * <p>Thread-safe; one instance serves a whole process. {@link #headers()} blocks only when no credential is cached:
 * up to the vault's load timeout or the token manager's timeout. {@link #close()} closes the vault this object
 * created for {@code _REF} settings, and nothing the caller passed in.
 */
public final class BigLedgerAuth implements AutoCloseable {

    /** The suffix of a setting that holds a reference to the value instead of the value. */
    public static final String REF_SUFFIX = com.bigledger.auth.spi.EnvironmentSettings.REF_SUFFIX;

    /** The environment variable of the API key. */
    public static final String API_KEY_VARIABLE = "BIGLEDGER_API_KEY";

    /** The environment variable of the company id. */
    public static final String COMPANY_ID_VARIABLE = "BIGLEDGER_COMPANY_ID";

    /** The environment variable of the environment, {@code production} (the default) or {@code sandbox}. */
    public static final String ENVIRONMENT_VARIABLE = "BIGLEDGER_ENVIRONMENT";

    /** How the client authenticates. */
    public enum Mode {
        /** An API key ({@code blg_live_sk_…} or {@code blg_test_sk_…}) with a company id. */
        API_KEY,
        /** An OAuth 2.0 access token ({@code blg_oauth_at_…}) kept fresh by a {@link TokenManager}. */
        OAUTH
    }

    private final BigLedgerEnvironment environment;
    private final BaseUrl base;
    private final String companyId;
    private final String userAgent;
    private final ApiCredential credential;
    private final CredentialVault ownedVault;

    private BigLedgerAuth(AuthSettings b, AuthSettings.Resolved r) {
        this.environment = r.environment;
        this.base = new BaseUrl(r.baseUrl);
        this.companyId = r.companyId;
        this.userAgent = b.userAgent == null ? LibraryVersion.PRODUCT : b.userAgent + " " + LibraryVersion.PRODUCT;
        this.credential = new ApiCredential(r, b.tokens, userAgent);
        this.ownedVault = r.ownedVault;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder; one credential is required: {@link Builder#apiKey(Secret)},
     *     {@link Builder#apiKey(CredentialVault, CredentialRef)}, {@link Builder#tokenManager} or
     *     {@link Builder#fromEnvironment()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an API-key client from the process environment: {@code BIGLEDGER_API_KEY}, {@code BIGLEDGER_COMPANY_ID}
     * and {@code BIGLEDGER_ENVIRONMENT} (by default {@code production}), each of which may instead be a reference
     * in the variable of the same name with {@code _REF}, resolved through the stores on the class path. Blocks
     * while a referenced value is loaded. Shorthand for {@code builder().fromEnvironment().build()}.
     *
     * @return the client's credentials
     * @throws BigLedgerConfigurationException if a setting is missing, doubly given or unusable
     * @throws com.bigledger.auth.BigLedgerAuthException if a referenced value cannot be loaded
     */
    public static BigLedgerAuth fromEnvironment() {
        return builder().fromEnvironment().build();
    }

    /**
     * Returns the name and version of this library, as {@link #userAgent()} ends with them.
     *
     * @return {@code bigledger-auth-java/VERSION}
     */
    public static String libraryProduct() {
        return LibraryVersion.PRODUCT;
    }

    /**
     * Returns the headers for a request: {@code Authorization: Bearer …}, {@code Content-Type: application/json},
     * {@code X-Company-Id} when a company id is set, and {@code User-Agent}. Does not block and does not allocate
     * while the credential is cached; otherwise waits for it to load.
     *
     * @return the headers, the same object for as long as the credential is unchanged
     * @throws BigLedgerConfigurationException if a rotated API key fails the offline checks
     * @throws com.bigledger.auth.BigLedgerAuthException if the credential cannot be loaded or refreshed, such as
     *     {@link com.bigledger.auth.ReauthenticationRequiredException} when the OAuth grant was refused
     */
    public BigLedgerHeaders headers() {
        return credential.headers();
    }

    /**
     * Drops the credential that {@code rejected} carried, because the API answered 401 to it: the OAuth token is
     * invalidated with {@link TokenManager#invalidate(AccessToken)}, an API key read from a store with
     * {@link CredentialVault#invalidate(CredentialRef)} (keys are rotated), so that the next {@link #headers()}
     * waits for a fresh one. Many calls for one credential invalidate it once. Does not block.
     *
     * @param rejected headers from {@link #headers()} that the API refused
     * @return {@code true} if the credential was dropped by this call; {@code false} if it already was, or if it
     *     cannot be reloaded (an API key given as a value)
     * @throws NullPointerException if {@code rejected} is {@code null}
     */
    public boolean invalidate(BigLedgerHeaders rejected) {
        Objects.requireNonNull(rejected, "rejected");
        return credential.invalidate(rejected);
    }

    /**
     * Tells whether a refused credential can be replaced, so that retrying a request after a 401 can help: an OAuth
     * token, or an API key read from a store. An API key given as a value cannot change.
     *
     * @return {@code true} with a token manager or a key kept in a store
     */
    public boolean refreshable() {
        return credential.refreshable();
    }

    /**
     * Returns how this client authenticates.
     *
     * @return the mode
     */
    public Mode mode() {
        return credential.oauth() ? Mode.OAUTH : Mode.API_KEY;
    }

    /**
     * Returns the environment; its base URL may have been overridden (see {@link #baseUrl()}).
     *
     * @return the environment
     */
    public BigLedgerEnvironment environment() {
        return environment;
    }

    /**
     * Returns the base URL requests go to, without a trailing slash.
     *
     * @return the environment's base URL, or the one set with {@link Builder#baseUrl}
     */
    public URI baseUrl() {
        return base.uri;
    }

    /**
     * Returns the company id sent as {@code X-Company-Id}.
     *
     * @return the company id; always present with an API key, optional with OAuth
     */
    public Optional<String> companyId() {
        return Optional.ofNullable(companyId);
    }

    /**
     * Returns the {@code User-Agent} header: the application's own product, when one was set, followed by this
     * library's, such as {@code MyApp/1.0.0 (https://myapp.com) bigledger-auth-java/1.0.0}.
     *
     * @return the user agent
     */
    public String userAgent() {
        return userAgent;
    }

    /**
     * Returns the URL of an API path under the base URL: {@code resolve("/accounts")} is
     * {@code https://api.bigledger.com/v1/accounts} in production.
     *
     * @param path the path after the base URL, starting with {@code /}, optionally with a query
     * @return the URL
     * @throws NullPointerException if {@code path} is {@code null}
     * @throws IllegalArgumentException if the path does not start with a single {@code /}, is not a valid URI
     *     path, or leaves the base URL (with {@code ..})
     */
    public URI resolve(String path) {
        Objects.requireNonNull(path, "path");
        return base.resolve(path);
    }

    /**
     * Tells whether a URL is under the base URL: same scheme, host and port, and a path at or below the base path.
     * Credentials are only ever sent to such URLs; HTTP adapters for other clients ask this before adding headers.
     *
     * @param uri an absolute URL
     * @return {@code true} if it is under the base URL
     * @throws NullPointerException if {@code uri} is {@code null}
     */
    public boolean isUnderBaseUrl(URI uri) {
        Objects.requireNonNull(uri, "uri");
        return base.contains(uri);
    }

    /** Closes the vault this object created for {@code _REF} settings; the caller's vault and manager stay open. */
    @Override
    public void close() {
        if (ownedVault != null) {
            ownedVault.close();
        }
    }

    /** Shows the environment, the base URL, where the credential comes from and the company id; never a secret. */
    @Override
    public String toString() {
        return "BigLedgerAuth[" + environment.id() + ", " + base.text + ", " + credential.source()
                + (companyId == null ? "" : ", " + companyId) + "]";
    }

    /**
     * Builds a {@link BigLedgerAuth}. One credential is required; each option may be set once, and setting one twice
     * or two credentials fails at once. Not thread-safe: use one builder per thread.
     */
    public static final class Builder {

        private final AuthSettings s = new AuthSettings();

        private Builder() {
        }

        /**
         * Uses an API key given as a value. The key is checked against the environment when the object is built;
         * it cannot be reloaded after a 401, so prefer {@link #apiKey(CredentialVault, CredentialRef)} for a key
         * that is rotated.
         *
         * @param apiKey the key, {@code blg_live_sk_…} or {@code blg_test_sk_…}; copied, so that destroying it
         *     later does not affect this client
         * @return this builder
         * @throws NullPointerException if {@code apiKey} is {@code null}
         * @throws IllegalStateException if a credential is already set, or {@code apiKey} was destroyed
         */
        public Builder apiKey(Secret apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            s.credential("apiKey(Secret)");
            s.apiKey = Options.copy(apiKey);
            return this;
        }

        /**
         * Uses an API key kept in a store, such as {@code aws-sm:prod/bigledger#api_key}: read through the vault
         * (cached, reloaded in the background when its TTL ends), and reloaded at once when the API refuses it, so
         * that a rotated key is picked up without a restart.
         *
         * @param vault the vault that reads the store
         * @param ref where the key lives
         * @return this builder
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalStateException if a credential is already set
         */
        public Builder apiKey(CredentialVault vault, CredentialRef ref) {
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(ref, "ref");
            s.credential("apiKey(" + ref + ")");
            s.keyVault = vault;
            s.keyRef = ref;
            return this;
        }

        /**
         * Uses OAuth 2.0 access tokens kept fresh by a token manager, such as one from
         * {@link BigLedgerOAuth#tokenManager()}. The manager stays the caller's to close.
         *
         * @param tokens the token manager
         * @return this builder
         * @throws NullPointerException if {@code tokens} is {@code null}
         * @throws IllegalStateException if a credential is already set
         */
        public Builder tokenManager(TokenManager tokens) {
            Objects.requireNonNull(tokens, "tokens");
            s.credential("tokenManager");
            s.tokens = tokens;
            return this;
        }

        /**
         * Reads the API key, the company id and the environment from the process environment; see
         * {@link #fromEnvironment(Map)}.
         *
         * @return this builder
         * @throws IllegalStateException if a credential is already set
         */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /**
         * Reads the API key, the company id and the environment from environment variables, as the BigLedger
         * document recommends: {@code BIGLEDGER_API_KEY}, {@code BIGLEDGER_COMPANY_ID} (both required) and
         * {@code BIGLEDGER_ENVIRONMENT} ({@code production} or {@code sandbox}; by default, {@code production}).
         * Each may instead be given as a reference in the variable of the same name with {@code _REF}, such as
         * {@code BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key}, read through {@link #vault} so that moving a
         * deployment from variables to a secret store is configuration, not code. A key given by reference is
         * reloaded after a 401; a key given as a value is not. Giving a setting both ways is an error. The
         * variables are read by {@link #build()} with {@link BigLedgerSettings}, the reader the command line's
         * {@code doctor} uses too: the company id and the environment without surrounding whitespace.
         *
         * @param variables the environment variables, such as {@code System.getenv()}; copied
         * @return this builder
         * @throws NullPointerException if {@code variables} is {@code null}
         * @throws IllegalStateException if a credential is already set
         */
        public Builder fromEnvironment(Map<String, String> variables) {
            Objects.requireNonNull(variables, "variables");
            s.credential("fromEnvironment");
            s.variables = Map.copyOf(variables);
            return this;
        }

        /**
         * Sets the vault that resolves {@code _REF} settings read by {@link #fromEnvironment}. By default, a vault
         * built with the stores found on the class path, made only when a {@code _REF} setting is present, and
         * closed by {@link BigLedgerAuth#close()}.
         *
         * @param vault the vault; stays the caller's to close
         * @return this builder
         * @throws NullPointerException if {@code vault} is {@code null}
         * @throws IllegalStateException if the vault is already set
         */
        public Builder vault(CredentialVault vault) {
            s.vault = Options.set(s.vault, "vault", vault);
            return this;
        }

        /**
         * Sets the company id, sent as {@code X-Company-Id}. Required with an API key; optional with OAuth, where a
         * token may act for several companies. By default, none (and with {@link #fromEnvironment}, the value of
         * {@code BIGLEDGER_COMPANY_ID}).
         *
         * @param companyId the id, such as {@code company_abc123} (Settings > Company Profile in the dashboard)
         * @return this builder
         * @throws NullPointerException if {@code companyId} is {@code null}
         * @throws IllegalStateException if the company id is already set
         */
        public Builder companyId(String companyId) {
            s.companyId = Options.set(s.companyId, "companyId", companyId);
            return this;
        }

        /**
         * Sets the environment. By default, {@link BigLedgerEnvironment#PRODUCTION} (and with
         * {@link #fromEnvironment}, the value of {@code BIGLEDGER_ENVIRONMENT}).
         *
         * @param environment the environment; API keys must be of this environment
         * @return this builder
         * @throws NullPointerException if {@code environment} is {@code null}
         * @throws IllegalStateException if the environment is already set
         */
        public Builder environment(BigLedgerEnvironment environment) {
            s.environment = Options.set(s.environment, "environment", environment);
            return this;
        }

        /**
         * Sets the base URL of the API, for a private deployment or a test server. It must be {@code https};
         * {@code http} is accepted only for a loopback host with {@link #allowInsecureLoopback(boolean)
         * allowInsecureLoopback(true)}. API keys are still checked against {@link #environment}. By default, the
         * environment's base URL, such as {@code https://api.bigledger.com/v1}.
         *
         * @param baseUrl an absolute URL without user info, query or fragment; a trailing slash is dropped
         * @return this builder
         * @throws NullPointerException if {@code baseUrl} is {@code null}
         * @throws IllegalArgumentException if it is not an absolute {@code http(s)} URL with a host, or has user info,
         *     a query or a fragment
         * @throws IllegalStateException if the base URL is already set
         */
        public Builder baseUrl(URI baseUrl) {
            s.baseUrl = Endpoints.checkRoot("baseUrl", Options.set(s.baseUrl, "baseUrl", baseUrl));
            return this;
        }

        /**
         * Allows a plain {@code http} base URL on a loopback host ({@code localhost}, 127.0.0.0/8, {@code ::1}), for
         * tests against a local server. The BigLedger API itself rejects {@code http}. By default, {@code false}.
         *
         * @param allowInsecureLoopback whether to accept {@code http} to a loopback host
         * @return this builder
         * @throws IllegalStateException if the option is already set
         */
        public Builder allowInsecureLoopback(boolean allowInsecureLoopback) {
            s.allowInsecureLoopback = Options.set(s.allowInsecureLoopback, "allowInsecureLoopback",
                    allowInsecureLoopback);
            return this;
        }

        /**
         * Sets the application's own product for the {@code User-Agent} header, as the BigLedger document asks,
         * such as {@code MyApp/1.0.0 (https://myapp.com)}; this library's name and version are appended. By
         * default, none: the header is this library's product alone, and {@link #build()} logs a warning saying so
         * (once per client built, never per request).
         *
         * @param userAgent printable ASCII, not blank
         * @return this builder
         * @throws NullPointerException if {@code userAgent} is {@code null}
         * @throws IllegalArgumentException if it is blank or not printable ASCII
         * @throws IllegalStateException if the user agent is already set
         */
        public Builder userAgent(String userAgent) {
            s.userAgent = Options.userAgent(Options.set(s.userAgent, "userAgent", userAgent)).strip();
            return this;
        }

        /**
         * Builds the client's credentials, checking the configuration. Blocks while a key or setting kept in a store
         * is loaded, up to the vault's load timeout.
         *
         * @return the credentials
         * @throws IllegalStateException if no credential is set, or options conflict (such as
         *     {@link #fromEnvironment} with {@link #companyId}), naming them
         * @throws BigLedgerConfigurationException if settings are missing, doubly given or fail the offline checks;
         *     every problem is listed
         * @throws com.bigledger.auth.BigLedgerAuthException if a value kept in a store cannot be loaded
         */
        public BigLedgerAuth build() {
            return s.build(r -> new BigLedgerAuth(s, r));
        }
    }
}
