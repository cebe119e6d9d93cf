package com.bigledger.auth.store.aws;

import static org.junit.jupiter.api.Assumptions.abort;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.CredentialSourceContract;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The contract against a real AWS account, opt-in: run only with {@code BIGLEDGER_TEST_REAL_AWS=true}, and the
 * account's credentials and region found by the SDK's default chains ({@code AWS_PROFILE}, {@code AWS_REGION}, …);
 * otherwise every test is reported as skipped with the reason. Never part of the default build. Among others it
 * checks the compare-and-set the store rests on: that {@code UpdateSecretVersionStage} with a stale
 * {@code RemoveFromVersionId} is refused (the stale-write test of the contract). See {@code docs/store-fidelity.md}.
 *
 * <p>Secrets are created under {@code bigledger-auth-contract/<random>/} (or the prefix in
 * {@code BIGLEDGER_TEST_AWS_PREFIX}) with fake values made at run time, and deleted without a recovery window after
 * each test. The caller needs {@code secretsmanager:CreateSecret}, {@code GetSecretValue}, {@code PutSecretValue},
 * {@code UpdateSecretVersionStage}, {@code DescribeSecret} and {@code DeleteSecret} on those names (and the KMS
 * permissions of the account's default key, which AWS-managed keys grant).
 */
class RealSecretsManagerIT extends CredentialSourceContract {

    /** The variable that opts in. */
    static final String OPT_IN = "BIGLEDGER_TEST_REAL_AWS";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> created = new ArrayList<>();
    private String prefix;
    private SecretsManagerClient aws;
    private AwsSecretsManagerSource source;

    /** The variables the test reads: the process environment. */
    Map<String, String> environment() {
        return System.getenv();
    }

    /** A client for seeding and clean-up, from the SDK's default chains. */
    SecretsManagerClient newClient() {
        return SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** The source under test, from the SDK's default chains. */
    AwsSecretsManagerSource newSource() {
        return AwsSecretsManagerSource.create();
    }

    @BeforeEach
    void requireAnAccount() {
        Map<String, String> env = environment();
        if (!"true".equalsIgnoreCase(env.get(OPT_IN))) {
            abort("opt-in test against a real AWS account: set " + OPT_IN + "=true, with credentials and a region "
                    + "the AWS SDK finds (AWS_PROFILE, AWS_REGION, ...), to run it; see docs/store-fidelity.md");
        }
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        prefix = env.getOrDefault("BIGLEDGER_TEST_AWS_PREFIX", "bigledger-auth-contract") + "/"
                + HexFormat.of().formatHex(random);
        aws = newClient();
    }

    @AfterEach
    void cleanUp() {
        if (source != null) {
            source.close();
        }
        if (aws == null) {
            return;
        }
        try {
            for (String name : created) {
                try {
                    aws.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));
                } catch (ResourceNotFoundException e) {
                    // Already gone.
                }
            }
        } finally {
            aws.close();
        }
    }

    @Override
    protected CredentialSource source() {
        if (source == null) {
            source = newSource();
        }
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        String secret = prefix + "/" + name;
        created.add(secret);
        aws.createSecret(r -> r.name(secret).secretString(value.reveal()));
        return CredentialRef.of(AwsSecretsManagerSource.SCHEME, secret);
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(AwsSecretsManagerSource.SCHEME, prefix + "/not-created");
    }
}
