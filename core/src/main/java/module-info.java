/**
 * bigledger-auth core: {@link com.bigledger.auth.Secret}, {@link com.bigledger.auth.CredentialRef}, the
 * {@link com.bigledger.auth.spi.CredentialSource} SPI (the stable surface for store authors; {@code internal} is
 * exported to no module), {@link com.bigledger.auth.CredentialVault}, the OAuth 2.0
 * client in {@link com.bigledger.auth.oauth}, and the BigLedger layer in {@link com.bigledger.auth.bigledger}.
 */
module com.bigledger.auth {
    requires com.fasterxml.jackson.core;
    requires transitive java.net.http;
    requires org.slf4j;
    requires io.github.resilience4j.core;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.circuitbreaker;

    exports com.bigledger.auth;
    exports com.bigledger.auth.bigledger;
    exports com.bigledger.auth.oauth;
    exports com.bigledger.auth.spi;

    uses com.bigledger.auth.spi.CredentialSourceProvider;
}
