package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.SourceUnavailableException;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.EncryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.LimitExceededException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Maps the AWS SDK's exceptions to the library's, for one Secrets Manager operation on one reference.
 *
 * <p>Messages name the reference, the operation, the IAM action or KMS key involved, the AWS error code, HTTP
 * status and request id, never a value. For an operation whose request carried a secret value
 * ({@code PutSecretValue}, {@code CreateSecret}) the SDK's exception is not attached as the cause and its message is
 * not quoted: the service could echo a parameter in it. Other operations carry no value, and their SDK exception is
 * kept as the cause for diagnosis. Stateless and thread-safe.
 */
final class AwsErrors {

    /** Error codes of requests whose credentials AWS rejected: a configuration problem, not a missing permission. */
    private static final Set<String> CREDENTIAL_ERRORS = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
            "IncompleteSignature", "MissingAuthenticationToken", "InvalidAccessKeyId");

    private static final Set<String> THROTTLING_ERRORS = Set.of("ThrottlingException", "Throttling",
            "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException");

    private static final Pattern KMS_KEY = Pattern.compile(
            "arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(?:key|alias)/[A-Za-z0-9/_+=.@-]+");
    private static final Pattern PRINCIPAL = Pattern.compile(
            "arn:aws[a-z-]*:(?:iam|sts)::[0-9]{12}:[A-Za-z0-9/_+=,.@-]+");

    private AwsErrors() {
    }

    /**
     * Maps a failure of an operation whose request held no secret value.
     *
     * @param ref the reference involved
     * @param operation the Secrets Manager operation, such as {@code GetSecretValue}
     * @param e the SDK's exception
     * @return the library's exception, with {@code e} as its cause
     */
    static CredentialException map(CredentialRef ref, String operation, SdkException e) {
        return map(ref, operation, e, false);
    }

    /**
     * Maps a failure of an operation whose request carried a secret value: the SDK's message is left out and the
     * exception is not attached.
     *
     * @param ref the reference involved
     * @param operation the Secrets Manager operation, such as {@code PutSecretValue}
     * @param e the SDK's exception
     * @return the library's exception, without a cause
     */
    static CredentialException mapCarryingValue(CredentialRef ref, String operation, SdkException e) {
        return map(ref, operation, e, true);
    }

    private static CredentialException map(CredentialRef ref, String operation, SdkException e, boolean carriedValue) {
        Throwable cause = carriedValue ? null : e;
        String action = "secretsmanager:" + operation;
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            String code = errorCode(service);
            String message = errorMessage(service);
            String facts = facts(service);
            if (e instanceof ResourceNotFoundException) {
                return new CredentialNotFoundException(ref, "AWS Secrets Manager has no such secret" + pin(ref)
                        + " (" + operation + ": ResourceNotFoundException" + facts + ")");
            }
            if (e instanceof DecryptionFailureException || "DecryptionFailure".equals(code)) {
                return new CredentialException(Kind.ACCESS_DENIED, ref, "AWS Secrets Manager could not decrypt the"
                        + " secret with its KMS key" + kmsKey(message) + ": the caller needs kms:Decrypt on that key,"
                        + " and the key must be enabled (" + operation + ": DecryptionFailure" + facts + ")", cause);
            }
            if (e instanceof EncryptionFailureException || "EncryptionFailure".equals(code)) {
                return new CredentialException(Kind.ACCESS_DENIED, ref, "AWS Secrets Manager could not encrypt the"
                        + " value with the secret's KMS key" + kmsKey(message) + ": the caller needs"
                        + " kms:GenerateDataKey and kms:Decrypt on that key, and the key must be an enabled symmetric"
                        + " key (" + operation + ": EncryptionFailure" + facts + ")", cause);
            }
            if ((code.equals("AccessDeniedException") || code.equals("AccessDenied")) && namesKms(message)) {
                // "Access to KMS is not allowed": Secrets Manager could not use the secret's KMS key for the caller
                // (repost.aws knowledge-center/secrets-manager-cross-account-key).
                String key = kmsKey(message);
                return new CredentialException(Kind.ACCESS_DENIED, ref, "access denied by AWS KMS: the caller needs "
                        + (reads(operation) ? "kms:Decrypt" : "kms:GenerateDataKey and kms:Decrypt") + " on the"
                        + " secret's KMS key" + key + " (the key policy or a grant must allow it; for a key in"
                        + " another account, both that account's key policy and the caller's IAM policy) ("
                        + operation + ": " + code + facts + ")", cause);
            }
            if (code.equals("AccessDeniedException") || code.equals("AccessDenied")) {
                String principal = find(PRINCIPAL, message);
                return new CredentialException(Kind.ACCESS_DENIED, ref, "access denied by AWS: "
                        + (principal.isEmpty() ? "the caller" : principal) + " needs " + action
                        + " on the secret" + kmsHint(message) + ", or the secret may not exist: AWS answers"
                        + " AccessDenied rather than ResourceNotFound to a caller whose IAM policy names secret ARNs ("
                        + operation + ": " + code + facts + ")", cause);
            }
            if (CREDENTIAL_ERRORS.contains(code)) {
                return new CredentialException(Kind.ACCESS_DENIED, ref, "AWS rejected the credentials of this"
                        + " process (" + operation + ": " + code + facts + "): check the AWS credentials it uses"
                        + " (environment, profile, role)", cause);
            }
            if (service.isThrottlingException() || THROTTLING_ERRORS.contains(code)) {
                return new SourceUnavailableException(ref, "AWS Secrets Manager is throttling requests ("
                        + operation + ": " + code + facts + ")", cause);
            }
            if (e instanceof InternalServiceErrorException || service.statusCode() >= 500) {
                // On a read, InternalFailure is often the secret's KMS key (repost.aws
                // knowledge-center/secrets-manager-cross-account-key).
                return new SourceUnavailableException(ref, "AWS Secrets Manager failed (" + operation + ": " + code
                        + facts + ")" + (reads(operation) && code.startsWith("InternalFailure")
                        ? "; if it lasts, check the secret's KMS key: enabled, not pending deletion, and usable by"
                        + " the caller (kms:Decrypt)" : ""), cause);
            }
            if (e instanceof InvalidRequestException && message.toLowerCase(Locale.ROOT).contains("delet")) {
                return new CredentialNotFoundException(ref, "the secret is scheduled for deletion in AWS Secrets"
                        + " Manager (" + operation + ": InvalidRequestException" + facts + ")");
            }
            if (e instanceof LimitExceededException) {
                return new CredentialException(Kind.CONFIGURATION, ref, "AWS Secrets Manager refused " + operation
                        + " for a quota: a secret keeps at most about 100 versions plus those of the last 24 hours, so"
                        + " write less often (see AwsSecretsManagerSource.Builder#minWriteInterval)"
                        + " (LimitExceededException" + facts + ")", cause);
            }
            String refused = "AWS Secrets Manager refused " + operation + " (" + code + facts
                    + (carriedValue || message.isEmpty() ? "" : ": " + message) + ")";
            return service.retryable() ? new SourceUnavailableException(ref, refused, cause)
                    : new CredentialException(Kind.CONFIGURATION, ref, refused, cause);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new SourceUnavailableException(ref, "AWS Secrets Manager did not answer " + operation
                    + " in time", cause);
        }
        if (e instanceof SdkClientException) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Unable to load credentials")) {
                return new CredentialException(Kind.CONFIGURATION, ref, "no AWS credentials were found for "
                        + operation + " (set them in the environment, a profile or a role; the cause lists every place"
                        + " looked at)", e);
            }
            if (message.startsWith("Unable to load region")) {
                return new CredentialException(Kind.CONFIGURATION, ref, "no AWS region is configured: set"
                        + " AWS_REGION, a profile's region, ?region= on the reference, or region(...) on the source's"
                        + " builder", e);
            }
            String io = ioCause(e);
            return new SourceUnavailableException(ref, "AWS Secrets Manager could not be reached for " + operation
                    + (io.isEmpty() ? "" : " (" + io + ")"), cause);
        }
        return new SourceUnavailableException(ref, operation + " failed: " + e.getClass().getName(), cause);
    }

    /**
     * Returns the AWS error code of a service exception, or its class name when the SDK did not parse one.
     *
     * @param e the exception
     * @return the code, never {@code null}
     */
    static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        return code == null || code.isEmpty() ? e.getClass().getSimpleName() : code;
    }

    private static String errorMessage(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String message = details == null ? null : details.errorMessage();
        return message == null ? "" : message;
    }

    private static String facts(AwsServiceException e) {
        StringBuilder text = new StringBuilder();
        if (e.statusCode() > 0) {
            text.append(", HTTP ").append(e.statusCode());
        }
        if (e.requestId() != null && !e.requestId().isEmpty()) {
            text.append(", request id ").append(e.requestId());
        }
        return text.toString();
    }

    private static String pin(CredentialRef ref) {
        if (ref.option("version").isPresent()) {
            return ", or no version " + ref.option("version").get() + " of it";
        }
        return ", or no version of it at stage " + ref.option("stage").orElse(AwsSecretsManagerSource.CURRENT);
    }

    private static String kmsKey(String message) {
        String key = find(KMS_KEY, message);
        return key.isEmpty() ? "" : " " + key;
    }

    private static boolean namesKms(String message) {
        return message.contains("KMS") || message.contains("kms:") || !find(KMS_KEY, message).isEmpty();
    }

    private static boolean reads(String operation) {
        return operation.equals("GetSecretValue");
    }

    private static String kmsHint(String message) {
        String key = find(KMS_KEY, message);
        if (!key.isEmpty()) {
            return ", and kms:Decrypt on KMS key " + key;
        }
        return message.contains("kms:") ? ", and a KMS permission on the secret's key" : "";
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group() : "";
    }

    private static String ioCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return t.getClass().getName();
            }
        }
        return "";
    }
}
