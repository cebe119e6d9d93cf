package com.bigledger.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The double answers raw HTTP requests as the BigLedger document says the API does. */
class FakeBigLedgerApiTest {

    private static final String COMPANY = "company_abc123";

    private final FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    @Test
    void verifyWithAKeyAndCompanyAnswersTheDocumentedShape() throws Exception {
        String key = api.issueApiKey(COMPANY, "read:accounts", "write:invoices", "read:customers");

        HttpResponse<String> response = get("/auth/verify", "Authorization", "Bearer " + key,
                "X-Company-Id", COMPANY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"success\":true,\"data\":{\"authenticated\":true,\"company\":"
                + "{\"id\":\"company_abc123\",\"name\":\"Acme Corporation\",\"plan\":\"professional\"},"
                + "\"permissions\":[\"read:accounts\",\"write:invoices\",\"read:customers\"]}}");
    }

    @Test
    void aKeyWithoutCompanyIdIsRefusedWith422InvalidCompany() throws Exception {
        String key = api.issueApiKey(COMPANY, "read:accounts");

        HttpResponse<String> response = get("/auth/verify", "Authorization", "Bearer " + key);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"INVALID_COMPANY\","
                + "\"message\":\"Company ID is required or invalid\"}}");
    }

    @Test
    void aWrongKeyIsRefusedWith401Unauthorized() throws Exception {
        api.issueApiKey(COMPANY, "read:accounts");

        HttpResponse<String> response = get("/auth/verify", "Authorization", "Bearer " + Canary.value("blg_live_sk_"),
                "X-Company-Id", COMPANY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"UNAUTHORIZED\","
                + "\"message\":\"Invalid or missing API key\"}}");
    }

    @Test
    void aSandboxKeyIsRefusedByTheProductionDouble() throws Exception {
        try (FakeBigLedgerApi sandbox = FakeBigLedgerApi.startSandbox().company(COMPANY, "Acme", "free")) {
            String sandboxKey = sandbox.issueApiKey(COMPANY);
            assertThat(sandboxKey).startsWith("blg_test_sk_");

            HttpResponse<String> response = get("/auth/verify", "Authorization", "Bearer " + sandboxKey,
                    "X-Company-Id", COMPANY);

            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void accountsWithoutTheReadScopeAreForbidden() throws Exception {
        String key = api.issueApiKey(COMPANY, "write:invoices");

        HttpResponse<String> response = get("/accounts", "Authorization", "Bearer " + key, "X-Company-Id", COMPANY);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"code\":\"FORBIDDEN\"");
    }

    @Test
    void theTokenEndpointTakesJsonOnly() throws Exception {
        api.client("app", Canary.value(""), URI.create("https://yourapp.com/callback"));
        HttpRequest form = HttpRequest.newBuilder(URI.create(api.authorizationServer() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token"))
                .build();

        HttpResponse<String> response = send(form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"INVALID_REQUEST\"", "application/json");
    }

    /**
     * A refresh token issued for {@code COMPANY} with one scope to a client {@code app} registered just now, and the
     * token request of that client that presents it.
     *
     * @param refreshToken the refresh token
     * @param request the token request
     */
    private record IssuedRefreshToken(String refreshToken, HttpRequest request) {
    }

    private IssuedRefreshToken issueRefreshTokenToANewClient(String scope) {
        String secret = Canary.value("");
        api.client("app", secret, URI.create("https://yourapp.com/callback"));
        String refreshToken = api.issueRefreshToken(COMPANY, scope);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.authorizationServer() + "/oauth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"refresh_token\",\"client_id\":\"app\","
                        + "\"client_secret\":\"" + secret + "\",\"refresh_token\":\"" + refreshToken + "\"}"))
                .build();
        return new IssuedRefreshToken(refreshToken, request);
    }

    @Test
    void aRefreshTokenWorksOnceAndComesBackRotated() throws Exception {
        IssuedRefreshToken issued = issueRefreshTokenToANewClient("read:accounts");

        HttpResponse<String> first = send(issued.request());
        HttpResponse<String> second = send(issued.request());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"token_type\":\"Bearer\"", "\"expires_in\":3600",
                "\"scope\":\"read:accounts\"", "\"access_token\":\"blg_oauth_at_", "\"refresh_token\":\"blg_oauth_rt_");
        assertThat(api.isLive(issued.refreshToken())).isFalse();
        assertThat(api.isLive(api.refreshTokens().get(1))).isTrue();
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(second.body()).contains("\"code\":\"INVALID_GRANT\"");
    }

    @Test
    void anAccessTokenNeedsNoCompanyIdAndActsForItsCompany() throws Exception {
        send(issueRefreshTokenToANewClient("read:reports").request());

        HttpResponse<String> response = get("/auth/verify", "Authorization", "Bearer " + api.accessTokens().get(0));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"company_abc123\"", "\"permissions\":[\"read:reports\"]");
    }

    @Test
    void anAccessTokenOfAShortLifetimeSaysSoAndIsRefusedOnceItsClockPassesExpiry() throws Exception {
        FakeClock clock = new FakeClock();
        api.clock(clock).accessTokenLifetime(java.time.Duration.ofSeconds(2));
        HttpResponse<String> refreshed = send(issueRefreshTokenToANewClient("read:accounts").request());
        String bearer = "Bearer " + api.accessTokens().get(0);

        int before = get("/auth/verify", "Authorization", bearer).statusCode();
        clock.advance(java.time.Duration.ofMillis(1999));
        int justBefore = get("/auth/verify", "Authorization", bearer).statusCode();
        clock.advance(java.time.Duration.ofMillis(1));
        HttpResponse<String> expired = get("/auth/verify", "Authorization", bearer);

        assertThat(refreshed.body()).contains("\"expires_in\":2,");
        assertThat(before).isEqualTo(200);
        assertThat(justBefore).isEqualTo(200);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("\"code\":\"UNAUTHORIZED\"");
    }

    @Test
    void aLifetimeUnderASecondOrOfPartSecondsIsRefused() {
        com.bigledger.auth.testing.LeakAssertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> api.accessTokenLifetime(java.time.Duration.ofMillis(1500)))
                .withMessageContaining("PT1.5S");
        com.bigledger.auth.testing.LeakAssertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> api.accessTokenLifetime(java.time.Duration.ZERO))
                .withMessageContaining("PT0S");
    }

    @Test
    void withoutRotationARefreshAnswersWithoutARefreshTokenAndTheOldOneStaysValid() throws Exception {
        api.rotateRefreshTokens(false);
        IssuedRefreshToken issued = issueRefreshTokenToANewClient("read:accounts");

        HttpResponse<String> first = send(issued.request());
        HttpResponse<String> second = send(issued.request());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"token_type\":\"Bearer\"", "\"expires_in\":3600",
                "\"access_token\":\"blg_oauth_at_").doesNotContain("refresh_token");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(api.isLive(issued.refreshToken())).isTrue();
        assertThat(api.refreshTokens()).containsExactly(issued.refreshToken());
    }

    @Test
    void aClientWithoutItsSecretIsRefused() throws Exception {
        api.client("app", Canary.value(""), URI.create("https://yourapp.com/callback"));
        String refreshToken = api.issueRefreshToken(COMPANY, "read:accounts");
        HttpRequest refresh = HttpRequest.newBuilder(URI.create(api.authorizationServer() + "/oauth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"refresh_token\",\"client_id\":\"app\","
                        + "\"refresh_token\":\"" + refreshToken + "\"}"))
                .build();

        HttpResponse<String> response = send(refresh);

        // ASSUMPTION of the double: the document sends client_secret in every token request and shows no error.
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"UNAUTHORIZED\"");
        assertThat(api.isLive(refreshToken)).isTrue();
    }

    @Test
    void anUnknownAccessTokenGetsTheDocumentsOwn401() throws Exception {
        HttpResponse<String> response = get("/auth/verify", "Authorization", "Bearer " + Canary.value("blg_oauth_at_"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"UNAUTHORIZED\","
                + "\"message\":\"Invalid or missing API key\"}}");
    }
}
