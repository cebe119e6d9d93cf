package com.bigledger.auth.bigledger;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.internal.Endpoints;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * whitespace, a malformed company id. All problems are reported together in one
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
    public static final String REF_SUFFIX = "_REF";

    /** The environment variable of the API key. */
    public static final String API_KEY_VARIABLE = "BIGLEDGER_API_KEY";

    /** The environment variable of the company id. */
    public static final String COMPANY_ID_VARIABLE = "BIGLEDGER_COMPANY_ID";

    /** The environment variable of the environment, {@code production} (the default) or {@code sandbox}. */
    public static final String ENVIRONMENT_VARIABLE = "BIGLEDGER_ENVIRONMENT";

    private static final Logger LOG = LoggerFactory.getLogger(BigLedgerAuth.class);

    /** How the client authenticates. */
    public enum Mode {
        /** An API key ({@code blg_live_sk_…} or {@code blg_test_sk_…}) with a company id. */
        API_KEY,
        /** An OAuth 2.0 access token ({@code blg_oauth_at_…}) kept fresh by a {@link TokenManager}. */
        OAUTH
    }

    private final BigLedgerEnvironment environment;
    private final String baseUrl;
    private final URI base;
    private final String companyId;
    private final String userAgent;
    private final Secret staticKey;
    private final CredentialVault keyVault;
    private final CredentialRef keyRef;
    private final CredentialHandle keyHandle;
    private final String keyLabel;
    private final TokenManager tokens;
    private final CredentialVault ownedVault;

    /** The headers last handed out, and the credential instance they carry. */
    private volatile BigLedgerHeaders current;

    /** Guarded by {@code this}: the credential instance last invalidated, so many 401s cause one invalidation. */
    private Object lastInvalidated;

    private BigLedgerAuth(Builder b, Resolved r) {
        this.environment = r.environment;
        this.baseUrl = r.baseUrl;
        this.base = URI.create(r.baseUrl);
        this.companyId = r.companyId;
        this.userAgent = b.userAgent == null ? LibraryVersion.PRODUCT : b.userAgent + " " + LibraryVersion.PRODUCT;
        this.staticKey = r.staticKey;
        this.keyVault = r.keyVault;
        this.keyRef = r.keyRef;
        this.keyHandle = r.keyHandle;
        this.keyLabel = r.keyLabel;
        this.tokens = b.tokens;
        this.ownedVault = r.ownedVault;
        if (r.checkedKey != null) {
            this.current = new BigLedgerHeaders(r.checkedKey, "Bearer " + r.checkedKey.reveal(),
                    r.checkedKey.toString(), companyId, userAgent);
        }
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
        Object credential = tokens != null ? tokens.token() : keyHandle != null ? keyHandle.get() : staticKey;
        BigLedgerHeaders headers = current;
        if (headers != null && headers.credential() == credential) {
            return headers;
        }
        return newHeaders(credential);
    }

    private BigLedgerHeaders newHeaders(Object credential) {
        BigLedgerHeaders headers;
        if (credential instanceof AccessToken) {
            AccessToken token = (AccessToken) credential;
            headers = new BigLedgerHeaders(token, "Bearer " + token.reveal(), token.value().toString(), companyId,
                    userAgent);
        } else {
            Secret key = (Secret) credential;
            Optional<ConfigProblem> problem = ApiKeys.check(key, environment);
            if (problem.isPresent()) {
                LOG.warn("The API key at {} was rotated to one that is unusable: {}", keyLabel,
                        problem.get().message());
                throw new BigLedgerConfigurationException(List.of(labelled(keyLabel, problem.get())));
            }
            LOG.debug("Using a new API key from {}", keyLabel);
            headers = new BigLedgerHeaders(key, "Bearer " + key.reveal(), key.toString(), companyId, userAgent);
        }
        current = headers;
        return headers;
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
        if (!refreshable()) {
            return false;
        }
        synchronized (this) {
            if (rejected.credential() == lastInvalidated) {
                return false;
            }
            lastInvalidated = rejected.credential();
        }
        if (rejected.credential() instanceof AccessToken) {
            return tokens != null && tokens.invalidate((AccessToken) rejected.credential());
        }
        LOG.info("The API key from {} was refused; reloading it", keyLabel);
        return keyVault.invalidate(keyRef) > 0;
    }

    /**
     * Tells whether a refused credential can be replaced, so that retrying a request after a 401 can help: an OAuth
     * token, or an API key read from a store. An API key given as a value cannot change.
     *
     * @return {@code true} with a token manager or a key kept in a store
     */
    public boolean refreshable() {
        return tokens != null || keyHandle != null;
    }

    /**
     * Returns how this client authenticates.
     *
     * @return the mode
     */
    public Mode mode() {
        return tokens != null ? Mode.OAUTH : Mode.API_KEY;
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
        return base;
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
        if (!path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("An API path starts with a single '/', such as /accounts");
        }
        URI uri;
        try {
            uri = new URI(baseUrl + path);
        } catch (URISyntaxException e) {
            // The reason and index only: a query might hold something private.
            int index = e.getIndex() - baseUrl.length();
            throw new IllegalArgumentException("The API path is not a valid URI path (" + e.getReason()
                    + (index >= 0 ? " at index " + index : "") + ")");
        }
        if (uri.getRawFragment() != null || !isUnderBaseUrl(uri)) {
            throw new IllegalArgumentException("The API path must stay under " + baseUrl
                    + " (no '..' segments, no fragment)");
        }
        return uri;
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
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return false;
        }
        if (!uri.getScheme().equalsIgnoreCase(base.getScheme()) || !uri.getHost().equalsIgnoreCase(base.getHost())
                || port(uri) != port(base)) {
            return false;
        }
        String path = uri.normalize().getRawPath();
        String basePath = base.getRawPath();
        boolean below = path.equals(basePath) || path.startsWith(basePath + "/");
        return below && !Arrays.asList(uri.getRawPath().split("/")).contains("..");
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
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
        return "BigLedgerAuth[" + environment.id() + ", " + baseUrl + ", " + (tokens != null ? "OAuth " + tokens
                : "API key from " + keyLabel) + (companyId == null ? "" : ", " + companyId) + "]";
    }

    private static ConfigProblem labelled(String label, ConfigProblem problem) {
        return new ConfigProblem(problem.kind(), label + ": " + problem.message());
    }

    /** The settings after the environment variables are read and the values checked. */
    private static final class Resolved {
        BigLedgerEnvironment environment;
        String baseUrl;
        String companyId;
        Secret staticKey;
        CredentialVault keyVault;
        CredentialRef keyRef;
        CredentialHandle keyHandle;
        String keyLabel;
        String companyIdLabel;
        Secret checkedKey;
        CredentialVault ownedVault;
    }

    /**
     * Builds a {@link BigLedgerAuth}. One credential is required; each option may be set once, and setting one twice
     * or two credentials fails at once. Not thread-safe: use one builder per thread.
     */
    public static final class Builder {

        private Secret apiKey;
        private CredentialVault keyVault;
        private CredentialRef keyRef;
        private TokenManager tokens;
        private Map<String, String> variables;
        private String companyId;
        private BigLedgerEnvironment environment;
        private URI baseUrl;
        private Boolean allowInsecureLoopback;
        private String userAgent;
        private CredentialVault vault;
        private final List<String> credentials = new ArrayList<>();

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
            credential("apiKey(Secret)");
            byte[] bytes = apiKey.revealBytes();
            try {
                this.apiKey = Secret.ofBytes(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
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
            credential("apiKey(" + ref + ")");
            this.keyVault = vault;
            this.keyRef = ref;
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
            credential("tokenManager");
            this.tokens = tokens;
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
         * variables are read by {@link #build()}.
         *
         * @param variables the environment variables, such as {@code System.getenv()}; copied
         * @return this builder
         * @throws NullPointerException if {@code variables} is {@code null}
         * @throws IllegalStateException if a credential is already set
         */
        public Builder fromEnvironment(Map<String, String> variables) {
            Objects.requireNonNull(variables, "variables");
            credential("fromEnvironment");
            this.variables = Map.copyOf(variables);
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
            Objects.requireNonNull(vault, "vault");
            once(this.vault, "vault");
            this.vault = vault;
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
            Objects.requireNonNull(companyId, "companyId");
            once(this.companyId, "companyId");
            this.companyId = companyId;
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
            Objects.requireNonNull(environment, "environment");
            once(this.environment, "environment");
            this.environment = environment;
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
            Objects.requireNonNull(baseUrl, "baseUrl");
            once(this.baseUrl, "baseUrl");
            Endpoints.checkShape("baseUrl", baseUrl);
            if (baseUrl.getRawQuery() != null) {
                throw new IllegalArgumentException("baseUrl must not have a query: " + Endpoints.shown(baseUrl));
            }
            this.baseUrl = baseUrl;
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
            once(this.allowInsecureLoopback, "allowInsecureLoopback");
            this.allowInsecureLoopback = allowInsecureLoopback;
            return this;
        }

        /**
         * Sets the application's own product for the {@code User-Agent} header, as the BigLedger document asks,
         * such as {@code MyApp/1.0.0 (https://myapp.com)}; this library's name and version are appended. By
         * default, none: the header is this library's product alone.
         *
         * @param userAgent printable ASCII, not blank
         * @return this builder
         * @throws NullPointerException if {@code userAgent} is {@code null}
         * @throws IllegalArgumentException if it is blank or not printable ASCII
         * @throws IllegalStateException if the user agent is already set
         */
        public Builder userAgent(String userAgent) {
            Objects.requireNonNull(userAgent, "userAgent");
            once(this.userAgent, "userAgent");
            if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new IllegalArgumentException("userAgent must be printable ASCII and not blank");
            }
            this.userAgent = userAgent.strip();
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
            if (credentials.isEmpty()) {
                throw new IllegalStateException("BigLedgerAuth needs a credential: call apiKey(...), "
                        + "tokenManager(...) or fromEnvironment()");
            }
            if (variables != null && (companyId != null || environment != null)) {
                throw new IllegalStateException("fromEnvironment() reads the company id and the environment; do not "
                        + "also set " + (companyId != null ? "companyId" : "environment") + "(...)");
            }
            if (vault != null && variables == null) {
                throw new IllegalStateException("vault(...) resolves the _REF settings of fromEnvironment(); use "
                        + "apiKey(vault, ref) for a key kept in a store");
            }
            Resolved r = new Resolved();
            List<ConfigProblem> problems = new ArrayList<>();
            try {
                if (variables != null) {
                    readVariables(r, problems);
                } else {
                    r.environment = environment != null ? environment : BigLedgerEnvironment.PRODUCTION;
                    r.companyId = companyId;
                    if (apiKey != null) {
                        r.staticKey = apiKey;
                        r.keyLabel = "apiKey";
                        checkKey(r, apiKey, "apiKey", false, problems);
                    } else if (keyRef != null) {
                        r.keyVault = keyVault;
                        r.keyRef = keyRef;
                        r.keyHandle = keyVault.handle(keyRef);
                        r.keyLabel = keyRef.toString();
                        checkKey(r, r.keyHandle.get(), keyRef.toString(), false, problems);
                    }
                    if (tokens == null && companyId == null) {
                        problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, "companyId: a company id "
                                + "is required with an API key (X-Company-Id; Settings > Company Profile in the "
                                + "dashboard)"));
                    }
                }
                if (r.companyId != null) {
                    String label = variables != null ? r.companyIdLabel : "companyId";
                    CompanyIds.check(r.companyId).ifPresent(p -> problems.add(labelled(label, p)));
                }
                URI chosen = baseUrl != null ? baseUrl : URI.create(r.environment.baseUrl());
                Endpoints.checkTransport("baseUrl", chosen, Boolean.TRUE.equals(allowInsecureLoopback));
                String text = chosen.toString();
                r.baseUrl = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
                if (!problems.isEmpty()) {
                    throw new BigLedgerConfigurationException(problems);
                }
                return new BigLedgerAuth(this, r);
            } catch (RuntimeException e) {
                if (r.ownedVault != null) {
                    r.ownedVault.close();
                }
                throw e;
            }
        }

        private void readVariables(Resolved r, List<ConfigProblem> problems) {
            Setting environmentSetting = setting(ENVIRONMENT_VARIABLE, problems);
            boolean environmentKnown = true;
            if (environmentSetting == null) {
                r.environment = BigLedgerEnvironment.PRODUCTION;
            } else if (!environmentSetting.valid) {
                environmentKnown = false;
                r.environment = BigLedgerEnvironment.PRODUCTION;
            } else {
                String name = environmentSetting.resolve(r, this).map(Secret::reveal).orElse(null);
                try {
                    r.environment = BigLedgerEnvironment.parse(name == null ? "" : name.strip());
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_INVALID, environmentSetting.label
                            + ": " + e.getMessage()));
                    environmentKnown = false;
                    r.environment = BigLedgerEnvironment.PRODUCTION;
                }
            }

            Setting keySetting = setting(API_KEY_VARIABLE, problems);
            if (keySetting == null) {
                problems.add(missing(API_KEY_VARIABLE, "the API key, blg_live_sk_... or blg_test_sk_..."));
            } else if (!keySetting.valid) {
                // Reported by setting().
                r.keyLabel = keySetting.label;
            } else if (keySetting.ref == null) {
                r.staticKey = Secret.of(keySetting.value);
                r.keyLabel = keySetting.label;
                if (environmentKnown) {
                    checkKey(r, r.staticKey, keySetting.label, environmentSetting == null, problems);
                }
            } else {
                r.keyVault = keySetting.vault(r, this);
                r.keyRef = keySetting.ref;
                r.keyHandle = r.keyVault.handle(keySetting.ref);
                r.keyLabel = keySetting.ref.toString();
                Secret key = r.keyHandle.get();
                if (environmentKnown) {
                    checkKey(r, key, keySetting.label, environmentSetting == null, problems);
                }
            }

            Setting companySetting = setting(COMPANY_ID_VARIABLE, problems);
            if (companySetting == null) {
                problems.add(missing(COMPANY_ID_VARIABLE, "the company id, such as company_abc123 (Settings > "
                        + "Company Profile in the dashboard)"));
            } else if (companySetting.valid) {
                r.companyIdLabel = companySetting.label;
                r.companyId = companySetting.resolve(r, this).map(s -> s.reveal().strip()).orElse(null);
            }
        }

        private static ConfigProblem missing(String variable, String what) {
            return new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, variable + " is not set (" + what + "; or "
                    + variable + REF_SUFFIX + " with a reference such as aws-sm:prod/bigledger#api_key)");
        }

        private static void checkKey(Resolved r, Secret key, String label, boolean environmentDefaulted,
                List<ConfigProblem> problems) {
            Optional<ConfigProblem> problem = ApiKeys.check(key, r.environment);
            if (problem.isEmpty()) {
                r.checkedKey = key;
                return;
            }
            String hint = problem.get().kind() == ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT && environmentDefaulted
                    ? " (" + ENVIRONMENT_VARIABLE + " is not set: production is the default)" : "";
            problems.add(new ConfigProblem(problem.get().kind(), label + ": " + problem.get().message() + hint));
        }

        /** Reads a variable or its {@code _REF} form; {@code null} when neither is set or both are. */
        private Setting setting(String name, List<ConfigProblem> problems) {
            String direct = variables.get(name);
            String ref = variables.get(name + REF_SUFFIX);
            if (direct != null && ref != null) {
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_CONFLICT, name + " and " + name
                        + REF_SUFFIX + " are both set; set only one"));
                return new Setting(name, null, null, false);
            }
            if (direct != null) {
                return new Setting(name, direct, null, true);
            }
            if (ref == null) {
                return null;
            }
            try {
                return new Setting(name + REF_SUFFIX, null, CredentialRef.parse(ref.strip()), true);
            } catch (IllegalArgumentException e) {
                // Not quoted: a key pasted into the _REF variable by mistake would end up in the message.
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_INVALID, name + REF_SUFFIX + " is not a "
                        + "valid reference (scheme:path[?options][#field], such as aws-sm:prod/bigledger#api_key); "
                        + "its value is not shown"));
                return new Setting(name + REF_SUFFIX, null, null, false);
            }
        }

        private void credential(String option) {
            if (!credentials.isEmpty()) {
                throw new IllegalStateException("BigLedgerAuth has two credentials: " + credentials.get(0) + " and "
                        + option + "; choose one");
            }
            credentials.add(option);
        }

        private static void once(Object current, String option) {
            if (current != null) {
                Object shown = current instanceof URI ? Endpoints.shown((URI) current) : current;
                throw new IllegalStateException(option + " is already set (to " + shown + "); each option is set "
                        + "once");
            }
        }
    }

    /**
     * One setting as read from the variables: a value, or a reference to load; {@code valid} is {@code false}
     * when the setting is present but unusable (both forms set, a malformed reference), a problem already reported.
     */
    private static final class Setting {
        final String label;
        final String value;
        final CredentialRef ref;
        final boolean valid;

        Setting(String label, String value, CredentialRef ref, boolean valid) {
            this.label = label;
            this.value = value;
            this.ref = ref;
            this.valid = valid;
        }

        CredentialVault vault(Resolved r, Builder b) {
            if (b.vault != null) {
                return b.vault;
            }
            if (r.ownedVault == null) {
                r.ownedVault = CredentialVault.builder().build();
            }
            return r.ownedVault;
        }

        Optional<Secret> resolve(Resolved r, Builder b) {
            if (!valid) {
                return Optional.empty();
            }
            if (ref == null) {
                return Optional.of(Secret.of(value));
            }
            return Optional.of(vault(r, b).handle(ref).get());
        }
    }
}
