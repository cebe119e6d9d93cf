package com.bigledger.auth.store.aws;

import static com.bigledger.auth.store.aws.ScriptedClient.awsError;
import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.LimitExceededException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The source's error mapping, reference checks and builder, with a scripted client: these are the answers moto
 * does not give (access denied, KMS failures, throttling, time-outs). Reads and writes against an emulator are in
 * {@code SecretsManagerIT}.
 */
class AwsSecretsManagerSourceTest {

    private static final CredentialRef REF = CredentialRef.parse("aws-sm:prod/bigledger#refresh_token");
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private final ScriptedClient client = new ScriptedClient();
    private final List<Duration> pauses = new ArrayList<>();
    private final AwsSecretsManagerSource source = AwsSecretsManagerSource.builder().client(client)
            .pause(pauses::add).build();

    private Throwable loadFailure() {
        return catchThrowable(() -> source.load(REF));
    }

    private Throwable writeFailure() {
        return catchThrowable(() -> source.write(REF.withoutField(), Canary.secret("blg_oauth_rt_"),
                Optional.of(client.currentVersion())));
    }

    @Test
    void accessDeniedOnReadNamesTheActionAndThePrincipal() {
        client.fail("GetSecretValue", awsError("AccessDeniedException", 400, "User: "
                + "arn:aws:iam::123456789012:user/ci is not authorized to perform: secretsmanager:GetSecretValue on"
                + " resource: prod/bigledger because no identity-based policy allows the action"));

        Throwable thrown = loadFailure();

        assertThat(thrown).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageStartingWith(REF.toString())
                .hasMessageContaining("arn:aws:iam::123456789012:user/ci needs secretsmanager:GetSecretValue")
                .hasMessageContaining("request id req-0123456789");
        assertThat(((CredentialException) thrown).retryable()).isFalse();
    }

    @Test
    void accessDeniedOnEachStepOfAWriteNamesThatStepsAction() {
        client.fail("PutSecretValue", awsError("AccessDeniedException", 400, "not authorized"));
        assertThat(writeFailure()).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("secretsmanager:PutSecretValue");

        ScriptedClient moveRefused = new ScriptedClient()
                .fail("UpdateSecretVersionStage AWSCURRENT", awsError("AccessDeniedException", 400, "no"));
        AwsSecretsManagerSource writer = AwsSecretsManagerSource.builder().client(moveRefused).build();
        Throwable thrown = catchThrowable(() -> writer.write(REF.withoutField(), Canary.secret(""),
                Optional.of(moveRefused.currentVersion())));

        assertThat(thrown).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("secretsmanager:UpdateSecretVersionStage");
        // The staged version is unlabelled (an attempt, at least) before the error is raised.
        assertThat(moveRefused.calls()).containsExactly("PutSecretValue", "UpdateSecretVersionStage AWSCURRENT",
                "UpdateSecretVersionStage " + AwsSecretsManagerSource.STAGING_LABEL);
    }

    @Test
    void decryptionFailureIsAccessDeniedAndNamesTheKmsKey() {
        client.fail("GetSecretValue", DecryptionFailureException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("DecryptionFailure")
                        .errorMessage("Access to KMS is not allowed. The ciphertext refers to a customer master key"
                                + " that does not exist or that you don't have access to: " + KMS_KEY).build())
                .statusCode(400).build());

        Throwable thrown = loadFailure();

