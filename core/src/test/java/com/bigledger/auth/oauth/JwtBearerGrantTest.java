package com.bigledger.auth.oauth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.ExtensionGrantIssuer;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JWT bearer grant against {@link ExtensionGrantIssuer}, which verifies each assertion's signature. */
class JwtBearerGrantTest {

    private static final KeyPair RSA = keyPair("RSA", 2048);
    private static final KeyPair EC = ecKeyPair();

    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final ExtensionGrantIssuer issuer = new ExtensionGrantIssuer(3600);

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private static KeyPair keyPair(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private OAuthClient client() {
        return OAuthClient.builder()
                .tokenEndpoint(endpoint.uri())
                .clientId("jwt-client")
                .clientSecret(Canary.secret("cs_"))
                .allowInsecureLoopback(true)
                .build();
    }

    private static TokenSource.Request request(Set<String> scopes) {
        return TokenSource.Request.of(null, null, scopes);
    }

    @Test
    void anRs256AssertionIsSignedWithTheKeyAndCarriesItsClaims() throws Exception {
        FakeClock clock = new FakeClock();
        endpoint.dispatcher(issuer.jwtBearerKey(RSA.getPublic()).jwtBearerAudience(endpoint.uri().toString())
                .clock(clock));
        JwtBearerGrant grant = JwtBearerGrant.builder().client(client()).signingKey(RSA.getPrivate())
                .issuer("svc-issuer").subject("svc-subject").keyId("key-1").clock(clock).build();

        TokenResponse token = grant.fetch(request(Set.of("ledger.read")));

        assertThat(token.accessToken().reveal()).isEqualTo(issuer.accessTokens().get(0));
        RecordedRequest sent = endpoint.takeRequest();
        assertThat(sent.params()).containsEntry("grant_type", JwtBearerGrant.GRANT_TYPE)
                .containsEntry("scope", "ledger.read").containsKey("assertion");
        assertThat(sent.basicCredentials()).map(c -> c.get(0)).contains("jwt-client");
        Map<String, String> claims = issuer.assertionClaims().get(0);
        assertThat(claims).containsEntry("iss", "svc-issuer").containsEntry("sub", "svc-subject")
                .containsEntry("aud", endpoint.uri().toString())
                .containsEntry("iat", Long.toString(clock.instant().getEpochSecond()))
                .containsEntry("exp", Long.toString(clock.instant().plusSeconds(120).getEpochSecond()));
        assertThat(claims.get("jti")).hasSizeGreaterThanOrEqualTo(22);
        assertThat(grant.endpoint()).contains(endpoint.uri());
        assertThat(grant.toString()).contains("RS256", "svc-issuer").doesNotContain(sent.params().get("assertion"));
    }

    @Test
    void es256AssertionsAreInJoseFormAndEachHasItsOwnJti() {
        endpoint.dispatcher(issuer.jwtBearerKey(EC.getPublic()));
        JwtBearerGrant grant = JwtBearerGrant.builder().client(client()).signingKey(EC.getPrivate())
                .issuer("svc").build();

        // Enough signatures that some R or S has its top bit set or a leading zero byte.
        for (int i = 0; i < 40; i++) {
            grant.fetch(request(Set.of()));
        }

        assertThat(issuer.accessTokens()).hasSize(40);
        Set<String> jtis = new HashSet<>();
        issuer.assertionClaims().forEach(claims -> jtis.add(claims.get("jti")));
        assertThat(jtis).hasSize(40);
        assertThat(issuer.assertionClaims().get(0)).containsEntry("sub", "svc");
    }

    @Test
    void anAssertionSignedWithAnotherKeyIsRefusedAsInvalidGrant() {
        endpoint.dispatcher(issuer.jwtBearerKey(keyPair("RSA", 2048).getPublic()));
        JwtBearerGrant grant = JwtBearerGrant.builder().client(client()).signingKey(RSA.getPrivate())
                .issuer("svc").build();

        assertThatThrownBy(() -> grant.fetch(request(Set.of())))
                .isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("invalid_grant");
    }

    @Test
    void aSuppliedAssertionIsAskedForBeforeEachRequestAndSentAsItIs() throws Exception {
        endpoint.dispatcher(request -> FakeTokenEndpoint.Response.token(Canary.value("blg_oauth_at_"), 3600));
        AtomicInteger asked = new AtomicInteger();
        List<String> assertions = List.of(Canary.value("eyJ.a_"), Canary.value("eyJ.b_"));
        JwtBearerGrant grant = JwtBearerGrant.builder().client(client())
                .assertion(() -> Secret.of(assertions.get(asked.getAndIncrement()))).build();

        grant.fetch(request(Set.of()));
        grant.fetch(request(Set.of()));

        assertThat(endpoint.takeRequest().params()).containsEntry("assertion", assertions.get(0));
        assertThat(endpoint.takeRequest().params()).containsEntry("assertion", assertions.get(1));
        assertThat(grant.toString()).doesNotContain(assertions.get(0)).doesNotContain(assertions.get(1));
    }

    @Test
    void aTokenManagerOnTheGrantNeedsNoClientOfItsOwnAndRefreshesWithAFreshAssertion() throws Exception {
        endpoint.dispatcher(issuer.jwtBearerKey(EC.getPublic()));
        FakeClock clock = new FakeClock();
        FakeScheduler scheduler = new FakeScheduler(clock);
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try (TokenManager manager = TokenManager.builder()
                .tokenSource(JwtBearerGrant.builder().client(client()).signingKey(EC.getPrivate()).issuer("svc")
                        .build())
                .clock(clock).scheduler(scheduler).watchdog(Duration.ofHours(2)).build()) {
            Future<AccessToken> first = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
            AccessToken token = scheduler.runUntilDone(first);
            manager.invalidate(token);
            Future<AccessToken> second = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
            assertThat(scheduler.runUntilDone(second)).isNotSameAs(token);
            assertThat(manager.tokenEndpoint()).isEqualTo(endpoint.uri());
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(issuer.assertionClaims()).hasSize(2);
        assertThat(issuer.assertionClaims().get(0).get("jti")).isNotEqualTo(issuer.assertionClaims().get(1).get("jti"));
    }

    @Test
    void builderErrorsNameTheEndpointAndTheOptions() {
        assertThatThrownBy(() -> JwtBearerGrant.builder().signingKey(RSA.getPrivate()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client(OAuthClient)");
        assertThatThrownBy(() -> JwtBearerGrant.builder().client(client()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(endpoint.uri().toString())
                .hasMessageContaining("assertion(Supplier) or signingKey(PrivateKey)");
        assertThatThrownBy(() -> JwtBearerGrant.builder().client(client()).signingKey(RSA.getPrivate()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs issuer(String)");
        assertThatThrownBy(() -> JwtBearerGrant.builder().client(client()).assertion(() -> Secret.of("x"))
                .issuer("svc").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'assertion' conflicts");
        assertThatThrownBy(() -> JwtBearerGrant.builder().signingKey(keyPair("RSA", 1024).getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048 bits");
        assertThatThrownBy(() -> JwtBearerGrant.builder().signingKey(keyPair("DSA", 2048).getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not DSA");
        assertThatThrownBy(() -> JwtBearerGrant.builder().issuer("a").issuer("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'issuer' is set twice");
        assertThatThrownBy(() -> JwtBearerGrant.builder().assertionLifetime(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assertionLifetime");
    }

    @Test
    void aDerSignatureBecomesRAndSOfThirtyTwoBytesEach() throws Exception {
        // R with its top bit set (DER adds a zero byte), S short (DER drops its leading zeros).
        byte[] r = new byte[32];
        r[0] = (byte) 0x80;
        r[31] = 1;
        byte[] der = {0x30, 0x26, 0x02, 0x21, 0x00};
        byte[] tail = {0x02, 0x01, 0x07};
        byte[] input = new byte[der.length + 32 + tail.length];
        System.arraycopy(der, 0, input, 0, der.length);
        System.arraycopy(r, 0, input, der.length, 32);
        System.arraycopy(tail, 0, input, der.length + 32, tail.length);

        byte[] jose = JwtAssertions.joseFromDer(input, 32);

        assertThat(jose).hasSize(64);
        assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(jose, 0, 32))).isEqualTo(new BigInteger(1, r));
        assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(jose, 32, 64))).isEqualTo(BigInteger.valueOf(7));
        assertThatThrownBy(() -> JwtAssertions.joseFromDer(new byte[] {0x30, 0x03, 0x02, 0x01}, 32))
                .isInstanceOf(IllegalArgumentException.class);

        // And the JDK's own P1363 form agrees, for a real signature.
        Signature der256 = Signature.getInstance("SHA256withECDSA");
        der256.initSign(EC.getPrivate());
        der256.update(new byte[] {1, 2, 3});
        Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
        p1363.initVerify(EC.getPublic());
        p1363.update(new byte[] {1, 2, 3});
        assertThat(p1363.verify(JwtAssertions.joseFromDer(der256.sign(), 32))).isTrue();
    }
}
