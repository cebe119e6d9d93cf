package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the BigLedger document allows something, the library allows it too: checked against the API double. */
class BigLedgerProfileTest extends BigLedgerApiFixture {

    private static final String VERIFY = "/v1/auth/verify";
    private static final String TOKEN = "/oauth/token";

    private BigLedgerAuth fromEnvironment(Map<String, String> variables) {
        return BigLedgerAuth.builder().fromEnvironment(variables).vault(vault).baseUrl(api.baseUrl())
                .allowInsecureLoopback(true).build();
    }

    @Test
    void aCompanyIdOfAnotherShapeThanTheExampleIsSentAsItIs() {
        // The document shows company_abc123 and states no rule: an id of another shape must not stop a service.
        String companyId = "acme-corp.42";
        api.company(companyId, "Acme Corp", "starter");
        String key = api.issueApiKey(companyId, "read:accounts");

        BigLedgerAuth auth = fromEnvironment(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", companyId));
        VerifyResult result = BigLedgerHttpClient.create(auth).verify();

        assertThat(result.company().orElseThrow().id()).isEqualTo(companyId);
        assertThat(api.requests("/v1/auth/verify").get(0).header("X-Company-Id")).contains(companyId);
    }

    @Test
    void aCompanyIdWithSurroundingWhitespaceIsSentTrimmedAndPassesTheSettingsReaderAlike() {
        String key = api.issueApiKey(COMPANY, "read:accounts");
        Map<String, String> variables = Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", " " + COMPANY + " \n",
                "BIGLEDGER_ENVIRONMENT", "production ");

        BigLedgerSettings settings = BigLedgerSettings.read(variables, () -> vault);
        VerifyResult result = BigLedgerHttpClient.create(fromEnvironment(variables)).verify();

        assertThat(settings.problems()).isEmpty();
        assertThat(settings.warnings()).isEmpty();
        assertThat(settings.companyIdValue()).contains(COMPANY);
        assertThat(result.company().orElseThrow().id()).isEqualTo(COMPANY);
        assertThat(api.requests("/v1/auth/verify").get(0).header("X-Company-Id")).contains(COMPANY);
    }

