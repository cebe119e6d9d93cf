package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialRef;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The secrets of one test class in {@code moto_server}, set up and read with the AWS SDK's own client: each named
 * with the class's prefix and a random suffix, so that no two tests share one.
 */
final class MotoSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretsManagerClient aws;
    private final String prefix;

    /**
     * Creates the helper.
     *
     * @param aws a client of the emulator
     * @param prefix what every name starts with, such as {@code "it/"}
     */
    MotoSecrets(SecretsManagerClient aws, String prefix) {
        this.aws = aws;
        this.prefix = prefix;
    }

    /** A secret name no other test uses: the prefix, {@code purpose} and a random suffix. */
    String name(String purpose) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return prefix + purpose + "-" + HexFormat.of().formatHex(random);
    }

    /** A reference of the {@code aws-sm} source to the secret {@code name}. */
    static CredentialRef ref(String name) {
        return CredentialRef.of(AwsSecretsManagerSource.SCHEME, name);
    }

    /** Creates the secret with a string value; returns its version id. */
    String create(String name, String value) {
        return aws.createSecret(r -> r.name(name).secretString(value)).versionId();
    }

    /** Puts a new string value; returns its version id. */
    String put(String name, String value) {
        return aws.putSecretValue(r -> r.secretId(name).secretString(value)).versionId();
    }

    /** The secret's versions and their staging labels. */
    Map<String, List<String>> stages(String name) {
        return aws.describeSecret(r -> r.secretId(name)).versionIdsToStages();
    }

    /** The value staged {@code AWSCURRENT}. */
    String currentValue(String name) {
        return aws.getSecretValue(r -> r.secretId(name).versionStage("AWSCURRENT")).secretString();
    }
}
