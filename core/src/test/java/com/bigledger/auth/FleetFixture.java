package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint.RotatingIssuer;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.util.function.Function;

/**
 * What the fleet-mode tests share, beyond the {@link ManagerFixture}: a rotating issuer behind the endpoint that knows
 * one client, and the token record at {@code mem:token_record} in an in-memory compare-and-set store, seen through
 * whatever source a test puts around it, in a vault closed once the managers are.
 *
 * @param <S> the source the vault reads: the in-memory store, or a scripted one around it
 */
abstract class FleetFixture<S extends CredentialSource> extends ManagerFixture {

    static final long LIFETIME = 3600;
    static final String CLIENT_ID = "fleet-client";

    final String clientSecret = Canary.value("cs_");
    final RotatingIssuer issuer = new RotatingIssuer(CLIENT_ID, clientSecret, LIFETIME);
    final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    final S source;
    final CredentialVault vault;
    final CredentialRef record = CredentialRef.of("mem", "token_record");

    /**
     * Creates the fixture.
     *
     * @param around the source the vault reads, made around the in-memory store
     */
    FleetFixture(Function<InMemoryCredentialSource, S> around) {
        source = around.apply(store);
        vault = CredentialVault.builder().source(source).discoverSources(false).build();
    }

    @Override
    void afterManagersClosed() {
        vault.close();
    }

    /** A client of the fake endpoint, with the issuer's client ID and secret. */
    OAuthClient.Builder client() {
        return OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId(CLIENT_ID)
                .clientSecret(Secret.of(clientSecret)).allowInsecureLoopback(true);
    }

    /**
     * A manager of the record at {@code at}, on the fake clock and scheduler and without jitter, that tells
     * {@code listener} what it does; closed after the test.
     */
    TokenManager recordManager(CredentialRef at, TokenListener listener) {
        return track(onFakeTime(listener).client(client().build()).tokenRecord(vault, at).build());
    }

    /** Stores a refresh token the issuer just issued as the token record, generation 1, and returns it. */
    String storeIssuedRefreshToken() {
        String refresh = issuer.issueRefreshToken();
        TokenManager.storeRefreshToken(vault, record, Secret.of(refresh));
        return refresh;
    }

    /** One load with no caller waiting for it: the caller times out at once, the load runs on this thread. */
    static void loadOnce(TokenManager manager, FakeScheduler on) {
        assertThat(catchThrowable(() -> manager.token(Duration.ZERO))).isInstanceOf(BigLedgerAuthException.class);
        on.runDue();
    }

    /** The token record as the store holds it. */
    TokenRecord stored() {
        return stored(record);
    }

    /** The token record at {@code at} as the store holds it. */
    TokenRecord stored(CredentialRef at) {
        return TokenRecord.decode(at, store.load(at).secret());
    }
}
