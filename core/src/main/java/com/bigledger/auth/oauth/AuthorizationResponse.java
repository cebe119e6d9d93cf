package com.bigledger.auth.oauth;

import com.bigledger.auth.AuthorizationException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The callback of an authorization code request (RFC 6749 §4.1.2), checked against the request it answers: its
 * {@code state} matches, it is not an error, and it carries a code.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} never shows the code.
 */
public final class AuthorizationResponse {

    /** Parameters that RFC 6749 §3.1 and RFC 9207 forbid to repeat, and that would be ambiguous if repeated. */
    private static final Set<String> SINGLE = Set.of("code", "state", "error", "error_description", "error_uri",
            "iss");

    private final String code;
    private final String issuer;

    private AuthorizationResponse(String code, String issuer) {
        this.code = code;
        this.issuer = issuer;
    }

    /**
     * Parses the URI the authorization server redirected the user to, and checks it against the request.
     *
     * <p>The state is checked first, in constant time: a callback whose state is missing or wrong may be forged
     * (cross-site request forgery), so even its {@code error} is not trusted. Then an {@code error} is reported,
     * and then a missing code.
     *
     * @param callback the full callback URI, with its query
     * @param request the request this callback answers, as kept in the user's session
     * @return the checked response
     * @throws NullPointerException if an argument is {@code null}
     * @throws AuthorizationException if the state is missing or does not match, a parameter is repeated, the
     *     server returned an {@code error}, or there is no code
     */
    public static AuthorizationResponse parse(URI callback, AuthorizationRequest request) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(request, "request");
        URI endpoint = request.authorizationEndpoint();
        Map<String, String> params = query(callback.getRawQuery(), endpoint);

        String state = params.get("state");
        if (state == null) {
            throw new AuthorizationException(endpoint, null, null,
                    "the callback has no state, so it cannot be matched to this request; start again");
        }
        if (!MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                request.state().getBytes(StandardCharsets.UTF_8))) {
            throw new AuthorizationException(endpoint, null, null,
                    "the callback's state does not match this request: it is forged, replayed or meant for"
                            + " another request; start again");
        }
        String error = params.get("error");
        if (error != null) {
            String detail = error.toLowerCase(Locale.ROOT).equals("access_denied")
                    ? "the user or the authorization server denied the request"
                    : "the authorization server returned an error";
            throw new AuthorizationException(endpoint, error, params.get("error_description"), detail);
        }
        String code = params.get("code");
        if (code == null || code.isEmpty()) {
            throw new AuthorizationException(endpoint, null, null, "the callback carries no code");
        }
        return new AuthorizationResponse(code, params.get("iss"));
    }

    /**
     * Returns the authorization code, to exchange with {@link OAuthClient#exchangeCode} soon: codes are
     * short-lived and single-use.
     *
     * @return the code
     */
    public String code() {
        return code;
    }

    /**
     * Returns the issuer the authorization server named in the callback ({@code iss}, RFC 9207), which a client
     * talking to several servers should compare with the one it sent the user to.
     *
     * @return the issuer, or empty when the callback named none
     */
    public Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }

    /** Shows the issuer, never the code. */
    @Override
    public String toString() {
        return "AuthorizationResponse[code=redacted" + (issuer == null ? "" : ", issuer=" + issuer) + "]";
    }

    private static Map<String, String> query(String rawQuery, URI endpoint) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            // A URI's raw query has only well-formed escapes, so decoding cannot fail.
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.containsKey(name) && SINGLE.contains(name)) {
                throw new AuthorizationException(endpoint, null, null,
                        "the callback repeats the " + name + " parameter");
            }
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
