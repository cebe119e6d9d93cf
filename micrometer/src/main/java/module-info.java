/**
 * Micrometer meters for bigledger-auth: {@link com.bigledger.auth.micrometer.TokenManagerMetrics} and
 * {@link com.bigledger.auth.micrometer.CredentialVaultMetrics}.
 */
module com.bigledger.auth.micrometer {
    // Transitive: the public API takes core's types and implements Micrometer's MeterBinder.
    requires transitive com.bigledger.auth;
    requires transitive micrometer.core;

    exports com.bigledger.auth.micrometer;
}
