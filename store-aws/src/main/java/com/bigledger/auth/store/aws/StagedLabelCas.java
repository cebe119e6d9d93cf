package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Compare-and-set through a staging label: {@code PutSecretValue} under
 * {@value AwsSecretsManagerSource#STAGING_LABEL}, then {@code UpdateSecretVersionStage} moving {@code AWSCURRENT}
 * to it from the expected version; when that move fails, it asks which version is current (once more after a
 * pause, as Secrets Manager is eventually consistent) before it answers, and hands a write whose outcome stays
 * unknown to {@link LostAnswers}. Also the two label questions other parts ask: which version is current, and
 * removing the staging label.
 *
 * <p>Thread-safe: holds no state of its own beyond the shared {@link LostAnswers} and the pause; concurrent
 * writers of one secret are ordered by AWS, which refuses all label moves but the first from a version.
 */
final class StagedLabelCas {

    private static final Logger LOG = LoggerFactory.getLogger(AwsSecretsManagerSource.class);

    private final LostAnswers lostAnswers;
    private final AwsSecretsManagerSource.Pause pause;

    StagedLabelCas(LostAnswers lostAnswers, AwsSecretsManagerSource.Pause pause) {
        this.lostAnswers = lostAnswers;
        this.pause = pause;
    }

    /**
     * Stages {@code stored} under the staging label and moves {@code AWSCURRENT} to it from {@code expected}.
     * {@code written} is the caller's value (the field's value for a field write), remembered only as a keyed hash,
     * under {@code secretKey}, when the answer to the move is lost; a {@code null} key remembers nothing.
     */
    WriteResult compareAndSet(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot,
            String secretKey, Secret stored, Secret written, String expected) {
        slot.take();
        String token = newToken();
        PutSecretValueRequest.Builder put = PutSecretValueRequest.builder().secretId(ref.path())
                .clientRequestToken(token).versionStages(AwsSecretsManagerSource.STAGING_LABEL);
        SecretValues.setValue(stored, put::secretString, put::secretBinary);
        try {
            client.putSecretValue(put.build());
        } catch (ResourceNotFoundException e) {
            throw new CredentialNotFoundException(ref, "AWS Secrets Manager has no such secret; the write expected"
                    + " version " + expected);
        } catch (SdkException e) {
            throw AwsErrors.mapCarryingValue(ref, "PutSecretValue", e);
        }
        try {
            client.updateSecretVersionStage(r -> r.secretId(ref.path()).versionStage(AwsSecretsManagerSource.CURRENT)
                    .moveToVersionId(token).removeFromVersionId(expected));
        } catch (SdkException e) {
            return afterFailedMove(ref, client, secretKey, written, expected, token, e);
        }
        unstage(ref, client, token);
        return WriteResult.written(token);
    }

    private WriteResult afterFailedMove(CredentialRef ref, SecretsManagerClient client, String secretKey,
            Secret written, String expected, String token, SdkException e) {
        CredentialException mapped = AwsErrors.map(ref, "UpdateSecretVersionStage", e);
        if (mapped.kind() == Kind.ACCESS_DENIED) {
            unstage(ref, client, token);
            throw mapped;
        }
        // A refusal means AWSCURRENT is no longer on the expected version, unless the SDK retried a move whose
        // first answer was lost; any other failure leaves it unknown whether the move happened. Ask.
        // Refused: AWS answered, and not with throttling or a server error (mapped as unavailable), after which
        // the move is known not to have been made by this request.
        boolean refused = e instanceof AwsServiceException && mapped.kind() != Kind.UNAVAILABLE;
        Optional<String> current = currentVersion(ref, client);
        if (refused && (current.isEmpty() || current.get().equals(expected))) {
            // Secrets Manager gives no read-after-write guarantee: right after another writer's change, the
            // answer may still show the expected version. Ask once more after a pause.
            pause(ref);
            current = currentVersion(ref, client);
        }
        if (current.isPresent() && current.get().equals(token)) {
            unstage(ref, client, token);
            return WriteResult.written(token);
        }
        if (current.isEmpty() && !refused) {
            if (secretKey != null) {
                lostAnswers.remember(secretKey, expected, token, written);
            }
            throw mapped;
        }
        unstage(ref, client, token);
        if (current.isPresent() && !current.get().equals(expected)) {
            LOG.debug("{}: AWSCURRENT moved from {} to {} first; the staged version {} was not made current",
                    ref, expected, current.get(), token);
            return WriteResult.conflict(current.get());
        }
        if (refused) {
            // AWS refused the move from the expected version, and no answer yet shows another version as
            // current: a view not yet caught up, or one that could not be had. The refusal is what it says, a
            // conflict; which version is current is unknown.
            LOG.debug("{}: the move of AWSCURRENT from {} was refused, and the version now current could not"
                    + " be seen ({}); answering a conflict", ref, expected, current.orElse("unknown"));
            return WriteResult.conflict(null);
        }
        throw mapped;
    }

    /** Removes the staging label from a version; failures are logged, as the label moves on with the next write. */
    static void unstage(CredentialRef ref, SecretsManagerClient client, String token) {
        try {
            client.updateSecretVersionStage(r -> r.secretId(ref.path())
                    .versionStage(AwsSecretsManagerSource.STAGING_LABEL).removeFromVersionId(token));
        } catch (SdkException e) {
            LOG.debug("{}: the staging label {} stays on version {} until the next write ({})", ref,
                    AwsSecretsManagerSource.STAGING_LABEL, token, e.getClass().getSimpleName());
        }
    }

    /**
     * Asks which version is {@code AWSCURRENT}: with {@code DescribeSecret}, which reads no value, or where that is
     * refused (it needs {@code secretsmanager:DescribeSecret}, an IAM action of its own) with {@code GetSecretValue}
     * of {@code AWSCURRENT}, whose value is dropped at once. Empty if AWS cannot tell now.
     */
    static Optional<String> currentVersion(CredentialRef ref, SecretsManagerClient client) {
        try {
            Map<String, List<String>> stages = client.describeSecret(r -> r.secretId(ref.path()))
                    .versionIdsToStages();
            for (Map.Entry<String, List<String>> entry : stages.entrySet()) {
                if (entry.getValue().contains(AwsSecretsManagerSource.CURRENT)) {
                    return Optional.of(entry.getKey());
                }
            }
            return Optional.empty();
        } catch (AwsServiceException e) {
            LOG.warn("{}: DescribeSecret was refused ({}); asking GetSecretValue instead. Grant"
                    + " secretsmanager:DescribeSecret on the secret", ref, AwsErrors.errorCode(e));
        } catch (SdkException e) {
            LOG.debug("{}: DescribeSecret failed ({})", ref, e.getClass().getSimpleName());
            return Optional.empty();
        }
        try {
            GetSecretValueResponse response = client.getSecretValue(r -> r.secretId(ref.path())
                    .versionStage(AwsSecretsManagerSource.CURRENT));
            return Optional.ofNullable(response.versionId());
        } catch (SdkException e) {
            LOG.debug("{}: GetSecretValue of AWSCURRENT failed ({})", ref, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** A fresh {@code ClientRequestToken}, which becomes the new version's id. */
    static String newToken() {
        return UUID.randomUUID().toString();
    }

    private void pause(CredentialRef ref) {
        try {
            pause.sleep(AwsSecretsManagerSource.REASK_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException(ref, "interrupted while waiting to ask again which version is"
                    + " current", null);
        }
    }
}
