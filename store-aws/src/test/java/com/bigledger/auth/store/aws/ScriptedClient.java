package com.bigledger.auth.store.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
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
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/**
 * A client whose operations fail as a test scripts them, for the answers moto does not give (access denied, KMS
 * decryption failures, throttling, time-outs). Unscripted operations succeed minimally: a read returns the scripted
 * value, a put returns its token as the version id. Records the operations called. Thread-safe.
 */
final class ScriptedClient implements SecretsManagerClient {

    private final Map<String, SdkException> failures = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private String value = "{}";
    private String currentVersion = "v".repeat(32);
    private boolean closed;

    /**
     * An AWS error as the SDK parses it from an answer.
     *
     * @param code the {@code __type}, such as {@code AccessDeniedException}
     * @param status the HTTP status
     * @param message the message AWS sent
     * @return the exception
     */
    static AwsServiceException awsError(String code, int status, String message) {
        return SecretsManagerException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .statusCode(status)
                .requestId("req-0123456789")
                .message(message)
                .build();
    }

    synchronized ScriptedClient fail(String operation, SdkException failure) {
        failures.put(operation, failure);
        return this;
    }

    synchronized ScriptedClient value(String newValue) {
        this.value = newValue;
        return this;
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized boolean closed() {
        return closed;
    }

    String currentVersion() {
        return currentVersion;
    }

    private synchronized void call(String operation) {
        calls.add(operation);
        SdkException failure = failures.get(operation);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        call("GetSecretValue");
        synchronized (this) {
            return GetSecretValueResponse.builder().name(request.secretId()).versionId(currentVersion)
                    .secretString(value).build();
        }
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest request) {
        call("PutSecretValue");
        return PutSecretValueResponse.builder().versionId(request.clientRequestToken()).build();
    }

    @Override
    public UpdateSecretVersionStageResponse updateSecretVersionStage(UpdateSecretVersionStageRequest request) {
        call("UpdateSecretVersionStage " + request.versionStage());
        return UpdateSecretVersionStageResponse.builder().build();
    }

    @Override
    public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
        call("DescribeSecret");
        return DescribeSecretResponse.builder().versionIdsToStages(Map.of(currentVersion, List.of("AWSCURRENT")))
                .build();
    }

    @Override
    public CreateSecretResponse createSecret(CreateSecretRequest request) {
        call("CreateSecret");
        return CreateSecretResponse.builder().versionId(request.clientRequestToken()).build();
    }

    @Override
    public SecretsManagerServiceClientConfiguration serviceClientConfiguration() {
        return SecretsManagerServiceClientConfiguration.builder().region(Region.US_EAST_1).build();
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
