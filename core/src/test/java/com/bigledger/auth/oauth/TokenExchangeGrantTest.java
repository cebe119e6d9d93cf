package com.bigledger.auth.oauth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.ExtensionGrantIssuer;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token exchange grant against {@link ExtensionGrantIssuer}. */
class TokenExchangeGrantTest {

    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final ExtensionGrantIssuer issuer = new ExtensionGrantIssuer(3600);

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private OAuthClient client(RequestFormat format) {
        return OAuthClient.builder()
                .tokenEndpoint(endpoint.uri())
                .clientId("exchange-client")
                .clientSecret(Canary.secret("cs_"))
                .requestFormat(format)
                .allowInsecureLoopback(true)
                .build();
    }

    private static TokenSource.Request request(Set<String> scopes) {
        return TokenSource.Request.of(null, null, scopes);
    }

    @Test
    void everyParameterIsSentAndTheIssuedTokenTypeIsAccepted() {
        endpoint.dispatcher(issuer);
        String subject = Canary.value("subject_");
        String actor = Canary.value("actor_");
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.FORM))
                .subjectToken(() -> Secret.of(subject), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                .actorToken(() -> Secret.of(actor), TokenExchangeGrant.JWT_TOKEN_TYPE)
                .requestedTokenType(TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                .audience("ledger-api").audience("reports-api")
                .resource(URI.create("https://ledger.example.test/")).resource(URI.create("https://r.example.test/"))
                .build();

        TokenResponse token = grant.fetch(request(Set.of("ledger.read")));

        assertThat(token.accessToken().reveal()).isEqualTo(issuer.accessTokens().get(0));
        RecordedRequest sent = endpoint.takeRequest();
        assertThat(sent.values("grant_type")).containsExactly(TokenExchangeGrant.GRANT_TYPE);
        assertThat(sent.values("subject_token")).containsExactly(subject);
        assertThat(sent.values("subject_token_type")).containsExactly(TokenExchangeGrant.ACCESS_TOKEN_TYPE);
        assertThat(sent.values("actor_token")).containsExactly(actor);
        assertThat(sent.values("actor_token_type")).containsExactly(TokenExchangeGrant.JWT_TOKEN_TYPE);
        assertThat(sent.values("requested_token_type")).containsExactly(TokenExchangeGrant.ACCESS_TOKEN_TYPE);
        assertThat(sent.values("audience")).containsExactly("ledger-api", "reports-api");
        assertThat(sent.values("resource")).containsExactly("https://ledger.example.test/", "https://r.example.test/");
        assertThat(sent.values("scope")).containsExactly("ledger.read");
        assertThat(grant.toString()).contains("ledger-api").doesNotContain(subject).doesNotContain(actor);
    }

    @Test
    void aResourceWithUserInfoIsShownWithoutIt() {
        String password = Canary.value("resource_pw_");
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.FORM))
                .subjectToken(() -> Secret.of(Canary.value("subject_")), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                .resource(URI.create("https://user:" + password + "@ledger.example.test/books"))
                .build();

        assertThat(grant.toString()).contains("ledger.example.test/books").doesNotContain(password);
    }

    @Test
    void aJsonBodyCarriesRepeatedParametersAsArrays() {
        endpoint.dispatcher(issuer);
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.JSON))
                .subjectToken(() -> Secret.of(Canary.value("subject_")), TokenExchangeGrant.JWT_TOKEN_TYPE)
                .audience("a").audience("b").build();

        grant.fetch(request(Set.of()));

        RecordedRequest sent = endpoint.takeRequest();
        assertThat(sent.values("audience")).containsExactly("a", "b");
        assertThat(sent.body()).contains("\"audience\":[\"a\",\"b\"]");
    }

    @Test
    void theSubjectTokenIsReadFreshForEachRequest() {
        endpoint.dispatcher(issuer);
        AtomicReference<String> current = new AtomicReference<>(Canary.value("subject_"));
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.FORM))
                .subjectToken(() -> Secret.of(current.get()), TokenExchangeGrant.ACCESS_TOKEN_TYPE).build();
        String first = current.get();

        grant.fetch(request(Set.of()));
        current.set(Canary.value("subject_"));
        grant.fetch(request(Set.of()));

        assertThat(endpoint.takeRequest().values("subject_token")).containsExactly(first);
        assertThat(endpoint.takeRequest().values("subject_token")).containsExactly(current.get());
    }

    @Test
    void aRefusedSubjectTokenIsARetryableFailureAndTheNextAttemptReadsItAgain() {
        String accepted = Canary.value("accepted_");
        endpoint.dispatcher(issuer.acceptSubjectToken(accepted));
        AtomicReference<String> current = new AtomicReference<>(Canary.value("retired_"));
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.FORM))
                .subjectToken(() -> Secret.of(current.get()), TokenExchangeGrant.ACCESS_TOKEN_TYPE).build();

        assertThatThrownBy(() -> grant.fetch(request(Set.of())))
                .isExactlyInstanceOf(TokenRefreshException.class)
                .matches(e -> ((TokenRefreshException) e).retryable())
                .matches(e -> ((TokenRefreshException) e).errorCode().equals(java.util.Optional.of("invalid_grant")))
                .hasMessageContaining("read again for the next attempt");
        current.set(accepted);
        assertThat(grant.fetch(request(Set.of())).accessToken().reveal()).isEqualTo(issuer.accessTokens().get(0));
    }

    @Test
    void aRefusedClientRequiresReauthentication() {
        endpoint.enqueue(FakeTokenEndpoint.Response.oauthError(401, "invalid_client", "Client authentication failed"));
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.FORM))
                .subjectToken(() -> Secret.of(Canary.value("subject_")), TokenExchangeGrant.ACCESS_TOKEN_TYPE).build();

        assertThatThrownBy(() -> grant.fetch(request(Set.of())))
                .isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("invalid_client");
    }

    @Test
    void anUpstreamThatMustReauthenticateIsARetryableFailureOfTheExchange() {
        TokenExchangeGrant grant = TokenExchangeGrant.builder().client(client(RequestFormat.FORM))
                .subjectToken(() -> {
                    throw new ReauthenticationRequiredException(URI.create("https://upstream.example.test/token"),
                            "the upstream grant was refused", null);
                }, TokenExchangeGrant.ACCESS_TOKEN_TYPE).build();

        assertThatThrownBy(() -> grant.fetch(request(Set.of())))
                .isExactlyInstanceOf(TokenRefreshException.class)
                .matches(e -> ((TokenRefreshException) e).retryable())
                .hasMessageContaining("the subject token could not be read");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void builderErrorsNameTheEndpointAndTheOptions() {
        assertThatThrownBy(() -> TokenExchangeGrant.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client(OAuthClient)");
        assertThatThrownBy(() -> TokenExchangeGrant.builder().client(client(RequestFormat.FORM)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(endpoint.uri().toString())
                .hasMessageContaining("subjectToken(Supplier, tokenType)");
        assertThatThrownBy(() -> TokenExchangeGrant.builder().subjectToken(() -> null, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'subjectToken' is empty");
        assertThatThrownBy(() -> TokenExchangeGrant.builder().resource(URI.create("relative/path")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'resource'");
        assertThatThrownBy(() -> TokenExchangeGrant.builder().requestedTokenType("a").requestedTokenType("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is set twice");
        assertThat(List.of(TokenExchangeGrant.ID_TOKEN_TYPE, TokenExchangeGrant.REFRESH_TOKEN_TYPE))
                .allMatch(type -> type.startsWith("urn:ietf:params:oauth:token-type:"));
    }
}
