/**
 * bigledger-auth core: {@link com.bigledger.auth.Secret}, {@link com.bigledger.auth.CredentialRef}, the
 * {@link com.bigledger.auth.spi.CredentialSource} SPI and {@link com.bigledger.auth.CredentialVault}.
 */
module com.bigledger.auth {
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports com.bigledger.auth;
    exports com.bigledger.auth.bigledger;
    exports com.bigledger.auth.spi;

    uses com.bigledger.auth.spi.CredentialSourceProvider;
}
