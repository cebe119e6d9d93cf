package com.bigledger.auth.oauth;

/**
 * How an {@link OAuthClient} proves its identity to the token endpoint (RFC 6749 §2.3.1).
 *
 * <p>Thread-safe, like every enum.
 */
public enum ClientAuthentication {

    /**
     * The client id and secret go in the request body as {@code client_id} and {@code client_secret}: what the
     * BigLedger token endpoint expects, and what RFC 6749 allows for servers that cannot take the header.
     */
    CLIENT_SECRET_POST,

    /**
     * The client id and secret, each form-encoded, go in an {@code Authorization: Basic} header (RFC 6749 §2.3.1):
     * the method every OAuth 2.0 server must support, and the one that keeps the secret out of request bodies.
     */
    CLIENT_SECRET_BASIC,

    /**
     * A public client, such as a native or single-page application, that has no secret: only {@code client_id}
     * goes in the body, and the authorization code is protected by PKCE instead.
     */
    NONE
}
