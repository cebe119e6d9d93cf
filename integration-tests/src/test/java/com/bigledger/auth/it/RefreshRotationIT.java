package com.bigledger.auth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.Pkce;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.store.aws.Moto;
import com.bigledger.auth.store.vault.VaultDouble;
import com.bigledger.auth.testing.Canary;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's grant end to end: authorization code with PKCE driven without a person, exchanged, then refreshed with
 * rotation through {@link TokenManager}, each new refresh token written back to AWS Secrets Manager
 * ({@code moto_server}) or to the Vault double before the access token is handed out, and the old one refused by
 * the server with {@code invalid_grant}.
 */
class RefreshRotationIT {

    private static final int ROTATIONS = 50;
    private static final Set<String> SCOPES = Set.of("api.read");

    private static AuthServer server;
    private static Moto moto;
    private static VaultDouble vault;

    @BeforeAll
    static void start() throws Exception {
        server = AuthServer.shared();
        if (Moto.installed()) {
            moto = Moto.start();
        }
        vault = VaultDouble.start(Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    @Test
    void authorizationCodeWithPkceIsExchangedForTokensTheServerAccepts() throws Exception {
        OAuthClient client = server.client("tm-client").build();
        TokenResponse tokens = logIn(client);

        assertThat(server.isActive(tokens.accessToken())).isTrue();
        assertThat(tokens.refreshToken()).isPresent();
        assertThat(server.isActive(tokens.refreshToken().get())).isTrue();
        assertThat(tokens.scopes()).contains("api.read");
    }

    @Test
    void aWrongVerifierIsRefusedWithInvalidGrant() throws Exception {
        OAuthClient client = server.client("tm-client").build();
        AuthorizationRequest request = request();
        URI callback = new Browser().authorize(server, request);
        String code = AuthorizationResponse.parse(callback, request).code();

        ReauthenticationRequiredException refused = catchThrowableOfType(ReauthenticationRequiredException.class,
                () -> client.exchangeCode(code, AuthServer.REDIRECT_URI, Pkce.create().verifier()));

        assertThat(refused).isNotNull();
        assertThat(refused.errorCode()).contains("invalid_grant");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aws-sm", "vault"})
    void fiftyRotationsAreEachWrittenBackAndTheOldTokenIsRefused(String store) throws Exception {
        OAuthClient client = server.client("tm-client").build();
        Secret initial = logIn(client).refreshToken().orElseThrow();
        String name = "it/rotation-" + UUID.randomUUID();
        CredentialRef ref;
        if (store.equals("aws-sm")) {
            Moto.assumeInstalled();
            moto.client().createSecret(r -> r.name(name)
                    .secretString("{\"refresh_token\":\"" + initial.reveal() + "\"}"));
            ref = CredentialRef.parse("aws-sm:" + name + "#refresh_token");
        } else {
            vault.put(name, "refresh_token", initial.reveal());
            ref = CredentialRef.parse("vault:secret/" + name + "#refresh_token");
        }
        Events events = new Events();
        List<Secret> stored = new ArrayList<>();
        stored.add(initial);
        int refusedOld = 0;
        try (CredentialSource source = store.equals("aws-sm") ? moto.source() : vault.source();
                CredentialSource reader = store.equals("aws-sm") ? moto.source() : vault.source();
                CredentialVault credentials = CredentialVault.builder().source(source).discoverSources(false)
                        .build();
                TokenManager manager = TokenManager.builder()
                        .client(client)
                        .refreshToken(credentials, ref)
                        .addListener(events)
                        .build()) {
            AccessToken token = manager.token();
            for (int i = 0; i < ROTATIONS; i++) {
                Canary.remember(token.reveal());
                assertThat(server.isActive(token.value())).as("access token %d accepted", i).isTrue();
                // The store already holds the refresh token of this access token's response.
                Secret inStore = reader.load(ref).secret();
                Canary.remember(inStore.reveal());
                assertThat(inStore).as("rotation %d stored", i).isNotEqualTo(stored.get(stored.size() - 1));
                stored.add(inStore);
                Secret previous = stored.get(stored.size() - 2);
                ReauthenticationRequiredException refused = catchThrowableOfType(
                        ReauthenticationRequiredException.class, () -> client.refresh(previous, SCOPES));
                if (refused != null && refused.errorCode().orElse("").equals("invalid_grant")) {
                    refusedOld++;
                }
                manager.invalidate(token);
                token = manager.token();
            }
            Secret last = reader.load(ref).secret();
            Canary.remember(last.reveal());
            assertThat(server.isActive(last)).as("the stored refresh token is live").isTrue();
            stored.add(last);
        }
        assertThat(refusedOld).as("superseded refresh tokens refused with invalid_grant").isEqualTo(ROTATIONS);
        assertThat(new HashSet<>(stored)).as("every stored refresh token distinct").hasSize(stored.size());
        assertThat(events.rotated.get()).as("rotations").isGreaterThanOrEqualTo(ROTATIONS + 1);
        assertThat(events.writtenBack.get()).as("rotated tokens written back, none lost")
                .isEqualTo(events.rotated.get());
        assertThat(events.writeBackFailures.get()).isZero();
        assertThat(events.conflicts.get()).isZero();
        assertThat(events.reauthentications).isEmpty();
    }

    private static AuthorizationRequest request() {
        return AuthorizationRequest.builder()
                .authorizationEndpoint(server.authorizationEndpoint())
                .clientId("tm-client")
                .redirectUri(AuthServer.REDIRECT_URI)
                .scopes(SCOPES)
                .pkce(Pkce.create())
                .allowInsecureLoopback(true)
                .build();
    }

    private static TokenResponse logIn(OAuthClient client) throws Exception {
        return Browser.logIn(server, client, "tm-client");
    }
}