        assertThat(thrown).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("kms:Decrypt")
                .hasMessageContaining(KMS_KEY);
        assertThat(((CredentialException) thrown).retryable()).isFalse();
    }

    @Test
    void throttlingServerErrorsAndTimeoutsAreRetryableUnavailability() {
        List<software.amazon.awssdk.core.exception.SdkException> temporary = List.of(
                awsError("ThrottlingException", 400, "Rate exceeded"),
                InternalServiceErrorException.builder().awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalServiceError").build()).statusCode(500).build(),
                awsError("ServiceUnavailable", 503, "try later"),
                ApiCallTimeoutException.create(2000),
                SdkClientException.create("Unable to execute HTTP request", new IOException("Connection refused")));

        for (software.amazon.awssdk.core.exception.SdkException failure : temporary) {
            ScriptedClient failing = new ScriptedClient().fail("GetSecretValue", failure);
            AwsSecretsManagerSource reader = AwsSecretsManagerSource.builder().client(failing).build();

            Throwable thrown = catchThrowable(() -> reader.load(REF));

            assertThat(thrown).as("%s", failure).isInstanceOf(SourceUnavailableException.class)
                    .hasMessageStartingWith(REF.toString());
            assertThat(((CredentialException) thrown).retryable()).isTrue();
        }
    }

    @Test
    void rejectedCredentialsAreAccessDeniedWithAHint() {
        client.fail("GetSecretValue", awsError("UnrecognizedClientException", 400,
                "The security token included in the request is invalid."));

        assertThat(loadFailure()).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("rejected the credentials")
                .hasMessageContaining("UnrecognizedClientException");
    }

    @Test
    void notFoundNamesTheReferenceAndThePinnedVersion() {
        client.fail("GetSecretValue", ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build());
        CredentialRef pinned = CredentialRef.parse("aws-sm:prod/bigledger?version=" + "a".repeat(32));

        assertThatThrownBy(() -> source.load(pinned)).isInstanceOf(CredentialNotFoundException.class)
                .hasMessageStartingWith(pinned.toString())
                .hasMessageContaining("no version " + "a".repeat(32));
    }

    @Test
    void anErrorAboutTheWrittenValueIsNeverQuoted() {
        String value = Canary.value("blg_oauth_rt_");
        client.fail("PutSecretValue", InvalidParameterException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidParameterException")
                        .errorMessage("Invalid SecretString: " + value).build())
                .message("Invalid SecretString: " + value).build());

        Throwable thrown = catchThrowable(() -> source.write(REF.withoutField(), Secret.of(value),
                Optional.of(client.currentVersion())));

        assertThat(thrown).isInstanceOf(CredentialException.class)
                .hasMessageContaining("PutSecretValue")
                .hasMessageContaining("InvalidParameterException")
                .hasNoCause();
        assertThat(Canary.leaksIn(thrown.toString())).isFalse();
    }

    @Test
    void versionQuotaPointsAtWritePacing() {
        client.fail("PutSecretValue", LimitExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("LimitExceededException").build()).build());

        assertThat(writeFailure()).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .hasMessageContaining("minWriteInterval");
    }

    @Test
    void refusedLabelMoveWhileTheExpectedVersionStillLooksCurrentIsAskedAgainThenAConflict() {
        client.fail("UpdateSecretVersionStage AWSCURRENT", awsError("InvalidParameterException", 400,
                "The parameter is not valid"));

        WriteResult result = source.write(REF.withoutField(), Canary.secret("blg_oauth_rt_"),
                Optional.of(client.currentVersion()));

        // Secrets Manager gives no read-after-write guarantee: the view may lag behind the writer that moved
        // AWSCURRENT. Asked again after a pause, then taken for what AWS said: a conflict, the current version unknown.
        assertThat(result).isEqualTo(WriteResult.conflict(null));
        assertThat(pauses).containsExactly(AwsSecretsManagerSource.REASK_DELAY);
        assertThat(client.calls()).endsWith("DescribeSecret", "DescribeSecret",
                "UpdateSecretVersionStage " + AwsSecretsManagerSource.STAGING_LABEL);
    }

    @Test
    void throttledLabelMoveIsARetryableFailureNotAConflict() {
        client.fail("UpdateSecretVersionStage AWSCURRENT", awsError("ThrottlingException", 400, "Rate exceeded"));

        Throwable thrown = writeFailure();

        assertThat(thrown).isInstanceOf(SourceUnavailableException.class).hasMessageContaining("ThrottlingException");
        assertThat(client.calls()).endsWith("DescribeSecret",
                "UpdateSecretVersionStage " + AwsSecretsManagerSource.STAGING_LABEL);
        assertThat(pauses).isEmpty();
    }

    @Test
    void successfulWriteStagesMovesAndUnlabels() {
        WriteResult result = source.write(REF.withoutField(), Canary.secret(""), Optional.of(client.currentVersion()));

        assertThat(result.isWritten()).isTrue();
        assertThat(client.calls()).containsExactly("PutSecretValue", "UpdateSecretVersionStage AWSCURRENT",
                "UpdateSecretVersionStage " + AwsSecretsManagerSource.STAGING_LABEL);
    }

    @Test
    void referencesOutsideSecretsManagersLimitsAreRefusedBeforeAnyRequest() {
        List<String> refused = List.of(
                "aws-sm:x?version=short",
                "aws-sm:x?version=" + "a".repeat(65),
                "aws-sm:x?stage=" + "S".repeat(257),
                "aws-sm:x?region=EU_WEST_1",
                "aws-sm:arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf?region=us-east-1",
                "aws-sm:" + "n".repeat(2049));

        for (String text : refused) {
            CredentialRef ref = CredentialRef.parse(text);
            assertThatThrownBy(() -> source.check(ref)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ref.toString());
            assertThatThrownBy(() -> source.load(ref)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> source.check(CredentialRef.parse("env:X")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.calls()).isEmpty();
    }

    @Test
    void anExplicitClientServesItsOwnRegionOnly() {
        source.check(CredentialRef.parse("aws-sm:x?region=us-east-1"));

        assertThatThrownBy(() -> source.check(CredentialRef.parse("aws-sm:x?region=eu-west-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("for region us-east-1");
    }

    @Test
    void pinnedReferencesAreNotWritable() {
        for (String text : List.of("aws-sm:x?stage=AWSPREVIOUS", "aws-sm:x?version=" + "a".repeat(32))) {
            assertThatThrownBy(() -> source.write(CredentialRef.parse(text), Canary.secret(""), Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pins a stage or version");
        }
        assertThat(client.calls()).isEmpty();
    }

    @Test
    void anExplicitClientIsNotClosedByTheSource() {
        source.close();

        assertThat(client.closed()).isFalse();
        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderRefusesAnOptionSetTwiceAndOptionsThatConflictWithAClient() {
        assertThatThrownBy(() -> AwsSecretsManagerSource.builder().region(Region.EU_WEST_1).region(Region.US_EAST_1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("eu-west-1");
        assertThatThrownBy(() -> AwsSecretsManagerSource.builder().client(client).region(Region.EU_WEST_1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client");
        assertThatThrownBy(() -> AwsSecretsManagerSource.builder().endpointOverride(URI.create("http://127.0.0.1:1"))
                .client(client)).isInstanceOf(IllegalStateException.class).hasMessageContaining("endpointOverride");
        assertThatThrownBy(() -> AwsSecretsManagerSource.builder().credentialsProvider(MotoServer.CREDENTIALS)
                .client(client)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credentialsProvider");
        assertThatThrownBy(() -> AwsSecretsManagerSource.builder().minWriteInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> AwsSecretsManagerSource.builder().endpointOverride(URI.create("file:/tmp/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file:/tmp/x");
    }

    @Test
    void toStringShowsTheConfigurationButNoCredential() {
        AwsSecretsManagerSource built = AwsSecretsManagerSource.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:4566"))
                .allowInsecureLoopback(true)
                .credentialsProvider(MotoServer.CREDENTIALS)
                .minWriteInterval(Duration.ofMinutes(10))
                .build();

        assertThat(built.toString()).isEqualTo("AwsSecretsManagerSource[scheme=aws-sm, client=default chain,"
                + " region=eu-west-1, endpointOverride=http://127.0.0.1:4566, minWriteInterval=PT10M]")
                .doesNotContain("testing");
        built.close();
    }

    @Test
    void pacerGivesEachSecretItsOwnIntervalAndOneSlotPerWrite() {
        FakeClock clock = new FakeClock();
        WritePacer pacer = new WritePacer(Duration.ofMinutes(10), clock);
        WritePacer.Slot write = pacer.slot(REF, "us-east-1/a");
        write.take();
        write.take();
        pacer.slot(REF, "us-east-1/b").take();

        Throwable paced = catchThrowable(() -> pacer.slot(REF, "us-east-1/a").take());
        clock.advance(Duration.ofMinutes(10));
        pacer.slot(REF, "us-east-1/a").take();

        assertThat(paced).isInstanceOf(WritePacedException.class);
        assertThat(((WritePacedException) paced).notBefore()).isEqualTo(clock.instant());
    }

    @Test
    void anEndpointSettingTheSdkCannotUseIsAConfigurationErrorNamingTheSettings() {
        // The SDK reads this property as it reads AWS_ENDPOINT_URL_SECRETS_MANAGER; empty, it fails without a request.
        String property = "aws.endpointUrlSecretsManager";
        System.setProperty(property, "");
        try (AwsSecretsManagerSource fromSettings = AwsSecretsManagerSource.builder().region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).build()) {
            Throwable thrown = catchThrowable(() -> fromSettings.load(REF));

            assertThat(thrown).isInstanceOf(CredentialException.class)
                    .hasMessageStartingWith(REF.toString())
                    .hasMessageContaining("AWS_ENDPOINT_URL_SECRETS_MANAGER");
            assertThat(((CredentialException) thrown).retryable()).isFalse();
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void providerIsFoundByServiceLoaderAndCreatesASourceWithoutContactingAws() {
        List<CredentialSourceProvider> providers = ServiceLoader.load(CredentialSourceProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.scheme().equals(AwsSecretsManagerSource.SCHEME))
                .toList();

        assertThat(providers).singleElement().isInstanceOf(AwsSecretsManagerSourceProvider.class);
        try (var created = providers.get(0).create()) {
            assertThat(created).isInstanceOf(AwsSecretsManagerSource.class);
            assertThat(created.supportedOptions()).containsExactlyInAnyOrder("stage", "version", "region");
        }
    }
}
