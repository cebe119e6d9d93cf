package com.bigledger.auth.it;

import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.Pkce;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the user's browser in the authorization-code flow, without a person: an HTTP client with a cookie jar and
 * no automatic redirects fetches the authorize URL as HTML, logs in through the form with its CSRF field, and
 * follows redirects (at most {@link #MAX_REDIRECTS}) until one goes to the redirect URI.
 */
final class Browser {

    private static final int MAX_REDIRECTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CSRF = Pattern.compile(
            "<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\"|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();

    /**
     * Logs the server's user in for {@code clientId} (authorization code with PKCE, scope {@code api.read}),
     * exchanges the code with {@code client}, and remembers the tokens for the leak check.
     */
    static TokenResponse logIn(AuthServer server, OAuthClient client, String clientId)
            throws IOException, InterruptedException {
        AuthorizationRequest request = AuthorizationRequest.builder()
                .authorizationEndpoint(server.authorizationEndpoint())
                .clientId(clientId)
                .redirectUri(AuthServer.REDIRECT_URI)
                .scopes(Set.of("api.read"))
                .pkce(Pkce.create())
                .allowInsecureLoopback(true)
                .build();
        URI callback = new Browser().authorize(server, request);
        AuthorizationResponse response = AuthorizationResponse.parse(callback, request);
        TokenResponse tokens = client.exchangeCode(response.code(), AuthServer.REDIRECT_URI, request.pkce().verifier());
        Canary.remember(tokens.accessToken().reveal());
        tokens.refreshToken().ifPresent(rt -> Canary.remember(rt.reveal()));
        return tokens;
    }

    /**
     * Runs the flow for {@code request} as the server's user and returns the callback URI, code and state included.
     */
    URI authorize(AuthServer server, AuthorizationRequest request) throws IOException, InterruptedException {
        return authorize(server, request.uri(), request.redirectUri());
    }

    /**
     * Runs the flow from an authorize URL made elsewhere (by the command line, say) and returns the first redirect
     * that starts with {@code redirectUri}, without following it.
     */
    URI authorize(AuthServer server, URI authorizeUri, URI redirectUri) throws IOException, InterruptedException {
        HttpResponse<String> first = get(authorizeUri);
        URI login = location(authorizeUri, first);
        HttpResponse<String> page = get(login);
        Matcher csrf = CSRF.matcher(page.body());
        if (page.statusCode() != 200 || !csrf.find()) {
            throw new AssertionError("no login form with a CSRF field at " + login + " (HTTP " + page.statusCode()
                    + ")");
        }
        String token = csrf.group(1) != null ? csrf.group(1) : csrf.group(2);
        String form = "username=" + encode(AuthServer.USER) + "&password=" + encode(server.password().reveal())
                + "&_csrf=" + encode(token);
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(login)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
        URI next = location(login, posted);
        for (int i = 0; i < MAX_REDIRECTS; i++) {
            if (next.toString().startsWith(redirectUri.toString())) {
                return next;
            }
            next = location(next, get(next));
        }
        throw new AssertionError("no redirect to " + redirectUri + " within " + MAX_REDIRECTS + " hops");
    }

    /** GETs {@code uri} as HTML with this browser's cookies, following no redirect. */
    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI location(URI from, HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "expected a redirect from " + from.getPath() + ", got HTTP " + response.statusCode()));
        return from.resolve(location);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
