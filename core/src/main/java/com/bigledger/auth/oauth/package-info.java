/**
 * An OAuth 2.0 client for token endpoints and the authorization code flow with PKCE, over the JDK
 * {@link java.net.http.HttpClient}.
 *
 * <ul>
 *   <li>{@link com.bigledger.auth.oauth.OAuthClient} asks a token endpoint for tokens (client credentials, refresh
 *       token, authorization code), in standard form encoding or the BigLedger JSON format, and maps every failure
 *       to a {@link com.bigledger.auth.TokenRefreshException} that says whether to retry;
 *   <li>{@link com.bigledger.auth.oauth.TokenResponse} is a checked bearer token;
 *   <li>{@link com.bigledger.auth.oauth.Pkce}, {@link com.bigledger.auth.oauth.AuthorizationRequest} and
 *       {@link com.bigledger.auth.oauth.AuthorizationResponse} build the authorize URL and check the callback.
 * </ul>
 *
 * <p>Nothing here prints a secret: tokens, client secrets and PKCE verifiers are {@link com.bigledger.auth.Secret}s,
 * and exception messages quote neither request nor response bodies.
 */
package com.bigledger.auth.oauth;
