package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.EndpointChecks;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.spi.WritableCredentialSource;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

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
 * <p><b>Writes</b> are compare-and-set through a staging label: {@code PutSecretValue} stores the value as a new
 * version under {@value #STAGING_LABEL}, leaving {@code AWSCURRENT} where it is, then
 * {@code UpdateSecretVersionStage} moves {@code AWSCURRENT} to it with {@code RemoveFromVersionId} set to the
 * expected version. AWS refuses that move when another writer moved {@code AWSCURRENT} first: a
 * {@link WriteResult#conflict} with the version now current, nothing overwritten. A write with a field reads
 * {@code AWSCURRENT}, answers a conflict at once if that is not the expected version, and otherwise merges the
 * field into that JSON object. A write with no expected version replaces the value ({@code PutSecretValue}, a
 * read-merge-write for a field), creating the secret when it does not exist. If the answer to the label move is
 * lost, the source asks which version is current before it answers, so a retried write does not turn its own
 * success into a conflict.
 *
 * <p><b>Write pacing.</b> Not paced by default. With {@link Builder#minWriteInterval}, a write of a secret that this
 * source wrote less than that interval ago is refused before any request, with a retryable
 * {@link WritePacedException} saying when the next write is allowed; nothing is held back or written later. Pacing
 * is per source, that is per process. AWS's limits, and why the source never holds a write back:
 * {@code docs/adr/0007-aws-writes-staged-label-cas.md}.
 *
 * <p><b>Clients.</b> Given an explicit {@link SecretsManagerClient}, the source uses it for every reference (a
 * {@code ?region=} other than the client's is refused) and never closes it. Otherwise it builds one client per
 * region, when first needed, from the default credential and region chains, and closes them in {@link #close()}.
 * Those clients use the JDK's HTTP client (the SDK's {@code url-connection-client}) and honour the SDK's endpoint
 * settings ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL}, a profile's {@code endpoint_url}),
 * so an emulator can be configured with environment variables alone; {@link Builder#endpointOverride} wins over
 * them. Wherever it comes from, the endpoint must use {@code https}: secret values and rotated refresh tokens cross
 * the wire. {@code http} is allowed only to a loopback host (an emulator on {@code 127.0.0.1}) and only with
 * {@link Builder#allowInsecureLoopback} or {@value #ALLOW_INSECURE_LOOPBACK_VARIABLE}{@code =true}; an endpoint
 * refused by this rule, or one with user info, fails before any request, with a message that names the setting and
 * the host.
 *
 * <p><b>Errors.</b> {@code ResourceNotFoundException} (or a secret scheduled for deletion) is a
 * {@link CredentialNotFoundException}; {@code AccessDeniedException}, {@code DecryptionFailure},
 * {@code EncryptionFailure} and rejected credentials are a {@link CredentialException} of kind
 * {@link CredentialException.Kind#ACCESS_DENIED} that names the IAM action or KMS key; throttling,
 * {@code InternalServiceError}, 5xx answers, I/O errors and time-outs are a retryable
 * {@link SourceUnavailableException}; a field asked of a value that is not a JSON object, or of a binary value, is
 * of kind {@link CredentialException.Kind#INVALID}; missing AWS credentials or region, and other refusals of a
 * request, are of kind {@link CredentialException.Kind#CONFIGURATION}. Messages name the reference, never a value;
 * the SDK's message of a request that carried a value is never quoted. The SDK itself logs no request or response
 * body, even at DEBUG (its request signer does log, at DEBUG, the SHA-256 hash of each request body).
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
     * The environment variable that, set to {@code true}, allows an {@code http} endpoint on a loopback host when
     * {@link Builder#allowInsecureLoopback} is not called: {@value}.
     */
    public static final String ALLOW_INSECURE_LOOPBACK_VARIABLE = "BIGLEDGER_AWS_ALLOW_INSECURE_LOOPBACK";

    /**
     * The staging label under which a value waits between {@code PutSecretValue} and the move of
     * {@code AWSCURRENT}. Not {@code AWSPENDING}, which belongs to AWS's rotation functions.
     */
    public static final String STAGING_LABEL = "BIGLEDGER_AUTH_PENDING";

    static final String CURRENT = "AWSCURRENT";

    /**
     * How long a writer waits before asking again which version is current, when the first answer after a refused
     * label move still shows the expected version: Secrets Manager is eventually consistent, and a read right after
     * a change may not show it yet.
     */
    static final Duration REASK_DELAY = Duration.ofSeconds(1);

    private final SecretsManagerClients clients;
    private final WritePacer pacer;
    private final SecretWrites writes;

    private AwsSecretsManagerSource(Builder builder) {
        this.clients = new SecretsManagerClients(builder.client, builder.region, builder.endpointOverride,
                builder.allowInsecureLoopback != null ? builder.allowInsecureLoopback
                        : EnvironmentSettings.system().isTrue(ALLOW_INSECURE_LOOPBACK_VARIABLE),
                builder.credentialsProvider);
        this.pacer = new WritePacer(builder.minWriteInterval == null ? Duration.ZERO : builder.minWriteInterval,
                builder.clock == null ? Clock.systemUTC() : builder.clock);
        LostAnswers lostAnswers = new LostAnswers();
        this.writes = new SecretWrites(new StagedLabelCas(lostAnswers,
                builder.pause != null ? builder.pause : duration -> Thread.sleep(duration.toMillis())), lostAnswers);
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
        return SecretsManagerRefs.OPTIONS.names();
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
        SecretsManagerRefs.check(ref);
        clients.regionKey(ref);
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
     * @throws SourceUnavailableException if AWS could not be reached, throttled or failed (retryable)
     * @throws CredentialException of kind {@link CredentialException.Kind#ACCESS_DENIED} if AWS refused access, or
     *     the KMS key could not decrypt; {@link CredentialException.Kind#INVALID} if a field is asked of a value that
     *     is binary or not a JSON object; {@link CredentialException.Kind#CONFIGURATION} for another refusal, which
     *     the message names
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
        GetSecretValueResponse response = get(ref, clients.clientFor(ref), request.build());
        Secret whole = SecretValues.valueOf(ref, response);
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

    /** {@inheritDoc} A write moves the AWSCURRENT label only from the expected version. */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        return true;
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
     * @throws SourceUnavailableException if AWS could not be reached, throttled or failed (retryable)
     * @throws CredentialException of kind {@link CredentialException.Kind#ACCESS_DENIED} if AWS refused an action,
     *     which the message names; {@link CredentialException.Kind#INVALID} if a field is written into a value that
     *     is binary or not a JSON object; {@link CredentialException.Kind#CONFIGURATION} for another refusal, which
     *     the message names
     */
    @Override
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        check(ref);
        SecretsManagerRefs.checkWritable(ref);
        SecretsManagerClient client = clients.clientFor(ref);
        String secretKey = clients.regionKey(ref) + "\u0000" + ref.path();
        return writes.write(ref, client, pacer.slot(ref, secretKey), secretKey, value, expectedVersion);
    }

    /** Closes the clients this source built; an explicit client is left open. Later loads and writes fail. */
    @Override
    public void close() {
        clients.close();
    }

    /** Shows the scheme and the client configuration, never a value or a credential. */
    @Override
    public String toString() {
        return "AwsSecretsManagerSource[scheme=" + SCHEME + ", " + clients.shown() + ", minWriteInterval="
                + pacer.interval() + (clients.isClosed() ? ", closed" : "") + "]";
    }

    private static GetSecretValueResponse get(CredentialRef ref, SecretsManagerClient client,
            GetSecretValueRequest request) {
        try {
            return client.getSecretValue(request);
        } catch (SdkException e) {
            throw AwsErrors.map(ref, "GetSecretValue", e);
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
        private Boolean allowInsecureLoopback;

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
         * <p>It must use {@code https}; {@code http} is allowed only to a loopback host, with
         * {@link #allowInsecureLoopback}, as for the SDK's endpoint settings.
         *
         * @param endpoint the endpoint, such as {@code https://vpce-0123.secretsmanager.eu-west-1.vpce.amazonaws.com}
         * @return this builder
         * @throws IllegalStateException if set twice, or with {@link #client}
         * @throws IllegalArgumentException if the endpoint is not an absolute http or https URL with a host, or has
         *     user info or a fragment
         */
        public Builder endpointOverride(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            once(this.endpointOverride, "endpointOverride",
                    this.endpointOverride == null ? null : EndpointChecks.shown(this.endpointOverride));
            excludes("endpointOverride", client, "client");
            this.endpointOverride = EndpointChecks.checkShape("endpointOverride", endpoint);
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
         * Allows an {@code http} endpoint on a loopback host (such as an emulator on {@code http://127.0.0.1}),
         * whether it comes from {@link #endpointOverride} or from the SDK's endpoint settings. An {@code http}
         * endpoint on any other host is refused either way: secret values and rotated refresh tokens would cross
         * the network in clear.
         *
         * <p>By default, {@code false}, unless the environment variable {@value #ALLOW_INSECURE_LOOPBACK_VARIABLE}
         * is {@code true}.
         *
         * @param allow whether to allow http to a loopback host
         * @return this builder
         * @throws IllegalStateException if set twice
         */
        public Builder allowInsecureLoopback(boolean allow) {
            once(this.allowInsecureLoopback, "allowInsecureLoopback", this.allowInsecureLoopback);
            this.allowInsecureLoopback = allow;
            return this;
        }

        /**
         * Builds the source. Makes no request: clients are built when first needed, and the SDK's endpoint
         * settings are checked then.
         *
         * @return the source
         * @throws IllegalStateException if {@link #endpointOverride} uses {@code http} to a host that is not a
         *     loopback host, or to one without {@link #allowInsecureLoopback}
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
