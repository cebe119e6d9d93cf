package com.bigledger.auth.store.aws;

import static com.bigledger.auth.store.aws.MotoSecrets.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.testing.Canary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The {@code aws-sm} source against what real Secrets Manager does and moto does not (see
 * {@code docs/store-fidelity.md}): moto behind {@link SecretsManagerProxy}, which answers as AWS does for a
 * {@code DescribeSecret} that is denied or stale, KMS denials, {@code InternalFailure}, the version quota and writes
 * to a secret scheduled for deletion. Secret values are {@link Canary} values.
 */
class SecretsManagerFidelityIT {

    private static MotoServer moto;
    private static SecretsManagerClient aws;
    private static MotoSecrets secrets;
    private static SecretsManagerProxy proxy;

    private SecretsManagerClient viaProxy;
    private AwsSecretsManagerSource source;
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        aws = moto.client(Region.US_EAST_1);
        secrets = new MotoSecrets(aws, "fidelity/");
        proxy = SecretsManagerProxy.start(moto);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void open() {
        viaProxy = proxy.client();
        source = AwsSecretsManagerSource.builder().client(viaProxy).pause(pauses::add).build();
    }

    @AfterEach
    void close() {
        proxy.reset();
        source.close();
        viaProxy.close();
    }

    private static void assertNoStagingLabelLeft(String name) {
        assertThat(secrets.stages(name).values())
                .noneMatch(labels -> labels.contains(AwsSecretsManagerSource.STAGING_LABEL));
    }

    // --- A secret created without a value -----------------------------------------------------------------------

    @Test
    void fieldWriteToASecretCreatedWithoutAValueGivesItOne() {
        String name = secrets.name("empty");
        aws.createSecret(r -> r.name(name));
        Secret value = Canary.secret("blg_oauth_rt_");

        WriteResult result = source.write(CredentialRef.parse("aws-sm:" + name + "#refresh_token"), value,
                Optional.empty());

        assertThat(result.isWritten()).isTrue();
        assertThat(secrets.currentValue(name)).isEqualTo("{\"refresh_token\":\"" + value.reveal() + "\"}");
        assertThat(secrets.stages(name).get(result.version().orElseThrow())).contains("AWSCURRENT");
    }

    @Test
    void wholeWriteToASecretCreatedWithoutAValueGivesItOne() {
        String name = secrets.name("empty-whole");
        aws.createSecret(r -> r.name(name));
        Secret value = Canary.secret("blg_oauth_rt_");

        assertThat(source.write(ref(name), value, Optional.empty()).isWritten()).isTrue();
        assertThat(secrets.currentValue(name)).isEqualTo(value.reveal());
    }

    // --- DescribeSecret after a refused label move --------------------------------------------------------------

    @Test
    void staleDescribeAfterARefusedMoveIsAskedAgainAfterAPauseAndGivesTheConflict() throws Exception {
        String name = secrets.name("stale-describe");
        String base = secrets.create(name, Canary.value("blg_oauth_rt_"));
        proxy.freezeDescribe(name, 1);
        String other = secrets.put(name, Canary.value("blg_oauth_rt_"));

        WriteResult result = source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.of(base));

        assertThat(result).isEqualTo(WriteResult.conflict(other));
        assertThat(pauses).isNotEmpty().allMatch(pause -> pause.compareTo(Duration.ofSeconds(5)) <= 0);
        assertNoStagingLabelLeft(name);
    }

    @Test
    void describeThatStaysStaleGivesAConflictNotAnError() throws Exception {
        String name = secrets.name("stale-long");
        String base = secrets.create(name, Canary.value("blg_oauth_rt_"));
        proxy.freezeDescribe(name, 100);
        secrets.put(name, Canary.value("blg_oauth_rt_"));

        WriteResult result = source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.of(base));

        assertThat(result.isWritten()).isFalse();
        assertNoStagingLabelLeft(name);
    }

    @Test
    void deniedDescribeAfterARefusedMoveIsAConflictFoundByReadingAndTheRetryIsNoLostAnswer() {
        String name = secrets.name("denied-describe");
        String base = secrets.create(name, Canary.value("blg_oauth_rt_"));
        String other = secrets.put(name, Canary.value("blg_oauth_rt_"));
        proxy.denyDescribe(true);

        WriteResult result = source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.of(base));
        assertThat(result).isEqualTo(WriteResult.conflict(other));
        assertNoStagingLabelLeft(name);

        // The caller re-reads and writes again from the version now current: written, not a "lost answer".
        Secret next = Canary.secret("blg_oauth_rt_");
        WriteResult again = source.write(ref(name), next, Optional.of(other));
        assertThat(again.isWritten()).isTrue();
        assertThat(secrets.currentValue(name)).isEqualTo(next.reveal());
    }

    // --- KMS, InternalFailure and AccessDenied on reads ---------------------------------------------------------

    @Test
    void kmsDenialOnAReadNamesKms() {
        String name = secrets.name("kms-denied");
        secrets.create(name, Canary.value("blg_oauth_rt_"));
        proxy.fail("GetSecretValue", 1, 400, "AccessDeniedException", "Access to KMS is not allowed");

        assertThatThrownBy(() -> source.load(ref(name))).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("KMS").hasMessageContaining("kms:Decrypt");
    }

    @Test
    void internalFailureOnAReadIsRetryableAndNamesKms() {
        String name = secrets.name("internal-failure");
        secrets.create(name, Canary.value("blg_oauth_rt_"));
        // More than the SDK's own retries.
        proxy.fail("GetSecretValue", 10, 500, "InternalFailure", "An internal error occurred");

        assertThatThrownBy(() -> source.load(ref(name))).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("InternalFailure").hasMessageContaining("KMS key");
    }

    @Test
    void accessDeniedOnAReadSaysTheSecretMayAlsoBeMissing() {
        String name = secrets.name("never-created");
        proxy.fail("GetSecretValue", 1, 400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/app is"
                + " not authorized to perform: secretsmanager:GetSecretValue on resource: " + name
                + " because no identity-based policy allows the secretsmanager:GetSecretValue action");

        assertThatThrownBy(() -> source.load(ref(name))).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("secretsmanager:GetSecretValue")
                .hasMessageContaining("may not exist");
    }

    // --- The version quota and secrets scheduled for deletion --------------------------------------------------

    @Test
    void versionQuotaIsAQuotaRefusalNamingTheWritePacing() {
        String name = secrets.name("quota");
        secrets.create(name, Canary.value("blg_oauth_rt_"));
        secrets.put(name, Canary.value("blg_oauth_rt_"));
        proxy.versionQuota(2);

        assertThatThrownBy(() -> source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.empty()))
                .isInstanceOf(CredentialException.class).hasMessageContaining("LimitExceededException")
                .hasMessageContaining("minWriteInterval");
    }

    @Test
    void writeToASecretScheduledForDeletionIsRefusedAsDeleted() {
        String name = secrets.name("deleted");
        String base = secrets.create(name, Canary.value("blg_oauth_rt_"));
        aws.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(7L));

        assertThatThrownBy(() -> source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.empty()))
                .isInstanceOf(CredentialNotFoundException.class).hasMessageContaining("scheduled for deletion");
        assertThatThrownBy(() -> source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.of(base)))
                .isInstanceOf(CredentialNotFoundException.class).hasMessageContaining("scheduled for deletion");
        aws.restoreSecret(r -> r.secretId(name));
        assertThat(secrets.stages(name)).hasSize(1);
    }
}
