/**
 * The credential vault and the token manager: {@link com.bigledger.auth.Secret} values that never print
 * themselves, {@link com.bigledger.auth.CredentialRef} references such as {@code aws-sm:prod/bigledger#api_key},
 * the {@link com.bigledger.auth.CredentialVault} that loads, caches and reloads them through the stores found on
 * the class or module path, and the {@link com.bigledger.auth.TokenManager} that keeps an OAuth 2.0 access token
 * fresh with one background refresh however many threads ask.
 *
 * <p>Errors are unchecked subtypes of {@link com.bigledger.auth.BigLedgerAuthException}; their messages name the
 * reference or endpoint, never a secret. Stores plug in through {@link com.bigledger.auth.spi}.
 */
package com.bigledger.auth;
