package com.bigledger.auth.api;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenManagerBuilder;
import com.bigledger.auth.TokenManagers;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.bigledger.BigLedgerHeaders;
import com.bigledger.auth.bigledger.VerifyResult;
import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.JwtBearerGrant;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenExchangeGrant;
import com.bigledger.auth.oauth.TokenSource;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.spi.BuilderOptions;
import com.bigledger.auth.spi.ReferenceOptions;
import com.bigledger.auth.spi.RefreshingCredential;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import com.bigledger.auth.testing.NullChecks;
import com.bigledger.auth.testing.PublicTypes;
import com.google.common.testing.NullPointerTester;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public constructor and method of core, including {@code internal} (public on the class path), rejects a
 * {@code null} argument with a {@link NullPointerException}, except the parameters listed in {@link #NULLABLE},
 * whose Javadoc says "or {@code null}". Interfaces are callbacks and SPIs that users implement: only their static
 * methods are checked.
 */
class PublicApiNullChecksTest {

    private static final URI ENDPOINT = URI.create("https://auth.example.test/token");

    /** Parameters documented as accepting {@code null}: "Type(params)#index", the index from zero. */
    private static final Set<String> NULLABLE = Set.of(
            // A cause, where the Javadoc says "or null".
            "CredentialException(Kind,CredentialRef,String,Throwable)#3",
            "SourceUnavailableException(CredentialRef,String,Throwable)#2",
            "BigLedgerAuthException(String,Throwable,boolean)#1",
            "TokenRefreshException(URI,String,Throwable,boolean)#2",
            "TokenRefreshException(URI,int,String,String,Duration,String,Throwable,boolean)#2",
            "TokenRefreshException(URI,int,String,String,Duration,String,Throwable,boolean)#3",
            "TokenRefreshException(URI,int,String,String,Duration,String,Throwable,boolean)#4",
            "TokenRefreshException(URI,int,String,String,Duration,String,Throwable,boolean)#6",
            "ReauthenticationRequiredException(URI,int,String,String,String)#2",
            "ReauthenticationRequiredException(URI,int,String,String,String)#3",
            "ReauthenticationRequiredException(URI,String,Throwable)#2",
            "InvalidTokenResponseException(URI,int,String,Secret)#3",
            "AuthorizationException(URI,String,String,String)#1",
            "AuthorizationException(URI,String,String,String)#2",
            "BigLedgerApiException(URI,int,String,String,String,Throwable,boolean)#2",
            "BigLedgerApiException(URI,int,String,String,String,Throwable,boolean)#3",
            "BigLedgerApiException(URI,int,String,String,String,Throwable,boolean)#5",
            "ForbiddenException(URI,int,String,String,String)#2",
            "ForbiddenException(URI,int,String,String,String)#3",
            "InvalidCompanyException(URI,int,String,String,String)#2",
            "InvalidCompanyException(URI,int,String,String,String)#3",
            "UnauthorizedException(URI,int,String,String,String)#2",
            "UnauthorizedException(URI,int,String,String,String)#3",
            // Values that may be absent.
            "Request.of(AccessToken,Secret,Set)#0",
            "Request.of(AccessToken,Secret,Set)#1",
            "WriteResult.written(String)#0",
            "WriteResult.conflict(String)#0",
            "VerifyResult(boolean,Company,List)#1",
            "ServerText.description(String)#0",
            "ServerText.code(String)#0",
            // A parser's message, which may be absent.
            "EnvironmentSettings.withoutValue(String,String)#0",
            // A builder option's value so far, absent while it is not set.
            "Options.once(Object,String)#0",
            "Options.set(Object,String,Object)#0",
            // The value shown in the message, which may be absent.
            "Options.shown(Object)#0",
            "BuilderOptions.once(String,Object)#1");

    private static final Map<Class<?>, Supplier<?>> SAMPLES = Map.ofEntries(
            Map.entry(Secret.class, () -> Canary.secret("null_check_")),
            Map.entry(CredentialRef.class, () -> CredentialRef.parse("env://NULL_CHECK")),
            Map.entry(CredentialVault.class, PublicApiNullChecksTest::vault),
            Map.entry(CredentialVault.Builder.class, CredentialVault::builder),
            Map.entry(TokenManagerBuilder.class, TokenManager::builder),
            Map.entry(com.bigledger.auth.RetrySettings.class, com.bigledger.auth.RetrySettings::defaults),
            Map.entry(com.bigledger.auth.CircuitBreakerSettings.class,
                    com.bigledger.auth.CircuitBreakerSettings::defaults),
            Map.entry(TokenManagers.Builder.class, TokenManagers::builder),
            Map.entry(OAuthClient.class, PublicApiNullChecksTest::oauthClient),
            Map.entry(OAuthClient.Builder.class, OAuthClient::builder),
            Map.entry(TokenResponse.Builder.class, TokenResponse::builder),
            Map.entry(TokenSource.Request.class, () -> TokenSource.Request.of(null, null, Set.of())),
            Map.entry(JwtBearerGrant.class, () -> JwtBearerGrant.builder().client(oauthClient())
                    .assertion(() -> Canary.secret("eyJ.null_check_")).build()),
            Map.entry(JwtBearerGrant.Builder.class, JwtBearerGrant::builder),
            Map.entry(TokenExchangeGrant.class, () -> TokenExchangeGrant.builder().client(oauthClient())
                    .subjectToken(() -> Canary.secret("null_check_"), TokenExchangeGrant.ACCESS_TOKEN_TYPE).build()),
            Map.entry(TokenExchangeGrant.Builder.class, TokenExchangeGrant::builder),
            Map.entry(AuthorizationRequest.Builder.class, AuthorizationRequest::builder),
            Map.entry(BigLedgerAuth.class, PublicApiNullChecksTest::auth),
            Map.entry(BigLedgerAuth.Builder.class, BigLedgerAuth::builder),
            Map.entry(BigLedgerHttpClient.Builder.class, () -> BigLedgerHttpClient.builder(auth())),
            Map.entry(BigLedgerOAuth.Builder.class, BigLedgerOAuth::builder),
            Map.entry(BigLedgerOAuth.class, () -> BigLedgerOAuth.builder().clientId("app")
                    .clientSecret(Canary.secret("")).redirectUri(URI.create("https://app.example.test/callback"))
                    .build()),
            Map.entry(VerifyResult.class, () -> new VerifyResult(true, null, List.of("read:accounts"))),
            Map.entry(BigLedgerHeaders.class, () -> auth().headers()),
            Map.entry(BigLedgerHttpClient.class, () -> BigLedgerHttpClient.create(auth())),
            Map.entry(TokenManager.class, () -> TokenManager.builder().client(oauthClient()).clientCredentials()
                    .clock(new FakeClock()).scheduler(new FakeScheduler(new FakeClock())).build()),
            Map.entry(TokenManagers.class, () -> TokenManagers.builder().client(oauthClient())
                    .tokenRecord(vault(), "mem:tenants/{tenant}/bigledger").clock(new FakeClock())
                    .scheduler(new FakeScheduler(new FakeClock())).build()),
            Map.entry(RefreshingValue.class, () -> refreshingValue().build()),
            Map.entry(com.bigledger.auth.internal.ExecutorScheduler.class, Scheduler::systemDefault),
            Map.entry(com.bigledger.auth.internal.SerialNotifier.class,
                    () -> new com.bigledger.auth.internal.SerialNotifier("null-check", Scheduler.systemDefault())),
            Map.entry(RefreshingValue.Builder.class, PublicApiNullChecksTest::refreshingValue),
            Map.entry(ReferenceOptions.class, () -> ReferenceOptions.builder("null-check").option("mode").build()),
            Map.entry(ReferenceOptions.Builder.class, () -> ReferenceOptions.builder("null-check")),
            Map.entry(RefreshingCredential.class, () -> refreshingCredential().build()),
            Map.entry(RefreshingCredential.Builder.class, PublicApiNullChecksTest::refreshingCredential),
            Map.entry(EnvironmentSettings.class, () -> EnvironmentSettings.of(Map.of("NULL_CHECK", "value"))),
            Map.entry(BuilderOptions.class, () -> new BuilderOptions("NullCheck")));

    @TestFactory
    Stream<DynamicTest> everyPublicConstructorAndMethodRejectsNull() {
        NullPointerTester tester = tester();
        return NullChecks.forModuleOf(CredentialRef.class, NULLABLE, SAMPLES,
                tester::testConstructorParameter, tester::testMethodParameter);
    }

    private static NullPointerTester tester() {
        return new NullPointerTester()
                .setDefault(int.class, 200)
                .setDefault(Secret.class, Canary.secret("null_check_"))
                .setDefault(CredentialRef.class, CredentialRef.parse("env://NULL_CHECK"))
                .setDefault(CredentialVault.class, vault())
                .setDefault(Backoff.class, Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, 0))
                .setDefault(AuthorizationRequest.class, AuthorizationRequest.builder().authorizationEndpoint(
                        URI.create("https://auth.example.test/authorize")).clientId("app")
                        .redirectUri(URI.create("https://app.example.test/callback")).build())
                .setDefault(VerifyResult.Company.class, new VerifyResult.Company("company_null_check",
                        Optional.empty(), Optional.empty()))
                .setDefault(HttpRequest.class, HttpRequest.newBuilder(ENDPOINT).build())
                .setDefault(Duration.class, Duration.ofSeconds(1))
                .setDefault(Instant.class, Instant.EPOCH)
                .setDefault(AccessToken.class, new AccessToken(Canary.secret("null_check_"), Instant.EPOCH, Set.of()))
                .setDefault(Clock.class, new FakeClock())
                .setDefault(URI.class, ENDPOINT);
    }

    private static CredentialVault vault() {
        return CredentialVault.builder().source(new InMemoryCredentialSource("mem")).build();
    }

    private static OAuthClient oauthClient() {
        return OAuthClient.builder().tokenEndpoint(ENDPOINT).clientId("null-check").build();
    }

    private static BigLedgerAuth auth() {
        return BigLedgerAuth.builder().apiKey(Canary.secret("blg_live_sk_")).companyId("company_null_check")
                .build();
    }

    private static RefreshingValue.Builder<String> refreshingValue() {
        FakeClock clock = new FakeClock();
        return RefreshingValue.<String>builder("null-check",
                previous -> RefreshingValue.Loaded.of("value", clock.instant().plusSeconds(60),
                        clock.instant().plusSeconds(120)))
                .clock(clock).scheduler(new FakeScheduler(clock));
    }

    private static RefreshingCredential.Builder<String> refreshingCredential() {
        FakeClock clock = new FakeClock();
        return RefreshingCredential.<String>builder("null-check", previous -> "value",
                        value -> clock.instant().plusSeconds(60), value -> clock.instant().plusSeconds(120))
                .clock(clock).scheduler(new FakeScheduler(clock));
    }
}
