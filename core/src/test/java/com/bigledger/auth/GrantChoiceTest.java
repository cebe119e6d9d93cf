package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
import com.bigledger.auth.testing.Canary;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link GrantChoice}: one grant per builder (a token source may take a refresh token besides), the names the
 * builder's messages show, and the endpoint the choice makes.
 */
class GrantChoiceTest {

    private static final URI ENDPOINT = URI.create("https://auth.example.test/oauth/token");

    private static RefreshTokenStorage inMemory() {
        return new RefreshTokenStorage(null, null, Canary.secret("blg_oauth_rt_"), false);
    }

    private static RefreshTokenStorage record() {
        return new RefreshTokenStorage(null, null, null, true);
    }

    private static TokenSource source() {
        return request -> {
            throw new AssertionError("not called");
        };
    }

    private static TokenSource naming(URI endpoint) {
        return new TokenSource() {
            @Override
            public TokenResponse fetch(Request request) {
                throw new AssertionError("not called");
            }

            @Override
            public Optional<URI> endpoint() {
                return Optional.of(endpoint);
            }
        };
    }

    @Test
    void clientCredentialsAfterAnyGrantIsRefusedNamingBoth() {
        GrantChoice twice = new GrantChoice();
        twice.clientCredentials();
        assertThatThrownBy(twice::clientCredentials).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: CLIENT_CREDENTIALS and CLIENT_CREDENTIALS");

        GrantChoice afterRefreshToken = new GrantChoice();
        afterRefreshToken.storage(inMemory());
        assertThatThrownBy(afterRefreshToken::clientCredentials).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: REFRESH_TOKEN and CLIENT_CREDENTIALS");

        GrantChoice afterSource = new GrantChoice();
        afterSource.source(source());
        assertThatThrownBy(afterSource::clientCredentials).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: TOKEN_SOURCE and CLIENT_CREDENTIALS");
    }

    @Test
    void aSecondRefreshTokenOrOneAfterClientCredentialsIsRefusedNamingBoth() {
        GrantChoice afterClientCredentials = new GrantChoice();
        afterClientCredentials.clientCredentials();
        assertThatThrownBy(() -> afterClientCredentials.storage(inMemory())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: CLIENT_CREDENTIALS and REFRESH_TOKEN");

        GrantChoice twice = new GrantChoice();
        twice.storage(inMemory());
        assertThatThrownBy(() -> twice.storage(record())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: REFRESH_TOKEN and RECORD");

        GrantChoice withSource = new GrantChoice();
        withSource.source(source());
        withSource.storage(record());
        assertThatThrownBy(() -> withSource.storage(inMemory())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: TOKEN_SOURCE+RECORD and REFRESH_TOKEN");
    }

    @Test
    void aTokenSourceTakesARefreshTokenSetBeforeOrAfterIt() {
        GrantChoice sourceFirst = new GrantChoice();
        sourceFirst.source(source());
        sourceFirst.storage(inMemory());
        assertThat(sourceFirst.name()).isEqualTo("TOKEN_SOURCE+REFRESH_TOKEN");

        GrantChoice storageFirst = new GrantChoice();
        storageFirst.storage(record());
        storageFirst.source(source());
        assertThat(storageFirst.name()).isEqualTo("TOKEN_SOURCE+RECORD");
        assertThat(storageFirst.storage().record()).isTrue();
    }

    @Test
    void aGrantIsChosenByAnyOfTheThreeAndByNothingElse() {
        assertThat(new GrantChoice().chosen()).isFalse();
        assertThat(new GrantChoice().storage()).isNull();

        GrantChoice clientCredentials = new GrantChoice();
        clientCredentials.clientCredentials();
        GrantChoice refreshToken = new GrantChoice();
        refreshToken.storage(inMemory());
        GrantChoice source = new GrantChoice();
        source.source(source());

        assertThat(clientCredentials.chosen()).isTrue();
        assertThat(refreshToken.chosen()).isTrue();
        assertThat(source.chosen()).isTrue();
        assertThat(clientCredentials.name()).isEqualTo("CLIENT_CREDENTIALS");
        assertThat(refreshToken.name()).isEqualTo("REFRESH_TOKEN");
        assertThat(source.name()).isEqualTo("TOKEN_SOURCE");
    }

    @Test
    void theEndpointIsTheClientsOrElseTheSourcesOwn() {
        OAuthClient client = OAuthClient.builder().tokenEndpoint(ENDPOINT).clientId("c").build();
        URI sourcesOwn = URI.create("https://other.example.test/token");
        GrantChoice choice = new GrantChoice();
        choice.source(naming(sourcesOwn));

        assertThat(choice.endpoint(client)).isEqualTo(ENDPOINT);
        assertThat(choice.endpoint(null)).isEqualTo(sourcesOwn);
    }

    @Test
    void withoutAClientASourceMustNameItsEndpointAndCannotLeaseATokenRecord() {
        assertThatThrownBy(() -> new GrantChoice().endpoint(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("TokenManager needs a client: call client(OAuthClient)");

        GrantChoice unnamed = new GrantChoice();
        unnamed.source(source());
        assertThatThrownBy(() -> unnamed.endpoint(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("return the endpoint from TokenSource.endpoint()");

        GrantChoice leasing = new GrantChoice();
        leasing.source(naming(ENDPOINT));
        leasing.storage(record());
        assertThatThrownBy(() -> leasing.endpoint(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'tokenRecord' needs client(OAuthClient)");

        GrantChoice inMemory = new GrantChoice();
        inMemory.source(naming(ENDPOINT));
        inMemory.storage(inMemory());
        assertThat(inMemory.endpoint(null)).isEqualTo(ENDPOINT);
    }
}
