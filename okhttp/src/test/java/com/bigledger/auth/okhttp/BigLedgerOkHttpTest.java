package com.bigledger.auth.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.examples.OkHttpAccounts;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RotatingIssuer;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BigLedgerOkHttpTest {

    private static final String COMPANY = "company_abc123";
    private static final String OK = "{\"success\":true,\"data\":[]}";
    private static final String UNAUTHORIZED = "{\"success\":false,\"error\":{\"code\":\"UNAUTHORIZED\","
            + "\"message\":\"Invalid or missing API key\"}}";

    private final MockWebServer api = new MockWebServer();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final FakeTokenEndpoint tokenEndpoint = FakeTokenEndpoint.start();
    private final String clientSecret = Canary.value("cs_");
    private final RotatingIssuer issuer = new RotatingIssuer("okhttp-client", clientSecret, 3600);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        tokenEndpoint.dispatcher(issuer);
        api.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        api.close();
        tokenEndpoint.close();
    }

    /** The API answers 200 to requests whose Authorization header passes {@code accepted}, 401 to others. */
    private void accept(Predicate<String> accepted) {
        api.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                String authorization = String.valueOf(request.getHeaders().get("Authorization"));
                return accepted.test(authorization) ? json(200, OK) : json(401, UNAUTHORIZED);
            }
        });
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private BigLedgerAuth.Builder local() {
        return BigLedgerAuth.builder().baseUrl(api.url("/v1").uri()).allowInsecureLoopback(true);
    }

    private TokenManager tokenManager() {
        TokenManager tokens = TokenManager.builder()
                .client(OAuthClient.builder().tokenEndpoint(tokenEndpoint.uri()).clientId("okhttp-client")
                        .clientSecret(Secret.of(clientSecret)).allowInsecureLoopback(true).build())
                .clientCredentials()
                .build();
        closeables.add(tokens);
        return tokens;
    }

    private static OkHttpClient client(BigLedgerAuth auth) {
        return BigLedgerOkHttp.configure(new OkHttpClient.Builder(), auth).build();
    }

    private Request get(String path) {
        return new Request.Builder().url(api.url("/v1" + path)).build();
    }

    private static int call(OkHttpClient http, Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return response.code();
        }
    }

    private List<String> sentAuthorizations() {
        List<String> sent = new ArrayList<>();
        for (RecordedRequest request : received) {
            sent.add(request.getHeaders().get("Authorization"));
        }
        return sent;
    }

    @Test
    void requestsUnderTheBaseUrlCarryTheBigLedgerHeadersAndKeepTheirContentType() throws IOException {
        String key = Canary.value("blg_live_sk_");
        accept(a -> a.equals("Bearer " + key));
        BigLedgerAuth auth = local().apiKey(Secret.of(key)).companyId(COMPANY).userAgent("MyApp/1.0.0").build();
        Request post = new Request.Builder().url(api.url("/v1/invoices"))
                .post(RequestBody.create("a=b", MediaType.get("application/x-www-form-urlencoded"))).build();

        assertThat(call(client(auth), post)).isEqualTo(200);

        RecordedRequest request = received.get(0);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + key);
        assertThat(request.getHeaders().get("X-Company-Id")).isEqualTo(COMPANY);
        assertThat(request.getHeaders().get("User-Agent")).startsWith("MyApp/1.0.0 bigledger-auth-java/");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void requestsElsewhereThanTheBaseUrlCarryNoCredential() throws IOException {
        String key = Canary.value("blg_live_sk_");
        accept(a -> true);
        BigLedgerAuth auth = local().apiKey(Secret.of(key)).companyId(COMPANY).build();

        // Same server, but outside /v1: not the API.
        assertThat(call(client(auth), new Request.Builder().url(api.url("/v2/accounts")).build())).isEqualTo(200);
        assertThat(call(client(auth), new Request.Builder().url(api.url("/v1/../admin")).build())).isEqualTo(200);

        assertThat(received).hasSize(2);
        assertThat(sentAuthorizations()).containsOnlyNulls();
        assertThat(received.get(0).getHeaders().get("X-Company-Id")).isNull();
    }

    @Test
    void aRefusedTokenIsInvalidatedAndTheRequestRetriedOnceWithTheNewOne() throws IOException {
        BigLedgerAuth auth = local().tokenManager(tokenManager()).build();
        String first = auth.headers().authorization();
        accept(a -> !a.equals(first));

        assertThat(call(client(auth), get("/accounts"))).isEqualTo(200);

        assertThat(issuer.accessTokens()).hasSize(2);
        assertThat(sentAuthorizations()).containsExactly(first, "Bearer " + issuer.accessTokens().get(1));
    }

    @Test
    void a401ToTheRetryIsReturnedWithoutLooping() throws IOException {
        BigLedgerAuth auth = local().tokenManager(tokenManager()).build();
        accept(a -> false);

        assertThat(call(client(auth), get("/accounts"))).isEqualTo(401);

        assertThat(received).hasSize(2);
        assertThat(issuer.accessTokens()).hasSize(2);
    }

    @Test
    void sixtyFourConcurrent401sForOneTokenCauseOneRefresh() throws Exception {
        int calls = 64;
        BigLedgerAuth auth = local().tokenManager(tokenManager()).build();
        String first = auth.headers().authorization();
        CountDownLatch allRefused = new CountDownLatch(calls);
        // Every call reaches the API with the first token before any of them is answered.
        api.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                received.add(request);
                if (!first.equals(request.getHeaders().get("Authorization"))) {
                    return json(200, OK);
                }
                allRefused.countDown();
                return allRefused.await(60, TimeUnit.SECONDS) ? json(401, UNAUTHORIZED)
                        : json(500, "{\"not\":\"all calls arrived\"}");
            }
        });
        OkHttpClient http = client(auth);
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        List<Integer> codes = new ArrayList<>();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                results.add(threads.submit(() -> call(http, get("/accounts"))));
            }
            for (Future<Integer> result : results) {
                codes.add(result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(codes).hasSize(calls).containsOnly(200);
        assertThat(issuer.accessTokens()).hasSize(2);
        assertThat(tokenEndpoint.requestCount()).isEqualTo(2);
        String second = "Bearer " + issuer.accessTokens().get(1);
        assertThat(sentAuthorizations()).hasSize(2 * calls)
                .filteredOn(first::equals).hasSize(calls);
        assertThat(sentAuthorizations()).filteredOn(second::equals).hasSize(calls);
    }

    @Test
    void anApiKeyGivenAsAValueIsNotRetried() throws IOException {
        BigLedgerAuth auth = local().apiKey(Canary.secret("blg_live_sk_")).companyId(COMPANY).build();
        accept(a -> false);

        assertThat(call(client(auth), get("/accounts"))).isEqualTo(401);

        assertThat(received).hasSize(1);
    }

    @Test
    void anApiKeyKeptInAStoreIsReloadedAfterA401() throws IOException {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        String oldKey = Canary.value("blg_live_sk_");
        String newKey = Canary.value("blg_live_sk_");
        CredentialRef ref = store.put("bigledger/api_key", Secret.of(oldKey));
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        closeables.add(vault);
        BigLedgerAuth auth = local().apiKey(vault, ref).companyId(COMPANY).build();
        auth.headers();
        store.put("bigledger/api_key", Secret.of(newKey));
        accept(a -> a.equals("Bearer " + newKey));

        assertThat(call(client(auth), get("/accounts"))).isEqualTo(200);

        assertThat(sentAuthorizations()).containsExactly("Bearer " + oldKey, "Bearer " + newKey);
    }

    @Test
    void theAuthenticatorAloneRecognizesTheCredentialByItsHeader() throws IOException {
        BigLedgerAuth auth = local().tokenManager(tokenManager()).build();
        String first = auth.headers().authorization();
        accept(a -> a.startsWith("Bearer ") && !a.equals(first));
        OkHttpClient http = new OkHttpClient.Builder().authenticator(BigLedgerAuthenticator.of(auth)).build();

        assertThat(call(http, get("/accounts").newBuilder().header("Authorization", first).build())).isEqualTo(200);
        assertThat(call(http, get("/accounts"))).isEqualTo(401);

        assertThat(issuer.accessTokens()).hasSize(2);
        assertThat(sentAuthorizations()).containsExactly(first, "Bearer " + issuer.accessTokens().get(1), null);
    }

    @Test
    void theReadmeExampleCallsTheApiWithATokenAndRetriesAfterA401() throws IOException {
        BigLedgerAuth auth = local().tokenManager(tokenManager()).build();
        String first = auth.headers().authorization();
        accept(a -> a.startsWith("Bearer ") && !a.equals(first));

        assertThat(OkHttpAccounts.list(auth)).isEqualTo(OK);

        assertThat(sentAuthorizations()).containsExactly(first, "Bearer " + issuer.accessTokens().get(1));
    }

    @Test
    void aCredentialThatCannotBeObtainedFailsTheCallWithATypedCauseAndNoSecret() {
        tokenEndpoint.dispatcher(r -> FakeTokenEndpoint.Response.oauthError(401, "invalid_client", "bad client"));
        BigLedgerAuth auth = local().tokenManager(tokenManager()).build();
        accept(a -> true);

        IOException e = catchThrowableOfType(IOException.class, () -> call(client(auth), get("/accounts?q=x")));

        assertThat(e).hasMessageStartingWith("No BigLedger credential for GET " + api.url("/v1/accounts"))
                .hasMessageNotContaining("q=x")
                .hasCauseInstanceOf(ReauthenticationRequiredException.class);
        assertThat(Canary.leaksIn(e.getMessage())).isFalse();
        assertThat(received).isEmpty();
    }
}