    @Test
    void aCompanyIdThatCannotBeAHeaderValueIsRefusedByTheReaderAndTheLibraryAlike() {
        Map<String, String> variables = Map.of("BIGLEDGER_API_KEY", api.issueApiKey(COMPANY),
                "BIGLEDGER_COMPANY_ID", "company abc");

        BigLedgerSettings settings = BigLedgerSettings.read(variables, () -> vault);
        Throwable thrown = com.bigledger.auth.testing.LeakAssertions.catchThrowable(() -> fromEnvironment(variables));

        assertThat(settings.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ConfigProblem.Kind.COMPANY_ID_MALFORMED);
            assertThat(p.message()).startsWith("BIGLEDGER_COMPANY_ID: ").contains("whitespace")
                    .doesNotContain("company abc");
        });
        assertThat(thrown).isInstanceOf(BigLedgerConfigurationException.class);
        assertThat(((BigLedgerConfigurationException) thrown).problems()).isEqualTo(settings.problems());
        assertThat(api.requests()).isEmpty();
    }

    private BigLedgerOAuth.Builder oauth() {
        return BigLedgerOAuth.builder().authorizationServer(api.authorizationServer()).allowInsecureLoopback(true)
                .clientId("my-app").redirectUri(CALLBACK).userAgent("ProfileTest/1.0");
    }

    @Test
    void aClientWithoutASecretIsRefusedUnlessDeclaredPublic() {
        // The document sends client_secret in every token request.
        assertThatThrownBy(() -> oauth().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientSecret")
                .hasMessageContaining("publicClient(true)");
        assertThatThrownBy(() -> oauth().publicClient(true).clientSecret(Canary.secret("")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("conflicts");

        BigLedgerOAuth confidential = oauth().clientSecret(Canary.secret("")).build();
        BigLedgerOAuth declaredPublic = oauth().publicClient(true).build();

        assertThat(confidential.client().clientAuthentication())
                .isEqualTo(com.bigledger.auth.oauth.ClientAuthentication.CLIENT_SECRET_POST);
        assertThat(declaredPublic.client().clientAuthentication())
                .isEqualTo(com.bigledger.auth.oauth.ClientAuthentication.NONE);
        String refreshToken = api.issueRefreshToken(COMPANY, "read:accounts");
        // The double, like the document, knows only confidential clients: a public client is refused (ASSUMPTION).
        assertThatThrownBy(() -> declaredPublic.client().refresh(Secret.of(refreshToken), Set.of()))
                .isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("HTTP 401");
        assertThat(api.requests(TOKEN).get(0).params()).doesNotContainKey("client_secret")
                .containsEntry("client_id", "my-app");
    }

    @Test
    void aTokenResponseWithoutExpiresInLastsTheDocumentsHour() {
        String secret = Canary.value("");
        api.client("my-app", secret, CALLBACK);
        api.enqueue(TOKEN, Response.json(200, "{\"access_token\":\"" + Canary.value("blg_oauth_at_")
                + "\",\"token_type\":\"Bearer\",\"scope\":\"read:accounts\"}"));
        BigLedgerOAuth oauth = oauth().clientSecret(Secret.of(secret)).build();

        TokenResponse response = oauth.client().refresh(Secret.of(api.issueRefreshToken(COMPANY)), Set.of());

        assertThat(response.expiresIn()).isEqualTo(Duration.ofHours(1)).isEqualTo(BigLedgerOAuth.ACCESS_TOKEN_LIFETIME);
    }

    @Test
    void aGenericOAuthClientStillRefusesAResponseWithoutExpiresIn() {
        api.enqueue(TOKEN, Response.json(200, "{\"access_token\":\"" + Canary.value("blg_oauth_at_")
                + "\",\"token_type\":\"Bearer\"}"));
        OAuthClient generic = OAuthClient.builder().tokenEndpoint(URI.create(api.authorizationServer() + TOKEN))
                .allowInsecureLoopback(true).clientId("my-app").clientSecret(Canary.secret(""))
                .requestFormat(RequestFormat.JSON).build();

        assertThatThrownBy(() -> generic.refresh(Canary.secret("blg_oauth_rt_"), Set.of()))
                .isInstanceOf(InvalidTokenResponseException.class)
                .hasMessageContaining("no expires_in");
    }

    @Test
    void a422WithoutTheEnvelopeIsStillAnInvalidCompanyError() {
        String key = api.issueApiKey(COMPANY, "read:accounts");
        api.enqueue(VERIFY, Response.body(422, "text/plain", "Unprocessable Entity"));
        BigLedgerAuth auth = BigLedgerAuth.builder().baseUrl(api.baseUrl()).allowInsecureLoopback(true)
                .apiKey(Secret.of(key)).companyId(COMPANY).userAgent("ProfileTest/1.0").build();

        InvalidCompanyException e = catchThrowableOfType(InvalidCompanyException.class,
                () -> BigLedgerHttpClient.create(auth).verify());

        assertThat(e).isNotNull();
        assertThat(e.httpStatus()).hasValue(422);
        assertThat(e.code()).isEmpty();
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("X-Company-Id", "not the BigLedger error envelope (text/plain")
                .doesNotContain("Unprocessable");
    }

    @Test
    void a403NamesTheIpAllowListAmongItsCauses() {
        api.company("company_other", "Other Ltd", "starter");
        String key = api.issueApiKey(COMPANY, "read:accounts");
        BigLedgerAuth auth = BigLedgerAuth.builder().baseUrl(api.baseUrl()).allowInsecureLoopback(true)
                .apiKey(Secret.of(key)).companyId("company_other").userAgent("ProfileTest/1.0").build();

        ForbiddenException e = catchThrowableOfType(ForbiddenException.class,
                () -> BigLedgerHttpClient.create(auth).verify());

        assertThat(e).isNotNull();
        assertThat(e.code()).contains("FORBIDDEN");
        assertThat(e.getMessage()).contains("scopes", "permissions", "company", "IP allow-list",
                "Settings > API Keys");
    }

    @ParameterizedTest(name = "the server rotates refresh tokens: {0}")
    @ValueSource(booleans = {true, false})
    void refreshWorksWhetherOrNotTheServerRotatesRefreshTokens(boolean rotates) {
        // The document does not say whether refresh tokens rotate: the library must work both ways.
        api.rotateRefreshTokens(rotates);
        String secret = Canary.value("");
        api.client("my-app", secret, CALLBACK);
        String issued = api.issueRefreshToken(COMPANY, "read:accounts");
        CredentialRef ref = store.put("bigledger/refresh-token", Secret.of(issued));
        BigLedgerOAuth oauth = oauth().clientSecret(Secret.of(secret)).build();

        try (TokenManager tokens = oauth.tokenManager().refreshToken(vault, ref).build()) {
            BigLedgerHttpClient client = BigLedgerHttpClient.create(BigLedgerAuth.builder().baseUrl(api.baseUrl())
                    .allowInsecureLoopback(true).tokenManager(tokens).userAgent("ProfileTest/1.0").build());
            AccessToken first = tokens.token();
            assertThat(client.verify().company().orElseThrow().id()).isEqualTo(COMPANY);
            tokens.invalidate(first);
            AccessToken second = tokens.token();

            assertThat(second.reveal()).isNotEqualTo(first.reveal());
            assertThat(client.verify().permissions()).containsExactly("read:accounts");
            assertThat(api.requests(TOKEN)).hasSize(2);
            String stored = store.load(ref).secret().reveal();
            if (rotates) {
                // Each answer carried a new refresh token; the last one is in the store, the first is retired.
                assertThat(api.refreshTokens()).hasSize(3);
                assertThat(stored).isEqualTo(api.refreshTokens().get(2));
                assertThat(api.isLive(issued)).isFalse();
            } else {
                // No refresh token came back: the one in the store is used again and left as it was.
                assertThat(api.refreshTokens()).containsExactly(issued);
                assertThat(stored).isEqualTo(issued);
                assertThat(api.requests(TOKEN)).allSatisfy(r -> assertThat(r.params())
                        .containsEntry("refresh_token", issued));
            }
        }
    }
}
