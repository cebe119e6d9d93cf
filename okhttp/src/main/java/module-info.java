/**
 * OkHttp 5 adapters for bigledger-auth: {@link com.bigledger.auth.okhttp.BigLedgerInterceptor} adds the BigLedger
 * headers, {@link com.bigledger.auth.okhttp.BigLedgerAuthenticator} replaces a credential the API refused and retries
 * once.
 */
module com.bigledger.auth.okhttp {
    // Transitive: the public API takes BigLedgerAuth and implements OkHttp's interfaces.
    requires transitive com.bigledger.auth;
    requires transitive okhttp3;
    requires org.slf4j;

    exports com.bigledger.auth.okhttp;
}
