package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BigLedgerHttpClientTest extends BigLedgerApiFixture {

    private static final String VERIFY = "/v1/auth/verify";

    BigLedgerHttpClientTest() {
        api.company("company_other", "Other Ltd", "starter");
    }

    private BigLedgerAuth.Builder local() {
        return BigLedgerAuth.builder().baseUrl(api.baseUrl()).allowInsecureLoopback(true);
    }

    private BigLedgerHttpClient keyClient(String key, String companyId) {
        return BigLedgerHttpClient.create(local().apiKey(Secret.of(key)).companyId(companyId).build());
    }

    private List<String> bearers(String path) {
        return api.requests(path).stream()
                .map(r -> r.header("Authorization").orElse("").substring("Bearer ".length()))
                .collect(Collectors.toList());
    }

    @Test
    void verifyReturnsTheCompanyPlanAndPermissions() {
        String key = api.issueApiKey(COMPANY, "read:accounts", "write:invoices", "read:customers");

        VerifyResult result = keyClient(key, COMPANY).verify();

        assertThat(result.authenticated()).isTrue();
        VerifyResult.Company company = result.company().orElseThrow();
        assertThat(company.id()).isEqualTo(COMPANY);
        assertThat(company.name()).contains("Acme Corporation");
        assertThat(company.plan()).contains("professional");
        assertThat(result.permissions()).containsExactly("read:accounts", "write:invoices", "read:customers");
        assertThat(result.hasPermission(BigLedgerScopes.WRITE_INVOICES)).isTrue();
        assertThat(result.hasPermission(BigLedgerScopes.ADMIN)).isFalse();
    }

    @Test
    void requestsCarryTheDocumentedHeaders() {
        String key = api.issueApiKey(COMPANY, "read:accounts");
        BigLedgerHttpClient client = BigLedgerHttpClient.create(local().apiKey(Secret.of(key)).companyId(COMPANY)
                .userAgent("MyApp/1.0.0 (https://myapp.com)").build());

        client.verify();

        RecordedRequest request = api.requests(VERIFY).get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.header("Authorization")).contains("Bearer " + key);
        assertThat(request.header("X-Company-Id")).contains(COMPANY);
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("User-Agent")).contains("MyApp/1.0.0 (https://myapp.com) bigledger-auth-java/"
                + System.getProperty("bigledger.expectedVersion"));
    }

    @Test
    void sendResolvesPathsUnderTheBaseUrl() throws Exception {
        String key = api.issueApiKey(COMPANY, "read:accounts");
        BigLedgerHttpClient client = keyClient(key, COMPANY);

        HttpResponse<String> accounts = client.send(client.newRequest("/accounts").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(accounts.statusCode()).isEqualTo(200);
        assertThat(accounts.body()).contains("\"success\":true");
        assertThat(api.requests("/v1/accounts")).hasSize(1);
    }

    @Test
    void aWrongKeyIsATypedUnauthorizedErrorAndAKeyGivenAsAValueIsNotRetried() {
        api.issueApiKey(COMPANY, "read:accounts");

        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
                () -> keyClient(Canary.value("blg_live_sk_"), COMPANY).verify());

        assertThat(e.httpStatus()).hasValue(401);
        assertThat(e.code()).contains("UNAUTHORIZED");
        assertThat(e.serverMessage()).contains("Invalid or missing API key");
        assertThat(e.retryable()).isFalse();
        assertThat(e.endpoint()).isEqualTo(URI.create(api.baseUrl() + "/auth/verify"));
        assertThat(e.getMessage()).contains("HTTP 401 UNAUTHORIZED (Invalid or missing API key)");
        assertThat(api.requests(VERIFY)).hasSize(1);
    }

    @Test
    void anUnknownCompanyIsATypedInvalidCompanyError() {
        String key = api.issueApiKey(COMPANY, "read:accounts");

        InvalidCompanyException e = catchThrowableOfType(InvalidCompanyException.class,
                () -> keyClient(key, "company_unknown").verify());

        assertThat(e.httpStatus()).hasValue(422);
        assertThat(e.code()).contains("INVALID_COMPANY");
        assertThat(e.getMessage()).contains("Company ID is required or invalid", "X-Company-Id");
    }

    @Test
    void anotherCompanysIdIsATypedForbiddenError() {
        String key = api.issueApiKey(COMPANY, "read:accounts");

        ForbiddenException e = catchThrowableOfType(ForbiddenException.class,
                () -> keyClient(key, "company_other").verify());

        assertThat(e.httpStatus()).hasValue(403);
        assertThat(e.code()).contains("FORBIDDEN");
    }

    @Test
    void anErrorResponseOfSendBecomesATypedErrorThroughFrom() throws Exception {
        String key = api.issueApiKey(COMPANY, "write:invoices");
        BigLedgerHttpClient client = keyClient(key, COMPANY);

        HttpResponse<byte[]> response = client.send(client.newRequest("/accounts").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(BigLedgerApiException.from(response)).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("Insufficient permissions for this resource");
    }

    @Test
    void anyOtherEnvelopeCodeIsTheBaseType() {
        String key = api.issueApiKey(COMPANY);
        api.enqueue(VERIFY, Response.envelopeError(429, "RATE_LIMITED", "Slow down"));

        BigLedgerApiException e = catchThrowableOfType(BigLedgerApiException.class,
                () -> keyClient(key, COMPANY).verify());

        assertThat(e.getClass()).isEqualTo(BigLedgerApiException.class);
        assertThat(e.code()).contains("RATE_LIMITED");
        assertThat(e.httpStatus()).hasValue(429);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aBodyThatIsNotTheEnvelopeIsAClearErrorThatDoesNotEchoIt() {
        String key = api.issueApiKey(COMPANY);
        String echoed = Canary.value("");
        api.enqueue(VERIFY, Response.body(502, "text/html; charset=utf-8", "<html>Bad gateway " + echoed + "</html>"));

        BigLedgerApiException e = catchThrowableOfType(BigLedgerApiException.class,
                () -> keyClient(key, COMPANY).verify());

        assertThat(e.httpStatus()).hasValue(502);
        assertThat(e.code()).isEmpty();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 502", "failing or unavailable",
                "not the BigLedger error envelope (text/html").doesNotContain(echoed).doesNotContain("Bad gateway");
    }

    @Test
    void aServerMessageThatEchoesTheKeyIsRedacted() {
        String key = api.issueApiKey(COMPANY);
        api.enqueue(VERIFY, Response.envelopeError(400, "BAD_REQUEST", "Rejected key " + key));

        BigLedgerApiException e = catchThrowableOfType(BigLedgerApiException.class,
                () -> keyClient(key, COMPANY).verify());

        assertThat(e.serverMessage()).contains("Rejected key [redacted]");
        assertThat(e.getMessage()).doesNotContain(key);
    }

    @Test
    void aSuccessBodyOfAnotherShapeIsAnError() {
        String key = api.issueApiKey(COMPANY);
        api.enqueue(VERIFY, Response.json(200,
                "{\"success\":true,\"data\":{\"company\":{\"id\":\"company_abc123\"}}}"));

        assertThatThrownBy(() -> keyClient(key, COMPANY).verify())
                .isInstanceOf(BigLedgerApiException.class)
                .hasMessageContaining("no data.authenticated");
    }

    @Test
    void noResponseIsARetryableErrorWithoutStatus() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        BigLedgerAuth auth = BigLedgerAuth.builder().baseUrl(URI.create("http://127.0.0.1:" + port + "/v1"))
                .allowInsecureLoopback(true).apiKey(Canary.secret("blg_live_sk_")).companyId(COMPANY).build();

        BigLedgerApiException e = catchThrowableOfType(BigLedgerApiException.class,
                () -> BigLedgerHttpClient.create(auth).verify());

        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("127.0.0.1:" + port + "/v1/auth/verify");
    }

    @Test
    void aRotatedApiKeyIsPickedUpFromItsStoreAfterA401() {
        String oldKey = api.issueApiKey(COMPANY, "read:accounts");
        CredentialRef ref = store.put("bigledger/api-key", Secret.of(oldKey));
        BigLedgerHttpClient client = BigLedgerHttpClient.create(local().apiKey(vault, ref).companyId(COMPANY).build());
        client.verify();
        // The key is rotated: the store holds the new one, the vault still caches the old one, the API refuses it.
        String newKey = api.issueApiKey(COMPANY, "read:accounts");
        store.put("bigledger/api-key", Secret.of(newKey));
        api.revokeApiKey(oldKey);

        VerifyResult result = client.verify();

        assertThat(result.authenticated()).isTrue();
        assertThat(bearers(VERIFY)).containsExactly(oldKey, oldKey, newKey);
        assertThat(client.verify().authenticated()).isTrue();
        assertThat(bearers(VERIFY)).hasSize(4).last().isEqualTo(newKey);
    }

    @Test
    void aKeyStillRefusedAfterItsReloadIsRetriedOnceOnly() {
        String key = api.issueApiKey(COMPANY, "read:accounts");
        CredentialRef ref = store.put("bigledger/api-key", Secret.of(key));
        BigLedgerHttpClient client = BigLedgerHttpClient.create(local().apiKey(vault, ref).companyId(COMPANY).build());
        api.revokeApiKey(key);

        assertThatThrownBy(client::verify).isInstanceOf(UnauthorizedException.class);

        assertThat(bearers(VERIFY)).containsExactly(key, key);
    }

    @Test
    void anExpiredAccessTokenIsRefreshedAndTheRequestRetriedOnce() {
        String secret = Canary.value("");
        api.client("my-app", secret, CALLBACK);
        CredentialRef ref = store.put("bigledger/refresh-token", Secret.of(api.issueRefreshToken(COMPANY,
                "read:accounts")));
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().authorizationServer(api.authorizationServer())
                .allowInsecureLoopback(true).clientId("my-app").clientSecret(Secret.of(secret)).redirectUri(CALLBACK)
                .build();
        try (TokenManager tokens = oauth.tokenManager().refreshToken(vault, ref).build()) {
            BigLedgerHttpClient client = BigLedgerHttpClient.create(local().tokenManager(tokens).build());
            assertThat(client.verify().company().orElseThrow().id()).isEqualTo(COMPANY);
            String first = api.accessTokens().get(0);
            api.revokeAccessToken(first);

            VerifyResult result = client.verify();

            assertThat(result.permissions()).containsExactly("read:accounts");
            assertThat(api.accessTokens()).hasSize(2);
            assertThat(bearers(VERIFY)).containsExactly(first, first, api.accessTokens().get(1));
            // Each refresh rotated the refresh token and wrote it back.
            assertThat(store.load(ref).secret().reveal()).isEqualTo(api.refreshTokens().get(2));
            assertThat(api.requests(VERIFY).get(0).header("X-Company-Id")).isEmpty();
        }
    }

    @Test
    void aTokenStillRefusedAfterItsRefreshIsRetriedOnceOnly() {
        String secret = Canary.value("");
        api.client("my-app", secret, CALLBACK);
        CredentialRef ref = store.put("bigledger/refresh-token", Secret.of(api.issueRefreshToken(COMPANY)));
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().authorizationServer(api.authorizationServer())
                .allowInsecureLoopback(true).clientId("my-app").clientSecret(Secret.of(secret)).redirectUri(CALLBACK)
                .build();
        api.enqueue(VERIFY, Response.envelopeError(401, "UNAUTHORIZED", "Invalid or expired access token"));
        api.enqueue(VERIFY, Response.envelopeError(401, "UNAUTHORIZED", "Invalid or expired access token"));
        try (TokenManager tokens = oauth.tokenManager().refreshToken(vault, ref).build()) {
            BigLedgerHttpClient client = BigLedgerHttpClient.create(local().tokenManager(tokens).build());

            assertThatThrownBy(client::verify).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("Invalid or expired access token");

            assertThat(api.requests(VERIFY)).hasSize(2);
            assertThat(api.requests("/oauth/token")).hasSize(2);
            assertThat(bearers(VERIFY)).doesNotHaveDuplicates();
        }
    }

    @Test
    void credentialsAreNeverSentOutsideTheBaseUrl() {
        BigLedgerHttpClient client = keyClient(api.issueApiKey(COMPANY), COMPANY);
        HttpRequest elsewhere = HttpRequest.newBuilder(URI.create(api.authorizationServer() + "/oauth/token")).build();

        assertThatThrownBy(() -> client.send(elsewhere, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only to URLs under " + api.baseUrl());
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void aRequestWithItsOwnAuthorizationIsRefused() {
        BigLedgerHttpClient client = keyClient(api.issueApiKey(COMPANY), COMPANY);
        String other = Canary.value("blg_live_sk_");
        HttpRequest request = client.newRequest("/accounts").header("Authorization", "Bearer " + other).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a Authorization header")
                .hasMessageNotContaining(other);
    }

    @Test
    void aRequestsOwnContentTypeIsKept() throws Exception {
        BigLedgerHttpClient client = keyClient(api.issueApiKey(COMPANY, "read:accounts"), COMPANY);

        client.send(client.newRequest("/accounts").header("Content-Type", "text/csv").GET().build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(api.requests("/v1/accounts").get(0).headers().get("content-type")).containsExactly("text/csv");
    }

    @Test
    void anHttpClientThatFollowsRedirectsIsRefused() {
        BigLedgerAuth auth = local().apiKey(Canary.secret("blg_live_sk_")).companyId(COMPANY).build();
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatThrownBy(() -> BigLedgerHttpClient.builder(auth).httpClient(following))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("follows redirects");
    }
}
