/**
 * The {@code aws-sm} credential source: AWS Secrets Manager through AWS SDK for Java v2, read and written with
 * compare-and-set.
 *
 * <p>Found by {@link java.util.ServiceLoader} through
 * {@link com.bigledger.auth.store.aws.AwsSecretsManagerSourceProvider}, or built explicitly with
 * {@link com.bigledger.auth.store.aws.AwsSecretsManagerSource#builder()}.
 */
module com.bigledger.auth.store.aws {
    // Transitive: the builder takes the SDK's client, region and credentials types, and the source is core's SPI.
    requires transitive com.bigledger.auth;
    requires transitive software.amazon.awssdk.services.secretsmanager;
    requires transitive software.amazon.awssdk.regions;
    requires transitive software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires org.slf4j;

    exports com.bigledger.auth.store.aws;

    provides com.bigledger.auth.spi.CredentialSourceProvider
            with com.bigledger.auth.store.aws.AwsSecretsManagerSourceProvider;
}
