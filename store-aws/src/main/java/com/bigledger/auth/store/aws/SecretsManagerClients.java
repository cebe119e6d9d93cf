package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.spi.EndpointChecks;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The client pool of an {@link AwsSecretsManagerSource}: the region a reference is read in, and the client for that
 * region — the explicit client, or one built per region when first needed, with the endpoint checked against the
 * transport rule before any request, and closed with the pool.
 *
 * <p>Thread-safe: clients are built at most once per region through a concurrent map; a client built while the pool
 * closes is closed at once.
 */
final class SecretsManagerClients {

    private static final Logger LOG = LoggerFactory.getLogger(AwsSecretsManagerSource.class);
    private static final String OPT_IN = "allowInsecureLoopback(true) or "
            + AwsSecretsManagerSource.ALLOW_INSECURE_LOOPBACK_VARIABLE + "=true";
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern ARN_REGION = Pattern.compile("^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):");
    /** The key under which the default region's client is kept. */
    private static final String DEFAULT_REGION = "";

    private final SecretsManagerClient givenClient;
    private final Region region;
    private final URI endpointOverride;
    private final boolean allowInsecureLoopback;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentialsProvider;
    private final ConcurrentMap<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Makes a pool; builds no client yet.
     *
     * @throws IllegalStateException if the endpoint override breaks the transport rule
     */
    SecretsManagerClients(SecretsManagerClient givenClient, Region region, URI endpointOverride,
            boolean allowInsecureLoopback, IdentityProvider<? extends AwsCredentialsIdentity> credentialsProvider) {
        this.givenClient = givenClient;
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.allowInsecureLoopback = allowInsecureLoopback;
        if (endpointOverride != null) {
            EndpointChecks.checkTransport("endpointOverride", endpointOverride, allowInsecureLoopback, OPT_IN);
        }
        this.credentialsProvider = credentialsProvider;
    }

    /** The client for a reference's region, built when first needed. */
    SecretsManagerClient clientFor(CredentialRef ref) {
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
        } catch (InsecureEndpoint e) {
            throw new CredentialException(Kind.CONFIGURATION, ref, e.getMessage(), null);
        } catch (SdkException e) {
            throw AwsErrors.map(ref, "client set-up", e);
        } catch (RuntimeException e) {
            // The SDK checks some settings with plain exceptions: an empty AWS_ENDPOINT_URL_SECRETS_MANAGER gives a
            // NullPointerException. Their messages describe settings, not secrets.
            throw new CredentialException(Kind.CONFIGURATION, ref, "the AWS SDK could not build a Secrets Manager"
                    + " client from this environment's settings (AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER,"
                    + " AWS_ENDPOINT_URL, the profile): " + e.getMessage(), e);
        }
        if (closed) {
            clients.values().remove(client);
            closeQuietly(client);
            throw new IllegalStateException("The AWS Secrets Manager source is closed");
        }
        return client;
    }

    /** Closes the clients the pool built; an explicit client is left open. Later calls of {@link #clientFor} fail. */
    void close() {
        closed = true;
        for (SecretsManagerClient client : List.copyOf(clients.values())) {
            clients.values().remove(client);
            closeQuietly(client);
        }
    }

    /** The client configuration as {@code AwsSecretsManagerSource.toString} shows it: never a credential. */
    String shown() {
        return "client=" + (givenClient != null ? "given"
                : "default chain" + (region == null ? "" : ", region=" + region.id())
                + (endpointOverride == null ? "" : ", endpointOverride=" + EndpointChecks.shown(endpointOverride)));
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        return closed;
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
        SecretsManagerClient client = builder.build();
        if (endpointOverride == null) {
            // The SDK's own endpoint settings follow the same rule as endpointOverride, checked before any request.
            Optional<URI> configured = client.serviceClientConfiguration().endpointOverride();
            if (configured.isPresent()) {
                String setting = endpointSetting();
                try {
                    EndpointChecks.checkTransport(setting, EndpointChecks.checkShape(setting, configured.get()),
                            allowInsecureLoopback, OPT_IN);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    closeQuietly(client);
                    throw new InsecureEndpoint(e.getMessage());
                }
            }
        }
        return client;
    }

    /**
     * Names the setting the SDK took its endpoint from, in the SDK's order: the service's system property and
     * variable, then the global ones, then the profile.
     */
    private static String endpointSetting() {
        String[][] settings = {
            {"aws.endpointUrlSecretsManager", null, "AWS_ENDPOINT_URL_SECRETS_MANAGER (system property "
                    + "aws.endpointUrlSecretsManager)"},
            {null, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL_SECRETS_MANAGER"},
            {"aws.endpointUrl", null, "AWS_ENDPOINT_URL (system property aws.endpointUrl)"},
            {null, "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL"},
        };
        for (String[] setting : settings) {
            String value = setting[0] != null ? System.getProperty(setting[0]) : System.getenv(setting[1]);
            if (value != null && !value.isBlank()) {
                return "The Secrets Manager endpoint in " + setting[2];
            }
        }
        return "The Secrets Manager endpoint in the AWS profile's endpoint_url";
    }

    /** An endpoint from the SDK's settings that the transport rule refuses; its message names no secret. */
    private static final class InsecureEndpoint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InsecureEndpoint(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The region a reference is read in: its {@code ?region=}, else its ARN's, else the source's default (the
     * empty key).
     *
     * @throws IllegalArgumentException if the region is malformed, disagrees with the ARN's or the explicit client's
     */
    String regionKey(CredentialRef ref) {
        Optional<String> option = ref.option("region");
        if (option.isPresent() && !REGION.matcher(option.get()).matches()) {
            throw SecretsManagerRefs.invalid(ref, "has a malformed region '" + option.get() + "'");
        }
        Matcher arn = ARN_REGION.matcher(ref.path());
        Optional<String> arnRegion = arn.find() ? Optional.of(arn.group(1)) : Optional.empty();
        if (option.isPresent() && arnRegion.isPresent() && !option.equals(arnRegion)) {
            throw SecretsManagerRefs.invalid(ref, "is an ARN in region " + arnRegion.get()
                    + " but asks for region " + option.get());
        }
        if (givenClient != null) {
            if (option.isPresent()) {
                Region clientRegion = clientRegion();
                if (clientRegion == null || !clientRegion.id().equals(option.get())) {
                    throw SecretsManagerRefs.invalid(ref, "asks for region " + option.get() + ", but the"
                            + " source was given one client, for region "
                            + (clientRegion == null ? "unknown" : clientRegion.id())
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
}
