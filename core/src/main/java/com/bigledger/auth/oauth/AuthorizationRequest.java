package com.bigledger.auth.oauth;

import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An OAuth 2.0 authorization code request with PKCE (RFC 6749 §4.1.1, RFC 7636 §4.3): the URL to send the user to,
 * and the state and verifier to keep until the callback.
 *
 * <p>Each request gets a fresh random {@code state} of 256 bits, so that a callback can be matched to the request
 * that the same user started ({@link AuthorizationResponse#parse} checks it), and a fresh PKCE pair, so that a
 * stolen code is useless. Keep the request (or its {@link #state()} and {@link #pkce()} verifier) in the user's
 * session between the redirect and the callback:
 *
 * <pre>{@code
 * AuthorizationRequest request = AuthorizationRequest.builder()
 *         .authorizationEndpoint(URI.create("https://auth.bigledger.com/oauth/authorize"))
 *         .clientId("my-client")
 *         .redirectUri(URI.create("https://myapp.example/callback"))
 *         .scopes(Set.of("read:accounts", "write:invoices"))
 *         .build();
 * session.put("oauth", request);
 * redirectTo(request.uri());
 * // ... later, in the callback handler:
 * AuthorizationResponse response = AuthorizationResponse.parse(callbackUri, request);
 * TokenResponse tokens = client.exchangeCode(response.code(), request.redirectUri(), request.pkce().verifier());
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows neither the state nor the verifier.
 */
public final class AuthorizationRequest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The number of random bytes in a state: 32, that is 256 bits. */
    private static final int STATE_BYTES = 32;

    private static final Set<String> RESERVED = Set.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "code_challenge", "code_challenge_method");

    private final URI authorizationEndpoint;
    private final String clientId;
    private final URI redirectUri;
    private final Set<String> scopes;
    private final String state;
    private final Pkce pkce;
    private final URI uri;

    private AuthorizationRequest(Builder b) {
        this.authorizationEndpoint = b.authorizationEndpoint;
        this.clientId = b.clientId;
        this.redirectUri = b.redirectUri;
        this.scopes = b.scopes != null ? b.scopes : Set.of();
        this.pkce = b.pkce != null ? b.pkce : Pkce.create();
        byte[] random = new byte[STATE_BYTES];
        RANDOM.nextBytes(random);
        this.state = Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri.toString());
        if (!scopes.isEmpty()) {
            params.put("scope", Scopes.join(scopes));
        }
        params.put("state", state);
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", pkce.method());
        params.putAll(b.parameters);

        StringBuilder url = new StringBuilder(authorizationEndpoint.toString());
        char separator = authorizationEndpoint.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(separator).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            separator = '&';
        }
        this.uri = URI.create(url.toString());
    }

    /**
     * Starts a request.
     *
     * @return a new builder; the endpoint, client id and redirect URI are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the URL to send the user's browser to: the endpoint with {@code response_type=code},
     * {@code client_id}, {@code redirect_uri}, {@code scope} (when scopes are set), {@code state},
     * {@code code_challenge}, {@code code_challenge_method=S256} and any additional parameters, each percent-encoded.
     *
     * @return the authorization URL
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the random state of this request, to keep until the callback. Compare it only through
     * {@link AuthorizationResponse#parse}, which does so in constant time.
     *
     * @return 43 characters of base64url, 256 random bits
     */
    public String state() {
        return state;
    }

    /**
     * Returns the PKCE pair: its challenge is in {@link #uri()}, its verifier goes with the code exchange.
     *
     * @return the PKCE pair
     */
    public Pkce pkce() {
        return pkce;
    }

    /**
     * Returns the authorization endpoint.
     *
     * @return the endpoint, as configured
     */
    public URI authorizationEndpoint() {
        return authorizationEndpoint;
    }

    /**
     * Returns the client id.
     *
     * @return the client id
     */
    public String clientId() {
        return clientId;
    }

    /**
     * Returns the redirect URI, which the code exchange must repeat exactly.
     *
     * @return the redirect URI
     */
    public URI redirectUri() {
        return redirectUri;
    }

    /**
     * Returns the scopes asked for.
     *
     * @return the scopes, sorted; empty when none were set; unmodifiable
     */
    public Set<String> scopes() {
        return scopes;
    }

    /** Shows the endpoint, client, redirect URI and scopes; never the state or the verifier. */
    @Override
    public String toString() {
        return "AuthorizationRequest[authorizationEndpoint=" + Endpoints.shown(authorizationEndpoint) + ", clientId="
                + clientId + ", redirectUri=" + Endpoints.shown(redirectUri) + ", scopes=" + scopes + "]";
    }

    /** Percent-encodes a query name or value; a space becomes {@code %20}, which every server decodes. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Builds an {@link AuthorizationRequest}, drawing a new random state each time {@link #build()} is called.
     *
     * <p>Each option may be set once; setting one twice fails. Not thread-safe: use one builder per thread.
     */
    public static final class Builder {

        private URI authorizationEndpoint;
        private String clientId;
        private URI redirectUri;
        private Set<String> scopes;
        private Pkce pkce;
        private Boolean allowInsecureLoopback;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the authorization endpoint, such as {@code https://auth.bigledger.com/oauth/authorize}. Required. It
         * must be {@code https}; {@code http} is accepted only for a loopback host with
         * {@link #allowInsecureLoopback(boolean) allowInsecureLoopback(true)}. A query in it is kept.
         *
         * @param authorizationEndpoint an absolute URL without user info or fragment
         * @return this builder
         * @throws NullPointerException if {@code authorizationEndpoint} is {@code null}
         * @throws IllegalArgumentException if it is not an absolute {@code http(s)} URL with a host, or has user
         *     info or a fragment
         * @throws IllegalStateException if the endpoint was already set
         */
        public Builder authorizationEndpoint(URI authorizationEndpoint) {
            this.authorizationEndpoint = Endpoints.checkShape("authorizationEndpoint",
                    Options.set(this.authorizationEndpoint, "authorizationEndpoint", authorizationEndpoint));
            return this;
        }

        /**
         * Sets the client id. Required.
         *
         * @param clientId the client id; not secret
         * @return this builder
         * @throws NullPointerException if {@code clientId} is {@code null}
         * @throws IllegalArgumentException if it is empty or holds a control character
         * @throws IllegalStateException if the client id was already set
         */
        public Builder clientId(String clientId) {
            this.clientId = Options.clientId(Options.set(this.clientId, "clientId", clientId));
            return this;
        }

        /**
         * Sets the redirect URI registered for the client, where the authorization server sends the user back.
         * Required. Any absolute URI without a fragment (RFC 6749 §3.1.2): {@code https}, {@code http} on loopback
         * for native applications (RFC 8252), or a private-use scheme.
         *
         * @param redirectUri the redirect URI
         * @return this builder
         * @throws NullPointerException if {@code redirectUri} is {@code null}
         * @throws IllegalArgumentException if it is relative or has a fragment
         * @throws IllegalStateException if the redirect URI was already set
         */
        public Builder redirectUri(URI redirectUri) {
            this.redirectUri = Endpoints.checkRedirectUri(Options.set(this.redirectUri, "redirectUri", redirectUri));
            return this;
        }

        /**
         * Sets the scopes to ask for, such as {@code read:accounts}. By default, none: {@code scope} is left out
         * and the server applies its default.
         *
         * @param scopes valid RFC 6749 scope tokens; copied
         * @return this builder
         * @throws NullPointerException if {@code scopes} or an element is {@code null}
         * @throws IllegalArgumentException if a scope is not a valid scope token
         * @throws IllegalStateException if the scopes were already set
         */
        public Builder scopes(Set<String> scopes) {
            this.scopes = Scopes.check(Options.set(this.scopes, "scopes", scopes));
            return this;
        }

        /**
         * Sets the PKCE pair, for a verifier made elsewhere. By default, {@link Pkce#create()} makes a new one.
         *
         * @param pkce the PKCE pair
         * @return this builder
         * @throws NullPointerException if {@code pkce} is {@code null}
         * @throws IllegalStateException if the PKCE pair was already set
         */
        public Builder pkce(Pkce pkce) {
            this.pkce = Options.set(this.pkce, "pkce", pkce);
            return this;
        }

        /**
         * Adds a parameter this class does not set itself, such as {@code prompt}, {@code login_hint} or
         * {@code audience}. By default, none.
         *
         * @param name the parameter name; not one of those this class sets ({@code response_type},
         *     {@code client_id}, {@code redirect_uri}, {@code scope}, {@code state}, {@code code_challenge},
         *     {@code code_challenge_method})
         * @param value the value; encoded when the URL is built
         * @return this builder
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException if the name is empty or one this class sets
         * @throws IllegalStateException if a parameter of that name was already added
         */
        public Builder parameter(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || RESERVED.contains(name)) {
                throw new IllegalArgumentException("parameter \"" + name + "\" is set by AuthorizationRequest itself"
                        + " or empty; use the builder option for it");
            }
            if (parameters.containsKey(name)) {
                // Not shown: a login hint or similar may be personal data.
                throw new IllegalStateException("parameter " + name + " is already set; each parameter is set once");
            }
            parameters.put(name, value);
            return this;
        }

        /**
         * Allows a plain {@code http} authorization endpoint on a loopback host, for tests against a local server.
         * By default, {@code false}: only {@code https} is accepted.
         *
         * @param allowInsecureLoopback whether to accept {@code http} to a loopback host
         * @return this builder
         * @throws IllegalStateException if the option was already set
         */
        public Builder allowInsecureLoopback(boolean allowInsecureLoopback) {
            Options.once(this.allowInsecureLoopback, "allowInsecureLoopback");
            this.allowInsecureLoopback = allowInsecureLoopback;
            return this;
        }

        /**
         * Builds a request with a new random state and, unless one was set, a new PKCE pair. Blocks briefly the
         * first time, while the platform's random source is seeded.
         *
         * @return a new request
         * @throws IllegalStateException if the endpoint, client id or redirect URI is missing, or the endpoint's
         *     transport is not allowed
         */
        public AuthorizationRequest build() {
            StringBuilder missing = new StringBuilder();
            if (authorizationEndpoint == null) {
                missing.append(" authorizationEndpoint");
            }
            if (clientId == null) {
                missing.append(" clientId");
            }
            if (redirectUri == null) {
                missing.append(" redirectUri");
            }
            if (missing.length() > 0) {
                throw new IllegalStateException("AuthorizationRequest needs:" + missing);
            }
            Endpoints.checkTransport("authorizationEndpoint", authorizationEndpoint,
                    Boolean.TRUE.equals(allowInsecureLoopback));
            return new AuthorizationRequest(this);
        }
    }
}
