/**
 * The BigLedger-specific layer over the generic core, following the BigLedger authentication document.
 *
 * <ul>
 *   <li>{@link com.bigledger.auth.bigledger.BigLedgerAuth}: the credentials of a client (an API key with its company
 *       id, or OAuth tokens from a {@link com.bigledger.auth.TokenManager}), from values, stores or the
 *       {@code BIGLEDGER_*} environment variables, checked at build time, and the request headers made from them.
 *   <li>{@link com.bigledger.auth.bigledger.BigLedgerHttpClient}: requests over the JDK {@code HttpClient} with
 *       those headers, one retry after a 401 with a fresh credential, and {@code verify()}.
 *   <li>{@link com.bigledger.auth.bigledger.BigLedgerOAuth}: the Authorization Code flow with PKCE and the JSON token
 *       requests; {@link com.bigledger.auth.bigledger.BigLedgerScopes} lists the scopes.
 *   <li>{@link com.bigledger.auth.bigledger.BigLedgerApiException} and its subtypes: the error envelope, typed.
 *   <li>{@link com.bigledger.auth.bigledger.BigLedgerSettings}: the one reader of the {@code BIGLEDGER_*}
 *       variables, for the library and for diagnostic tools alike, and their one diagnostic entry point: its offline
 *       checks (the API key's prefix against the {@link com.bigledger.auth.bigledger.BigLedgerEnvironment}, the
 *       company id's form) return {@link com.bigledger.auth.bigledger.ConfigProblem problems} rather than throwing,
 *       so that a diagnostic tool can list every problem of a configuration at once.
 * </ul>
 *
 * <p>No message, {@code toString()} or log line of this package reveals a key or token.
 */
package com.bigledger.auth.bigledger;
