package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshTokenStorage}: after the server refused the stored refresh token, a newer one another process
 * stored is read past the vault's cache and used, and kept for the next refresh; the same token, or a store read
 * while a rotated token is still unwritten, is not. It shows where the token lives, never the token.
 */
class RefreshTokenStorageTest extends ManagerFixture {

    private static final long LIFETIME = 3600;

    private final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    private final CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
    /** The refresh tokens the manager presented, in order. */
    private final List<String> presented = new CopyOnWriteArrayList<>();

    @Override
    void afterManagersClosed() {
        vault.close();
    }

    /** Answers with a new access token, and {@code rotated} as the refresh token if given, unless refused. */
    private void answer(Predicate<String> refused, String rotated) {
        endpoint.dispatcher(request -> {
            String refreshToken = request.params().get("refresh_token");
            presented.add(refreshToken);
            if (refused.test(refreshToken)) {
                return Response.oauthError(400, "invalid_grant", "refresh token revoked");
            }
            String access = Canary.value("blg_oauth_at_");
            return rotated == null ? Response.token(access, LIFETIME) : Response.token(access, LIFETIME, rotated);
        });
    }

    private TokenManager manager(CredentialRef ref) {
        OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("storage-test")
                .clientSecret(Canary.secret("cs_")).allowInsecureLoopback(true).build();
        return track(onFakeTime(new TokenListener() {
            @Override
            public void writeBackFailed(String manager, CredentialRef at, RuntimeException e, Duration retryIn) {
                events.add("write-back failed");
            }
        }).client(client).refreshToken(vault, ref).build());
    }

    @Test
    void aRefusedTokenIsReplacedByTheNewerOneAnotherProcessStoredAndThatOneIsKept() throws Exception {
        String ours = Canary.value("blg_oauth_rt_");
        String theirs = Canary.value("blg_oauth_rt_");
        CredentialRef ref = store.put("rt", Secret.of(ours));
        // The vault caches ours; another process then rotates it and stores its newer token.
        vault.resolve(ref);
        store.write(ref, Secret.of(theirs), Optional.empty());
        answer(ours::equals, null);
        TokenManager manager = manager(ref);

        AccessToken first = fetch(manager);
        manager.invalidate(first);
        fetch(manager);

        assertThat(presented).containsExactly(ours, theirs, theirs);
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
    }

    @Test
    void aRefusalWhileTheStoreHoldsTheSameTokenRequiresReauthentication() throws Exception {
        String ours = Canary.value("blg_oauth_rt_");
        CredentialRef ref = store.put("rt", Secret.of(ours));
        answer(ours::equals, null);
        TokenManager manager = manager(ref);

        assertThatThrownBy(() -> fetch(manager)).hasCauseInstanceOf(ReauthenticationRequiredException.class);

        assertThat(presented).containsExactly(ours);
        assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
    }

    @Test
    void aRefusedRotatedTokenNotYetWrittenIsNeverSwappedForTheOlderOneInTheStore() throws Exception {
        String initial = Canary.value("blg_oauth_rt_");
        String rotated = Canary.value("blg_oauth_rt_");
        CredentialRef ref = store.put("rt", Secret.of(initial));
        // The server rotates the initial token, then refuses the rotated one; it would still take the initial one.
        answer(rotated::equals, rotated);
        TokenManager manager = manager(ref);
        vault.resolve(ref);
        store.down(true);
        AccessToken first = fetch(manager);
        assertThat(events).contains("write-back failed");
        // The store is back before the write's retry is due: it still holds the initial token.
        store.down(false);

        manager.invalidate(first);
        assertThatThrownBy(() -> fetch(manager)).hasCauseInstanceOf(ReauthenticationRequiredException.class);

        assertThat(presented).containsExactly(initial, rotated);
        assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
    }

    @Test
    void theStorageShowsWhereTheTokenLivesNeverTheToken() {
        CredentialRef ref = CredentialRef.of("mem", "rt");
        Secret token = Canary.secret("blg_oauth_rt_");

        assertThat(new RefreshTokenStorage(vault, ref, null, false)).hasToString("REFRESH_TOKEN[" + ref + "]");
        assertThat(new RefreshTokenStorage(vault, ref, null, true)).hasToString("RECORD[" + ref + "]");
        assertThat(new RefreshTokenStorage(null, null, token, false).toString())
                .isEqualTo("REFRESH_TOKEN[in memory]").doesNotContain(token.reveal());
    }
}
