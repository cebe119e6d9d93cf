package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AuthorizationExceptionTest {

    @Test
    void theMessageNamesTheEndpointWithoutItsQueryAndTheCleanedError() {
        AuthorizationException e = new AuthorizationException(
                URI.create("https://auth.example/authorize?tenant=t"), "access_denied", "User\r\nsaid no",
                "the user denied the request");

        assertThat(e.getMessage()).isEqualTo("Authorization at https://auth.example/authorize failed: "
                + "error access_denied (User said no): the user denied the request");
        assertThat(e.endpoint()).isEqualTo(URI.create("https://auth.example/authorize"));
        assertThat(e.errorCode()).hasValue("access_denied");
        assertThat(e.errorDescription()).hasValue("User said no");
        assertThat(e.retryable()).isFalse();
    }
}
