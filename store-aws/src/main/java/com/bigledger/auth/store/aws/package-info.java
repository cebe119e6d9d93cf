/**
 * The {@code aws-sm} credential source: AWS Secrets Manager through AWS SDK for Java v2, read and written with
 * compare-and-set. Found by {@link java.util.ServiceLoader} through {@link AwsSecretsManagerSourceProvider}, or
 * built with {@link AwsSecretsManagerSource#builder()}.
 */
package com.bigledger.auth.store.aws;
