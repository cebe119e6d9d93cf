package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialAccessDeniedException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.InvalidCredentialException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The {@code aws-sm} credential source: secrets in AWS Secrets Manager, read and written through AWS SDK for
 * Java v2.
 *
 * <p>References: {@code aws-sm:NAME_OR_ARN}, with {@code #field} for a top-level key of a JSON
 * {@code SecretString}, {@code ?stage=AWSPREVIOUS} or {@code ?version=VERSION_ID} to pin a version, and
 * {@code ?region=eu-west-1} to pick the region (an ARN's own region is used when none is given). Without a pin a
 * read asks for {@code VersionStage=AWSCURRENT} explicitly. A {@code SecretBinary} value is returned as its bytes.
 * The version id of the value read is its {@linkplain VersionedSecret#version() version}.
 *
 * <p><b>Writes</b> are compare-and-set, which Secrets Manager offers only through its staging labels:
 * {@code PutSecretValue} stores the value as a new version (its id a fresh {@code ClientRequestToken}) under the
 * library's own label {@value #STAGING_LABEL}, leaving {@code AWSCURRENT} where it is; then
 * {@code UpdateSecretVersionStage} moves {@code AWSCURRENT} to it with {@code RemoveFromVersionId} set to the
 * expected version, which AWS refuses when another writer moved {@code AWSCURRENT} first. That refusal is returned
 * as {@link WriteResult#conflict} with the version now current, nothing is overwritten, and the staged version loses
 * its label (AWS keeps it, label-less, until it ages out of the version history; a version cannot be deleted). A
 * write with a field reads {@code AWSCURRENT}, answers a conflict at once if that is not the expected version, and
 * otherwise merges the field into that JSON object, keeping the other fields. A write with no expected version
 * replaces the value unconditionally ({@code PutSecretValue}, a read-merge-write for a field), and creates the
 * secret ({@code CreateSecret}) when it does not exist. If the answer to the label move is lost (a time-out), the
 * source asks which version is current before it reports anything, so a retried write does not turn its own success
 * into a conflict.
 *
 * <p><b>Write pacing.</b> AWS advises calling {@code PutSecretValue} no more than about once every 10 minutes per
 * secret, sustained: every call makes a version, and a secret keeps 100 versions plus every version of the last 24
 * hours, beyond which writes fail with {@code LimitExceededException}. A refresh token rotated with each hourly
 * access token stays far below that, so writes are not paced by default. With {@link Builder#minWriteInterval} set,
 * a write of a secret that this source wrote less than that interval ago is refused before any request, with a
 * retryable {@link WritePacedException} that says when the next write is allowed. The source holds nothing back: a
 * write it answered was made, and a write it refused was not, so the caller's compare-and-set chain stays exact
 * and the caller, which keeps the value, cannot lose it to the source. {@link com.bigledger.auth.TokenManager}
 * treats the refusal like any failed write-back: it keeps the rotated refresh token in memory, uses it, retries the
 * write with backoff, and lets a newer token replace one not yet written, so rotations inside the interval are
 * coalesced into one write of the latest token. Holding the latest value in the source and writing it later was
 * rejected: the caller would have to be told "written" before the write (breaking compare-and-set and losing the
 * token if the process stops first) or would never learn the new version (so its next compare-and-set fails against
 * its own write). Pacing is per source, that is per process: it does not see other processes' writes.
 *
 * <p><b>Clients.</b> Given an explicit {@link SecretsManagerClient}, the source uses it for every reference (a
 * {@code ?region=} other than the client's is refused) and never closes it. Otherwise it builds one client per
 * region, when first needed, from the default credential and region chains, and closes them in {@link #close()}.
 * Those clients use the JDK's HTTP client (the SDK's {@code url-connection-client}) and honour the SDK's endpoint
 * settings ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL}, a profile's {@code endpoint_url}),
 * so an emulator can be configured with environment variables alone; {@link Builder#endpointOverride} wins over
 * them.
 *
 * <p><b>Errors.</b> {@code ResourceNotFoundException} (or a secret scheduled for deletion) is a
 * {@link CredentialNotFoundException}; {@code AccessDeniedException}, {@code DecryptionFailure},
 * {@code EncryptionFailure} and rejected credentials are a {@link CredentialAccessDeniedException} that names the
 * IAM action or KMS key; throttling, {@code InternalServiceError}, 5xx answers, I/O errors and time-outs are a
 * retryable {@link SourceUnavailableException}; a field asked of a value that is not a JSON object, or of a binary
 * value, is an {@link InvalidCredentialException}. Messages name the reference, never a value; the SDK's message of
 * a request that carried a value is never quoted. The SDK itself logs no request or response body, even at DEBUG
 * (its request signer does log, at DEBUG, the SHA-256 hash of each request body).
 *
 * <pre>{@code
 * AwsSecretsManagerSource source = AwsSecretsManagerSource.builder()
 *         .region(Region.EU_WEST_1)
 *         .build();
 * VersionedSecret secret = source.load(CredentialRef.parse("aws-sm:prod/bigledger#client_secret"));
 * }</pre>
 *
 * <p>Thread-safe. {@link #load}, {@link #write} and {@link #close} block on network I/O.
 */
public final class AwsSecretsManagerSource implements WritableCredentialSource {

    /** The scheme this source serves. */
    public static final String SCHEME = "aws-sm";

    /**
     * The staging label under which a value waits between {@code PutSecretValue} and the move of
     * {@code AWSCURRENT}. Not {@code AWSPENDING}, which belongs to AWS's rotation functions.
     */
    public static final String STAGING_LABEL = "BIGLEDGER_AUTH_PENDING";

    static final String CURRENT = "AWSCURRENT";

    private static final Logger LOG = LoggerFactory.getLogger(AwsSecretsManagerSource.class);
    private static final Set<String> OPTIONS = Set.of("stage", "version", "region");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern ARN_REGION = Pattern.compile("^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):");
    /** Attempts of an unconditional field write, each a read-merge-compare-and-set, before it gives up. */
    private static final int UNCONDITIONAL_FIELD_ATTEMPTS = 3;
    /**
     * How long a writer waits before asking again which version is current, when the first answer after a refused
     * label move still shows the expected version: Secrets Manager is eventually consistent, and a read right after
     * a change may not show it yet.
     */
    static final Duration REASK_DELAY = Duration.ofSeconds(1);
    /** The key under which the default region's client is kept. */
    private static final String DEFAULT_REGION = "";

    private final SecretsManagerClient givenClient;
    private final Region region;
    private final URI endpointOverride;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentialsProvider;
    private final WritePacer pacer;
    private final ConcurrentMap<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
    private final LostAnswers lostAnswers = new LostAnswers();
    private final Pause pause;
    private volatile boolean closed;

    private AwsSecretsManagerSource(Builder builder) {
        this.givenClient = builder.client;
        this.region = builder.region;
        this.endpointOverride = builder.endpointOverride;
        this.credentialsProvider = builder.credentialsProvider;
        this.pacer = new WritePacer(builder.minWriteInterval == null ? Duration.ZERO : builder.minWriteInterval,
                builder.clock == null ? Clock.systemUTC() : builder.clock);
        this.pause = builder.pause != null ? builder.pause : duration -> Thread.sleep(duration.toMillis());
    }

    /**
     * Creates a source with the default options: clients built from the default credential and region chains, when
     * first needed, and no write pacing. Makes no request and reads no configuration yet.
     *
     * @return the source
     */
    public static AwsSecretsManagerSource create() {
        return builder().build();
    }

    /**
     * Starts a builder.
     *
     * @return a builder with no option set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns {@value #SCHEME}.
     *
     * @return the scheme
     */
    @Override
    public String scheme() {
        return SCHEME;
    }

    /**
     * Returns {@code stage}, {@code version} and {@code region}.
     *
     * @return the option names
     */
    @Override
    public Set<String> supportedOptions() {
        return OPTIONS;
    }

    /**
     * Checks a reference against Secrets Manager's limits without a request: a secret id of at most 2048
     * characters, a version id of 32 to 64, a stage of at most 256, a well-formed region that agrees with an ARN's
     * and with an explicit client's.
     *
     * @param ref a reference of scheme {@value #SCHEME}
     * @throws IllegalArgumentException if the reference can never be loaded; the message quotes it
     */
    @Override
    public void check(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (!SCHEME.equals(ref.scheme())) {
            throw invalid(ref, "is not of scheme '" + SCHEME + "'");
        }
        for (String option : ref.options().keySet()) {
            if (!OPTIONS.contains(option)) {
                throw invalid(ref, "has option '" + option + "'; AWS Secrets Manager references take stage, version"
                        + " and region");
            }
        }
        if (ref.path().length() > 2048) {
            throw invalid(ref, "names a secret id longer than 2048 characters");
        }
        Optional<String> version = ref.option("version");
        if (version.isPresent() && (version.get().length() < 32 || version.get().length() > 64)) {
            throw invalid(ref, "has a version id of " + version.get().length() + " characters; AWS version ids have"
                    + " 32 to 64");
        }
        Optional<String> stage = ref.option("stage");
        if (stage.isPresent() && (stage.get().isEmpty() || stage.get().length() > 256)) {
            throw invalid(ref, "has a stage of " + stage.get().length() + " characters; AWS staging labels have 1"
                    + " to 256");
        }
        regionKey(ref);
    }

    /**
     * Loads the value at a reference with {@code GetSecretValue}: {@code AWSCURRENT} unless the reference pins a
     * stage or version. Blocks on network I/O, including the SDK's own retries.
     *
     * @param ref a reference such as {@code aws-sm:prod/bigledger#client_secret}
     * @return the value (or the field's value) with the secret's version id
     * @throws IllegalArgumentException if the reference fails {@link #check}
     * @throws IllegalStateException if the source is closed
     * @throws CredentialNotFoundException if there is no such secret, version, stage or field
     * @throws CredentialAccessDeniedException if AWS refused access, or the KMS key could not decrypt
     * @throws InvalidCredentialException if a field is asked of a value that is binary or not a JSON object
     * @throws SourceUnavailableException if AWS could not be reached, throttled or failed (retryable)
     * @throws CredentialException for another refusal, which the message names
     */
    @Override
    public VersionedSecret load(CredentialRef ref) {
        check(ref);
        GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(ref.path());
        if (ref.option("version").isPresent()) {
            request.versionId(ref.option("version").get());
        } else {
            // Always named: moto leaves a get without a stage on the old version after a label move.
            request.versionStage(ref.option("stage").orElse(CURRENT));
        }
        GetSecretValueResponse response = get(ref, clientFor(ref), request.build());
        Secret whole = valueOf(ref, response);
        Secret value;
        if (ref.field().isEmpty()) {
            value = whole;
        } else {
            try {
                value = SecretFields.extract(ref, whole);
            } finally {
                whole.destroy();
            }
        }
        String version = response.versionId();
        return version == null || version.isEmpty() ? VersionedSecret.unversioned(value)
                : VersionedSecret.of(value, version);
    }

    /**
     * Writes a value with compare-and-set on the expected version, as the class documentation describes: stage,
     * then move {@code AWSCURRENT}. Blocks on network I/O: two to four requests, or one more with a field.
     *
     * @param ref where to write: a reference without {@code ?stage=} or {@code ?version=}
     * @param value the new value, or the new value of the reference's field; stored as {@code SecretString} when it
     *     is UTF-8 text, else as {@code SecretBinary}
     * @param expectedVersion the version id last read; empty to write unconditionally, creating the secret if
     *     needed
     * @return written with the new version id, or a conflict with the version now current; nothing is overwritten
     *     on a conflict
     * @throws IllegalArgumentException if the reference fails {@link #check} or pins a stage or version
     * @throws IllegalStateException if the source is closed
     * @throws WritePacedException if the secret was written less than the minimum write interval ago (retryable)
     * @throws CredentialNotFoundException if an expected version is given and the secret does not exist, or the
     *     secret would have to be created from an ARN
     * @throws CredentialAccessDeniedException if AWS refused an action, which the message names
     * @throws InvalidCredentialException if a field is written into a value that is binary or not a JSON object
     * @throws SourceUnavailableException if AWS could not be reached, throttled or failed (retryable)
     * @throws CredentialException for another refusal, which the message names
     */

    /** {@inheritDoc} A write moves the AWSCURRENT label only from the expected version. */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        return true;
    }

    @Override
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        check(ref);
        if (ref.option("stage").isPresent() || ref.option("version").isPresent()) {
            throw invalid(ref, "pins a stage or version; a write makes a new AWSCURRENT version, so write to the"
                    + " reference without ?stage= or ?version=");
        }
        SecretsManagerClient client = clientFor(ref);
        String secretKey = regionKey(ref) + "\u0000" + ref.path();
        WritePacer.Slot slot = pacer.slot(ref, secretKey);
        if (expectedVersion.isPresent()) {
            return writeExpecting(ref, client, slot, secretKey, value, expectedVersion.get());
        }
        return ref.field().isPresent() ? writeFieldUnconditionally(ref, client, slot, value)
                : writeUnconditionally(ref, client, slot, value);
    }

    /** Closes the clients this source built; an explicit client is left open. Later loads and writes fail. */
    @Override
    public void close() {
        closed = true;
        for (SecretsManagerClient client : List.copyOf(clients.values())) {
            clients.values().remove(client);
            closeQuietly(client);
        }
    }

    /** Shows the scheme and the client configuration, never a value or a credential. */
    @Override
    public String toString() {
        return "AwsSecretsManagerSource[scheme=" + SCHEME + ", client=" + (givenClient != null ? "given"
                : "default chain" + (region == null ? "" : ", region=" + region.id())
                + (endpointOverride == null ? "" : ", endpointOverride=" + Endpoints.shown(endpointOverride)))
                + ", minWriteInterval=" + pacer.interval() + (closed ? ", closed" : "") + "]";
    }

    private WriteResult writeExpecting(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot,
            String secretKey, Secret value, String expected) {
        Optional<WriteResult> earlier = resolveLostAnswer(ref, client, secretKey, value, expected);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (ref.field().isEmpty()) {
            return compareAndSet(ref, client, slot, secretKey, value, value, expected);
        }
        GetSecretValueResponse current = getCurrentForWrite(ref, client)
                .orElseThrow(() -> new CredentialNotFoundException(ref, "AWS Secrets Manager has no such secret;"
                        + " the write expected version " + expected));
        if (!expected.equals(current.versionId())) {
            return WriteResult.conflict(current.versionId());
        }
        Secret merged = merge(ref, current, value);
        try {
            return compareAndSet(ref, client, slot, secretKey, merged, value, expected);
        } finally {
            merged.destroy();
        }
    }

    private WriteResult writeUnconditionally(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot,
            Secret value) {
        slot.take();
        // A second round only when the secret was missing and then created by another writer meanwhile.
        for (int round = 0; ; round++) {
            String token = newToken();
            PutSecretValueRequest.Builder put = PutSecretValueRequest.builder().secretId(ref.path())
                    .clientRequestToken(token);
            setValue(value, put::secretString, put::secretBinary);
            try {
                PutSecretValueResponse response = client.putSecretValue(put.build());
                return WriteResult.written(response.versionId() != null ? response.versionId() : token);
            } catch (ResourceNotFoundException e) {
                Optional<WriteResult> created = create(ref, client, value);
                if (created.isPresent() || round > 0) {
                    return created.orElseThrow(() -> new SourceUnavailableException(ref, "the secret was reported"
                            + " both missing and existing; try again", null));
                }
            } catch (SdkException e) {
                throw AwsErrors.mapCarryingValue(ref, "PutSecretValue", e);
            }
        }
    }

    private WriteResult writeFieldUnconditionally(CredentialRef ref, SecretsManagerClient client,
            WritePacer.Slot slot, Secret value) {
        WriteResult result = null;
        boolean exists = false;
        for (int attempt = 0; attempt < UNCONDITIONAL_FIELD_ATTEMPTS; attempt++) {
            Optional<GetSecretValueResponse> current = getCurrentForWrite(ref, client);
            if (current.isEmpty()) {
                slot.take();
                Secret created = SecretFields.merge(ref, Optional.empty(), value);
                try {
                    if (exists) {
                        // CreateSecret said the secret exists, yet it still has no AWSCURRENT value: it was created
                        // without one (by infrastructure code, say). Give it its first value.
                        return putCurrent(ref, client, created);
                    }
                    Optional<WriteResult> written = create(ref, client, created);
                    if (written.isPresent()) {
                        return written.get();
                    }
                } finally {
                    created.destroy();
                }
                // Created by another writer meanwhile, or created without a value: read it again.
                exists = true;
                continue;
            }
            Secret merged = merge(ref, current.get(), value);
            try {
                result = compareAndSet(ref, client, slot, null, merged, value, current.get().versionId());
            } finally {
                merged.destroy();
            }
            if (result.isWritten()) {
                return result;
            }
            // Another writer changed the secret between the read and the move: merge into its value instead.
        }
        if (result == null) {
            throw new SourceUnavailableException(ref, "the secret was reported both missing and existing; try"
                    + " again", null);
        }
        return result;
    }

    /** Stores a value as a new version and makes it {@code AWSCURRENT} ({@code PutSecretValue} without stages). */
    private static WriteResult putCurrent(CredentialRef ref, SecretsManagerClient client, Secret value) {
        String token = newToken();
        PutSecretValueRequest.Builder put = PutSecretValueRequest.builder().secretId(ref.path())
                .clientRequestToken(token);
        setValue(value, put::secretString, put::secretBinary);
        try {
            PutSecretValueResponse response = client.putSecretValue(put.build());
            LOG.debug("{}: gave the secret, created without a value, its first value", ref);
            return WriteResult.written(response.versionId() != null ? response.versionId() : token);
        } catch (SdkException e) {
            throw AwsErrors.mapCarryingValue(ref, "PutSecretValue", e);
        }
    }

    /**
     * Stages {@code stored} under {@link #STAGING_LABEL} and moves {@code AWSCURRENT} to it from {@code expected}.
     * {@code written} is the caller's value (the field's value for a field write), remembered only as a keyed hash,
     * under {@code secretKey}, when the answer to the move is lost; a {@code null} key remembers nothing.
     */
    private WriteResult compareAndSet(CredentialRef ref, SecretsManagerClient client, WritePacer.Slot slot,
            String secretKey, Secret stored, Secret written, String expected) {
        slot.take();
        String token = newToken();
        PutSecretValueRequest.Builder put = PutSecretValueRequest.builder().secretId(ref.path())
                .clientRequestToken(token).versionStages(STAGING_LABEL);
        setValue(stored, put::secretString, put::secretBinary);
        try {
            client.putSecretValue(put.build());
        } catch (ResourceNotFoundException e) {
            throw new CredentialNotFoundException(ref, "AWS Secrets Manager has no such secret; the write expected"
                    + " version " + expected);
        } catch (SdkException e) {
            throw AwsErrors.mapCarryingValue(ref, "PutSecretValue", e);
        }
        try {
            client.updateSecretVersionStage(r -> r.secretId(ref.path()).versionStage(CURRENT)
                    .moveToVersionId(token).removeFromVersionId(expected));
        } catch (SdkException e) {
            CredentialException mapped = AwsErrors.map(ref, "UpdateSecretVersionStage", e);
            if (mapped instanceof CredentialAccessDeniedException) {
                unstage(ref, client, token);
                throw mapped;
            }
            // A refusal means AWSCURRENT is no longer on the expected version, unless the SDK retried a move whose
            // first answer was lost; any other failure leaves it unknown whether the move happened. Ask.
            // Refused: AWS answered, and not with throttling or a server error (mapped as unavailable), after which
            // the move is known not to have been made by this request.
            boolean refused = e instanceof AwsServiceException && !(mapped instanceof SourceUnavailableException);
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
        unstage(ref, client, token);
        return WriteResult.written(token);
    }

    /**
     * Answers a retried write whose earlier attempt lost the answer to its label move: written if that attempt's
     * version is current and held the same value, a conflict if it is current with another value.
     */
    private Optional<WriteResult> resolveLostAnswer(CredentialRef ref, SecretsManagerClient client, String secretKey,
            Secret value, String expected) {
        Optional<LostAnswers.Lost> lost = lostAnswers.find(secretKey, expected);
        if (lost.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> current = currentVersion(ref, client);
        if (current.isEmpty()) {
            throw new SourceUnavailableException(ref, "AWS Secrets Manager could not be asked whether an earlier"
                    + " write of version " + lost.get().token + " took effect", null);
        }
        lostAnswers.forget(secretKey, expected);
        if (!current.get().equals(lost.get().token)) {
            unstage(ref, client, lost.get().token);
            return Optional.empty();
        }
        unstage(ref, client, lost.get().token);
        return Optional.of(lostAnswers.sameValue(lost.get(), value) ? WriteResult.written(current.get())
                : WriteResult.conflict(current.get()));
    }

    /** Creates the secret with the value; empty if another writer created it first. */
    private Optional<WriteResult> create(CredentialRef ref, SecretsManagerClient client, Secret value) {
        if (ref.path().startsWith("arn:")) {
            throw new CredentialNotFoundException(ref, "AWS Secrets Manager has no such secret, and a secret cannot"
                    + " be created from an ARN: write to its name");
        }
        String token = newToken();
        CreateSecretRequest.Builder create = CreateSecretRequest.builder().name(ref.path()).clientRequestToken(token);
        setValue(value, create::secretString, create::secretBinary);
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

    private Optional<GetSecretValueResponse> getCurrentForWrite(CredentialRef ref, SecretsManagerClient client) {
        try {
            return Optional.of(client.getSecretValue(r -> r.secretId(ref.path()).versionStage(CURRENT)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.map(ref, "GetSecretValue", e);
        }
    }

    private static Secret merge(CredentialRef ref, GetSecretValueResponse current, Secret fieldValue) {
        Secret existing = valueOf(ref, current);
        try {
            if (current.secretString() == null) {
                throw new InvalidCredentialException(ref, "cannot set a field: the secret holds SecretBinary, not a"
                        + " JSON SecretString");
            }
            return SecretFields.merge(ref, Optional.of(existing), fieldValue);
        } finally {
            existing.destroy();
        }
    }

    /** Removes the staging label from a version; failures are logged, as the label moves on with the next write. */
    private void unstage(CredentialRef ref, SecretsManagerClient client, String token) {
        try {
            client.updateSecretVersionStage(r -> r.secretId(ref.path()).versionStage(STAGING_LABEL)
                    .removeFromVersionId(token));
        } catch (SdkException e) {
            LOG.debug("{}: the staging label {} stays on version {} until the next write ({})", ref, STAGING_LABEL,
                    token, e.getClass().getSimpleName());
        }
    }

    /**
     * Asks which version is {@code AWSCURRENT}: with {@code DescribeSecret}, which reads no value, or where that is
     * refused (it needs {@code secretsmanager:DescribeSecret}, an IAM action of its own) with {@code GetSecretValue}
     * of {@code AWSCURRENT}, whose value is dropped at once. Empty if AWS cannot tell now.
     */
    private Optional<String> currentVersion(CredentialRef ref, SecretsManagerClient client) {
        try {
            Map<String, List<String>> stages = client.describeSecret(r -> r.secretId(ref.path()))
                    .versionIdsToStages();
            for (Map.Entry<String, List<String>> entry : stages.entrySet()) {
                if (entry.getValue().contains(CURRENT)) {
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
            GetSecretValueResponse response = client.getSecretValue(r -> r.secretId(ref.path()).versionStage(CURRENT));
            return Optional.ofNullable(response.versionId());
        } catch (SdkException e) {
            LOG.debug("{}: GetSecretValue of AWSCURRENT failed ({})", ref, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private void pause(CredentialRef ref) {
        try {
            pause.sleep(REASK_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException(ref, "interrupted while waiting to ask again which version is"
                    + " current", null);
        }
    }

    private static GetSecretValueResponse get(CredentialRef ref, SecretsManagerClient client,
            GetSecretValueRequest request) {
        try {
            return client.getSecretValue(request);
        } catch (SdkException e) {
            throw AwsErrors.map(ref, "GetSecretValue", e);
        }
    }

    private static Secret valueOf(CredentialRef ref, GetSecretValueResponse response) {
        if (response.secretString() != null) {
            return Secret.of(response.secretString());
        }
        if (response.secretBinary() != null) {
            if (ref.field().isPresent()) {
                throw new InvalidCredentialException(ref, "a field was asked for, but the secret holds SecretBinary,"
                        + " not a JSON SecretString");
            }
            byte[] bytes = response.secretBinary().asByteArray();
            try {
                return Secret.ofBytes(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        throw new CredentialNotFoundException(ref, "the version " + response.versionId() + " holds no value");
    }

    /** Passes the value to a request as {@code SecretString} when it is UTF-8 text, else as {@code SecretBinary}. */
    private static void setValue(Secret value, Consumer<String> asText, Consumer<SdkBytes> asBinary) {
        byte[] bytes = value.revealBytes();
        try {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                asBinary.accept(SdkBytes.fromByteArray(bytes));
                return;
            }
            asText.accept(text);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String newToken() {
        return UUID.randomUUID().toString();
    }

    private SecretsManagerClient clientFor(CredentialRef ref) {
        if (closed) {
            throw new IllegalStateException("The AWS Secrets Manager source is closed");
        }
        if (givenClient != null) {
            return givenClient;
        }
        String key = regionKey(ref);
        SecretsManagerClient client;
        try {
            client = clients.computeIfAbsent(key, this::newClient);
        } catch (SdkException e) {
            throw AwsErrors.map(ref, "client set-up", e);
        } catch (RuntimeException e) {
            // The SDK checks some settings with plain exceptions: an empty AWS_ENDPOINT_URL_SECRETS_MANAGER gives a
            // NullPointerException. Their messages describe settings, not secrets.
            throw new CredentialException(ref, "the AWS SDK could not build a Secrets Manager client from this"
                    + " environment's settings (AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the"
                    + " profile): " + e.getMessage(), e, false);
        }
        if (closed) {
            clients.values().remove(client);
            closeQuietly(client);
            throw new IllegalStateException("The AWS Secrets Manager source is closed");
        }
        return client;
    }

    private SecretsManagerClient newClient(String regionKey) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                // Explicit, so that another SDK HTTP client on the class path is not picked instead.
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!regionKey.equals(DEFAULT_REGION)) {
            builder.region(Region.of(regionKey));
        } else if (region != null) {
            builder.region(region);
        }
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        if (credentialsProvider != null) {
            builder.credentialsProvider(credentialsProvider);
        }
        return builder.build();
    }

    /** The region a reference is read in: its {@code ?region=}, else its ARN's, else the source's default. */
    private String regionKey(CredentialRef ref) {
        Optional<String> option = ref.option("region");
        if (option.isPresent() && !REGION.matcher(option.get()).matches()) {
            throw invalid(ref, "has a malformed region '" + option.get() + "'");
        }
        Matcher arn = ARN_REGION.matcher(ref.path());
        Optional<String> arnRegion = arn.find() ? Optional.of(arn.group(1)) : Optional.empty();
        if (option.isPresent() && arnRegion.isPresent() && !option.equals(arnRegion)) {
            throw invalid(ref, "is an ARN in region " + arnRegion.get() + " but asks for region " + option.get());
        }
        if (givenClient != null) {
            if (option.isPresent()) {
                Region clientRegion = clientRegion();
                if (clientRegion == null || !clientRegion.id().equals(option.get())) {
                    throw invalid(ref, "asks for region " + option.get() + ", but the source was given one client,"
                            + " for region " + (clientRegion == null ? "unknown" : clientRegion.id())
                            + "; build the source without an explicit client, or use one source per region");
                }
            }
            return DEFAULT_REGION;
        }
        return option.or(() -> arnRegion).orElse(DEFAULT_REGION);
    }

    private Region clientRegion() {
        try {
            return givenClient.serviceClientConfiguration().region();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(SecretsManagerClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing an AWS Secrets Manager client failed: {}", e.getClass().getName());
        }
    }

    private static IllegalArgumentException invalid(CredentialRef ref, String problem) {
        return new IllegalArgumentException("Credential reference '" + ref + "' " + problem);
    }

    /**
     * Writes whose label move timed out and whose outcome could not be asked at once, keyed by secret and expected
     * version. The value is kept only as an HMAC under a key made for this source, so that a retry of the same
     * value can be told from a newer one without holding the value. Thread-safe.
     */
    private static final class LostAnswers {

        private static final int MAX = 64;

        private final byte[] key = new byte[32];
        private final Map<String, Lost> lost = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Lost> eldest) {
                return size() > MAX;
            }
        };

        LostAnswers() {
            new SecureRandom().nextBytes(key);
        }

        synchronized void remember(String secretKey, String expected, String token, Secret value) {
            lost.put(secretKey + "\u0000" + expected, new Lost(token, mac(value)));
        }

        synchronized Optional<Lost> find(String secretKey, String expected) {
            return Optional.ofNullable(lost.get(secretKey + "\u0000" + expected));
        }

        synchronized void forget(String secretKey, String expected) {
            lost.remove(secretKey + "\u0000" + expected);
        }

        boolean sameValue(Lost entry, Secret value) {
            return MessageDigest.isEqual(entry.mac, mac(value));
        }

        private byte[] mac(Secret value) {
            byte[] bytes = value.revealBytes();
            try {
                Mac hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(key, "HmacSHA256"));
                return hmac.doFinal(bytes);
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }

        private static final class Lost {
            final String token;
            final byte[] mac;

            Lost(String token, byte[] mac) {
                this.token = token;
                this.mac = mac;
            }
        }
    }

    /** Waits a while; {@link Thread#sleep} outside tests. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Builds an {@link AwsSecretsManagerSource}. Each option may be set once; an explicit client excludes the
     * options that configure the clients the source would build. Not thread-safe.
     */
    public static final class Builder {

        private SecretsManagerClient client;
        private Region region;
        private URI endpointOverride;
        private IdentityProvider<? extends AwsCredentialsIdentity> credentialsProvider;
        private Duration minWriteInterval;
        private Clock clock;
        private Pause pause;

        private Builder() {
        }

        /** How the source waits before asking again which version is current; for tests, which let no time pass. */
        Builder pause(Pause pause) {
            this.pause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /**
         * Uses this client for every reference. The source never closes it. Excludes {@link #region},
         * {@link #endpointOverride} and {@link #credentialsProvider}, which configure clients the source builds.
         *
         * <p>By default, the source builds one client per region, when first needed, from the default credential
         * and region chains, and closes them when it is closed.
         *
         * @param client the client
         * @return this builder
         * @throws IllegalStateException if set twice, or after an option it excludes
         */
        public Builder client(SecretsManagerClient client) {
            Objects.requireNonNull(client, "client");
            once(this.client, "client", "a client");
            excludes("client", region, "region", endpointOverride, "endpointOverride", credentialsProvider,
                    "credentialsProvider");
            this.client = client;
            return this;
        }

        /**
         * The region of references without {@code ?region=} and of names (an ARN names its own region).
         *
         * <p>By default, the SDK's default region chain: {@code AWS_REGION}, the {@code aws.region} system
         * property, the profile's region, then instance metadata.
         *
         * @param region the region
         * @return this builder
         * @throws IllegalStateException if set twice, or with {@link #client}
         */
        public Builder region(Region region) {
            Objects.requireNonNull(region, "region");
            once(this.region, "region", this.region);
            excludes("region", client, "client");
            this.region = region;
            return this;
        }

        /**
         * Sends every request to this endpoint, in every region: a VPC endpoint, or an emulator in tests.
         *
         * <p>By default, none: the SDK resolves the endpoint from the region, honouring
         * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL}, their system properties
         * ({@code aws.endpointUrlSecretsManager}, {@code aws.endpointUrl}) and a profile's {@code endpoint_url}.
         *
         * @param endpoint the endpoint, such as {@code https://vpce-0123.secretsmanager.eu-west-1.vpce.amazonaws.com}
         * @return this builder
         * @throws IllegalStateException if set twice, or with {@link #client}
         * @throws IllegalArgumentException if the endpoint is not an absolute http or https URI
         */
        public Builder endpointOverride(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            once(this.endpointOverride, "endpointOverride",
                    this.endpointOverride == null ? null : Endpoints.shown(this.endpointOverride));
            excludes("endpointOverride", client, "client");
            if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())
                    || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpointOverride must be an absolute http or https URI: "
                        + Endpoints.shown(endpoint));
            }
            this.endpointOverride = endpoint;
            return this;
        }

        /**
         * Where the clients the source builds get their AWS credentials, such as
         * {@code StaticCredentialsProvider} or a role's provider.
         *
         * <p>By default, the SDK's default credentials provider chain (environment, system properties, web
         * identity, profile, container and instance credentials).
         *
         * @param provider the provider
         * @return this builder
         * @throws IllegalStateException if set twice, or with {@link #client}
         */
        public Builder credentialsProvider(IdentityProvider<? extends AwsCredentialsIdentity> provider) {
            Objects.requireNonNull(provider, "provider");
            once(this.credentialsProvider, "credentialsProvider", "a provider");
            excludes("credentialsProvider", client, "client");
            this.credentialsProvider = provider;
            return this;
        }

        /**
         * Paces writes: a write of a secret that this source wrote less than {@code interval} ago is refused
         * before any request, with a retryable {@link WritePacedException} saying when the next is allowed; nothing
         * is held back or written later (see the class documentation for why). AWS advises at most about one
         * {@code PutSecretValue} per secret every 10 minutes, sustained; {@code Duration.ofMinutes(10)} follows that
         * advice strictly. A write counts from its first {@code PutSecretValue} or {@code CreateSecret}, even
         * when that request then fails: it may have made a version.
         *
         * <p>By default, zero: writes are not paced.
         *
         * @param interval the minimum time between two writes of one secret; zero or more
         * @return this builder
         * @throws IllegalStateException if set twice
         * @throws IllegalArgumentException if negative
         */
        public Builder minWriteInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            once(this.minWriteInterval, "minWriteInterval", this.minWriteInterval);
            if (interval.isNegative()) {
                throw new IllegalArgumentException("minWriteInterval must not be negative: " + interval);
            }
            this.minWriteInterval = interval;
            return this;
        }

        /**
         * The clock write pacing reads.
         *
         * <p>By default, the system clock in UTC.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalStateException if set twice
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            once(this.clock, "clock", this.clock);
            this.clock = clock;
            return this;
        }

        /**
         * Builds the source. Makes no request: clients are built when first needed.
         *
         * @return the source
         */
        public AwsSecretsManagerSource build() {
            return new AwsSecretsManagerSource(this);
        }

        private static void once(Object current, String option, Object shown) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set, to " + shown);
            }
        }

        private static void excludes(String option, Object... others) {
            for (int i = 0; i < others.length; i += 2) {
                if (others[i] != null) {
                    throw new IllegalStateException(option + " cannot be combined with " + others[i + 1]
                            + ", which is already set: an explicit client is used as it was configured");
                }
            }
        }
    }
}
