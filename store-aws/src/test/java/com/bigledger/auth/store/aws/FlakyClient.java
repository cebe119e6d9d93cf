package com.bigledger.auth.store.aws;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerServiceClientConfiguration;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/**
 * A client that passes every call to a real one (moto's), and on request loses the answer to the next move of
 * {@code AWSCURRENT} after it took effect, or fails the next {@code DescribeSecret}: the network failures that
 * leave a writer unsure whether its compare-and-set happened. Thread-safe.
 */
final class FlakyClient implements SecretsManagerClient {

    private final SecretsManagerClient delegate;
    private final AtomicBoolean loseMoveAnswer = new AtomicBoolean();
    private final AtomicBoolean failDescribe = new AtomicBoolean();

    FlakyClient(SecretsManagerClient delegate) {
        this.delegate = delegate;
    }

    void loseNextMoveAnswer() {
        loseMoveAnswer.set(true);
    }

    void failNextDescribe() {
        failDescribe.set(true);
    }

    @Override
    public UpdateSecretVersionStageResponse updateSecretVersionStage(UpdateSecretVersionStageRequest request) {
        UpdateSecretVersionStageResponse response = delegate.updateSecretVersionStage(request);
        if (request.moveToVersionId() != null && "AWSCURRENT".equals(request.versionStage())
                && loseMoveAnswer.getAndSet(false)) {
            throw SdkClientException.create("Unable to execute HTTP request: Read timed out");
        }
        return response;
    }

    @Override
    public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
        if (failDescribe.getAndSet(false)) {
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        }
        return delegate.describeSecret(request);
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        return delegate.getSecretValue(request);
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest request) {
        return delegate.putSecretValue(request);
    }

    @Override
    public CreateSecretResponse createSecret(CreateSecretRequest request) {
        return delegate.createSecret(request);
    }

    @Override
    public SecretsManagerServiceClientConfiguration serviceClientConfiguration() {
        return delegate.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    /** Leaves the real client open: it belongs to the test class. */
    @Override
    public void close() {
    }
}
