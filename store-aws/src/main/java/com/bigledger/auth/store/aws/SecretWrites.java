package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.SecretFields;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The write paths of an {@link AwsSecretsManagerSource}: a write with an expected version (a retried write whose
 * answer was lost first, then the staged-label compare-and-set), an unconditional write of a whole value
 * ({@code PutSecretValue}, creating the secret if needed), and the {@code #field} writes, which the library's
 * read-merge-compare-and-set loop ({@link SecretFields#write}) runs on this store's read and compare-and-set.
 *
 * <p>Thread-safe: holds no state of its own; each write runs on its caller's thread with its own pacing slot.
 */
final class SecretWrites {

    private static final Logger LOG = LoggerFactory.getLogger(AwsSecretsManagerSource.class);

    private final StagedLabelCas cas;
    private final LostAnswers lostAnswers;

    SecretWrites(StagedLabelCas cas, LostAnswers lostAnswers) {
        this.cas = cas;
        this.lostAnswers = lostAnswers;
    }

    /** Writes a value, with compare-and-set when a version is expected; {@code secretKey} is region and id. */
    WriteResult write(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot, String secretKey,
            Secret value, Optional<String> expectedVersion) {
        if (expectedVersion.isPresent()) {
            Optional<WriteResult> earlier = lostAnswers.resolve(ref, client, secretKey, value, expectedVersion.get());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (ref.field().isEmpty()) {
                return cas.compareAndSet(ref, client, slot, secretKey, value, value, expectedVersion.get());
            }
        } else if (ref.field().isEmpty()) {
            return writeUnconditionally(ref, client, slot, value);
        }
        return SecretFields.write(ref, value, expectedVersion, new FieldStore(ref, client, slot,
                expectedVersion.isPresent() ? secretKey : null));
    }

    /**
     * The plain read and compare-and-set write that the library's field write runs on: a read of {@code AWSCURRENT},
     * the staged-label compare-and-set, and a create for a secret that does not exist yet. One per write.
     */
    private final class FieldStore implements SecretFields.Store {
        private final CredentialRef ref;
        private final SecretsManagerClient client;
        private final WritePacer.Slot slot;
        private final String secretKey;
        /** Whether CreateSecret said the secret exists although no AWSCURRENT value was read. */
        private boolean exists;

        FieldStore(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot, String secretKey) {
            this.ref = ref;
            this.client = client;
            this.slot = slot;
            this.secretKey = secretKey;
        }

        @Override
        public Optional<VersionedSecret> read(CredentialRef whole) {
            return getCurrentForWrite(ref, client).map(current -> VersionedSecret.of(SecretValues.valueOf(ref,
                    current), current.versionId()));
        }

        @Override
        public WriteResult compareAndSet(CredentialRef written, Secret merged, Secret fieldValue,
                Optional<String> expectedVersion) {
            if (expectedVersion.isPresent()) {
                return cas.compareAndSet(ref, client, slot, secretKey, merged, fieldValue, expectedVersion.get());
            }
            slot.take();
            if (exists) {
                // CreateSecret said the secret exists, yet it still has no AWSCURRENT value: it was created without
                // one (by infrastructure code, say). Give it its first value.
                return putFirstValue(ref, client, merged);
            }
            Optional<WriteResult> created = create(ref, client, merged);
            if (created.isPresent()) {
                return created.get();
            }
            // Created by another writer meanwhile, or created without a value: the next attempt reads it again.
            exists = true;
            return WriteResult.conflict(null);
        }
    }

    private WriteResult writeUnconditionally(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot,
            Secret value) {
        slot.take();
        // A second round only when the secret was missing and then created by another writer meanwhile.
        for (int round = 0; ; round++) {
            try {
                return put(ref, client, value);
            } catch (ResourceNotFoundException e) {
                Optional<WriteResult> created = create(ref, client, value);
                if (created.isPresent() || round > 0) {
                    return created.orElseThrow(() -> new SourceUnavailableException(ref, "the secret was reported"
                            + " both missing and existing; try again", null));
                }
            }
        }
    }

    /**
     * Stores a value as a new version and makes it {@code AWSCURRENT} ({@code PutSecretValue} without stages).
     *
     * @throws ResourceNotFoundException if there is no such secret, unmapped for the caller to handle
     */
    private static WriteResult put(CredentialRef ref, SecretsManagerClient client, Secret value) {
        String token = StagedLabelCas.newToken();
        PutSecretValueRequest.Builder put = PutSecretValueRequest.builder().secretId(ref.path())
                .clientRequestToken(token);
        SecretValues.setValue(value, put::secretString, put::secretBinary);
        try {
            PutSecretValueResponse response = client.putSecretValue(put.build());
            return WriteResult.written(response.versionId() != null ? response.versionId() : token);
        } catch (ResourceNotFoundException e) {
            throw e;
        } catch (SdkException e) {
            throw AwsErrors.mapCarryingValue(ref, "PutSecretValue", e);
        }
    }

    private static WriteResult putFirstValue(CredentialRef ref, SecretsManagerClient client, Secret value) {
        WriteResult first;
        try {
            first = put(ref, client, value);
        } catch (ResourceNotFoundException e) {
            throw AwsErrors.mapCarryingValue(ref, "PutSecretValue", e);
        }
        LOG.debug("{}: gave the secret, created without a value, its first value", ref);
        return first;
    }

    /** Creates the secret with the value; empty if another writer created it first. */
    private static Optional<WriteResult> create(CredentialRef ref, SecretsManagerClient client, Secret value) {
        if (ref.path().startsWith("arn:")) {
            throw new CredentialNotFoundException(ref, "AWS Secrets Manager has no such secret, and a secret cannot"
                    + " be created from an ARN: write to its name");
        }
        String token = StagedLabelCas.newToken();
        CreateSecretRequest.Builder create = CreateSecretRequest.builder().name(ref.path()).clientRequestToken(token);
        SecretValues.setValue(value, create::secretString, create::secretBinary);
        CreateSecretResponse response;
        try {
            response = client.createSecret(create.build());
        } catch (ResourceExistsException e) {
            LOG.debug("{}: created by another writer meanwhile", ref);
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.mapCarryingValue(ref, "CreateSecret", e);
        }
        LOG.debug("{}: created the secret, version {}", ref, response.versionId());
        return Optional.of(WriteResult.written(response.versionId() != null ? response.versionId() : token));
    }

    private static Optional<GetSecretValueResponse> getCurrentForWrite(CredentialRef ref,
            SecretsManagerClient client) {
        try {
            return Optional.of(client.getSecretValue(r -> r.secretId(ref.path())
                    .versionStage(AwsSecretsManagerSource.CURRENT)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.map(ref, "GetSecretValue", e);
        }
    }
}
