package com.bigledger.auth.oauth;

/**
 * How an {@link OAuthClient} encodes the parameters of a token request.
 *
 * <p>Thread-safe, like every enum.
 */
public enum RequestFormat {

    /**
     * {@code application/x-www-form-urlencoded}, as RFC 6749 §4 specifies: what every standard OAuth 2.0 server
     * accepts.
     */
    FORM,

    /**
     * A JSON object with {@code Content-Type: application/json}, as the BigLedger token endpoint takes it: the same
     * parameter names, all values strings, the client's id and secret in the body.
     */
    JSON
}
