package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.BuilderOptions;
import com.bigledger.auth.spi.WritableCredentialSource;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code vault} credential source: secrets in HashiCorp Vault's KV engine, version 2 by default or version 1
 * with {@code ?kv=1}, read and written through {@code io.github.jopenlibs:vault-java-driver}.
 *
 * <ul>
 *   <li>{@code vault:secret/bigledger#api_key} is field {@code api_key} of secret {@code bigledger} in the KV
 *       version 2 mount {@code secret} (API path {@code secret/data/bigledger}). Mounts may be nested
 *       ({@code vault:team/kv/app} in mount {@code team/kv}): the source asks Vault once per mount which mount holds
 *       a path ({@code GET sys/internal/ui/mounts/<path>}, answered to any token with a capability on the path), and
 *       takes the first path segment where Vault cannot tell. {@code ?version=3} pins a version. The value's version
 *       is the KV version 2 version, which a {@linkplain #write compare-and-set write} expects.
 *   <li>Without {@code #field}, the value is the secret's data as a JSON object, or the plain value when the data
 *       is the single string field {@code value}.
 *   <li>{@code vault:kv/bigledger?kv=1#api_key} reads a KV version 1 mount, which keeps no versions.
 * </ul>
 *
 * <p>The source gets and keeps its own Vault token (see {@link VaultAuthentication}); a read refused with 403
 * asks Vault whether the token is still alive, and if it is not, gets a new token and tries once more (not when the
 * token lacks the {@code default} policy, without which Vault refuses that question too). Errors are mapped from
 * HTTP statuses, never from Vault's texts (but for the one fixed text of a KV upgrade in progress, which no status
 * tells apart, and which is never quoted), and messages name the reference, the API path and the status:
 * 403 is a {@link CredentialException} of kind {@link CredentialException.Kind#ACCESS_DENIED} with the token's
 * policies, 404 (also a deleted or destroyed version) is {@link CredentialNotFoundException}, 412, 429, 5xx (503:
 * sealed), a redirect (a standby's 307, never followed: it would carry the token elsewhere), the 400 of a KV mount
 * upgrading from version 1 to 2, and no answer are {@link SourceUnavailableException}, and any other refusal is of
 * kind {@link CredentialException.Kind#CONFIGURATION}. After a rate-limit quota's 429, nothing is sent to Vault
 * until its {@code Retry-After} (at most 5 minutes) has passed. No message or log line holds a secret: the driver's
 * exception messages quote response bodies, so they are never passed on.
 *
 * <p>Each read is one HTTP request to Vault (two when the token must be replaced, and one more the first time a
 * mount is met); put a
 * {@link CredentialVault} in front, which caches values so that reads on the hot path never reach Vault.
 *
 * <pre>{@code
 * VaultCredentialSource vault = VaultCredentialSource.builder()
 *         .address(URI.create("https://vault.internal:8200"))
 *         .authentication(VaultAuthentication.kubernetes("my-service"))
 *         .build();
 * Secret apiKey = vault.load(CredentialRef.parse("vault:secret/bigledger#api_key")).secret();
 * }</pre>
 *
 * <p>Thread-safe. {@link #load} and {@link #write} block on I/O; {@link #toString()} shows the address and the
 * authentication method, never a secret.
 */
public final class VaultCredentialSource implements WritableCredentialSource {

    /** The scheme this source serves. */
    public static final String SCHEME = "vault";

    /** The variable holding Vault's address, as for the Vault CLI. */
    public static final String ADDRESS_VARIABLE = "VAULT_ADDR";
    /** The variable holding the Vault Enterprise namespace, as for the Vault CLI. */
    public static final String NAMESPACE_VARIABLE = "VAULT_NAMESPACE";
    /** The variable holding a Vault token, as for the Vault CLI. */
    public static final String TOKEN_VARIABLE = "VAULT_TOKEN";
    /** The variable naming a PEM file of CA certificates to trust, as for the Vault CLI. */
    public static final String CA_CERT_VARIABLE = "VAULT_CACERT";
    /** The variable naming a PEM client certificate, as for the Vault CLI. */
    public static final String CLIENT_CERT_VARIABLE = "VAULT_CLIENT_CERT";
    /** The variable naming the client certificate's PEM (PKCS#8) key, as for the Vault CLI. */
    public static final String CLIENT_KEY_VARIABLE = "VAULT_CLIENT_KEY";
    /** The variable naming a token file, such as a Vault Agent sink. */
    public static final String TOKEN_FILE_VARIABLE = "BIGLEDGER_VAULT_TOKEN_FILE";
    /** The variable holding an AppRole role id. */
    public static final String ROLE_ID_VARIABLE = "BIGLEDGER_VAULT_ROLE_ID";
    /** The variable holding a reference to the AppRole secret id, such as {@code env:VAULT_SECRET_ID}. */
    public static final String SECRET_ID_REF_VARIABLE = "BIGLEDGER_VAULT_SECRET_ID_REF";
    /** The variable holding the Vault role of a Kubernetes login. */
    public static final String KUBERNETES_ROLE_VARIABLE = "BIGLEDGER_VAULT_KUBERNETES_ROLE";
    /** The variable naming the service-account token file of a Kubernetes login. */
    public static final String KUBERNETES_JWT_FILE_VARIABLE = "BIGLEDGER_VAULT_KUBERNETES_JWT_FILE";
    /** The variable naming the auth mount of a login, when not the method's default. */
    public static final String AUTH_MOUNT_VARIABLE = "BIGLEDGER_VAULT_AUTH_MOUNT";
    /** The variable that, when {@code true}, allows {@code http} to a loopback address. */
    public static final String ALLOW_INSECURE_LOOPBACK_VARIABLE = "BIGLEDGER_VAULT_ALLOW_INSECURE_LOOPBACK";

    private final URI address;
    private final String namespace;
    private final VaultAuthentication authentication;
    private final VaultTokens tokens;
    private final VaultKv kv;

    private VaultCredentialSource(URI address, String namespace, VaultAuthentication authentication,
            VaultClient client, VaultTokens tokens, Clock clock) {
        this.address = address;
        this.namespace = namespace;
        this.authentication = authentication;
        this.tokens = tokens;
        this.kv = new VaultKv(new VaultRequests(client, tokens, clock));
    }

    /**
     * Creates a source configured from the process environment: {@value #ADDRESS_VARIABLE}, and the other
     * variables each {@link Builder} option names.
     *
     * @return the source
     * @throws IllegalStateException if the environment sets no address or no authentication, or two
     * @throws BigLedgerAuthException if a TLS file it names cannot be read
     */
    public static VaultCredentialSource create() {
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
     * Returns {@code kv} and {@code version}.
     *
     * @return the option names
     */
    @Override
    public Set<String> supportedOptions() {
        return VaultPath.OPTIONS.names();
    }

    /**
     * Checks that the reference is {@code MOUNT/PATH} with the options {@link VaultCredentialSourceProvider#options()}
     * declares, so that a bad one fails when a handle is made.
     *
     * @param ref a reference of scheme {@code vault}
     * @throws IllegalArgumentException if the path has no secret under the mount, or an empty, {@code .} or
     *     {@code ..} segment, or an option is unknown, has a value it does not allow or is combined with one it
     *     cannot be; the message quotes the reference
     */
    @Override
    public void check(CredentialRef ref) {
        VaultPath.of(Objects.requireNonNull(ref, "ref"));
    }

    /**
     * Returns the address of Vault.
     *
     * @return the address
     */
    public URI address() {
        return address;
    }

    /**
     * Returns the Vault Enterprise namespace requests are sent to.
     *
     * @return the namespace, or empty for the root namespace
     */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /**
     * Reads a secret, or one field of it. Blocks on I/O, and on the login or renewal of the token when none is
     * usable.
     *
     * @param ref a reference such as {@code vault:secret/bigledger#api_key}
     * @return the value, with its KV version 2 version; unversioned for a KV version 1 mount
     * @throws IllegalArgumentException if the reference is not {@code vault:MOUNT/PATH}
     * @throws CredentialNotFoundException if there is no such secret, version or field (HTTP 404, also for a
     *     deleted or destroyed version)
     * @throws SourceUnavailableException if Vault cannot be reached or answers 412, 429 or 5xx
     * @throws CredentialException of kind {@link CredentialException.Kind#ACCESS_DENIED} if Vault denies the read
     *     (HTTP 403) or refuses this source's login or token; {@link CredentialException.Kind#INVALID} if the field
     *     is not a string, number or boolean, or a field is asked of a plain value;
     *     {@link CredentialException.Kind#CONFIGURATION} for any other refusal (400, 405)
     */
    @Override
    public VersionedSecret load(CredentialRef ref) {
        return kv.load(Objects.requireNonNull(ref, "ref"));
    }

    /** {@inheritDoc} KV version 2 writes carry {@code cas}; KV version 1 keeps no versions. */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        return !"1".equals(Objects.requireNonNull(ref, "ref").options().get("kv"));
    }

    /**
     * Writes a secret, or one field of it, with check-and-set on KV version 2.
     *
     * <p>On KV version 2 the write carries {@code options.cas} = {@code expectedVersion}, so Vault refuses it when
     * another writer got in first; that refusal is a {@linkplain WriteResult#conflict conflict} with the version now
     * current, and nothing is overwritten. A {@code #field} write reads the secret, checks that its version is the
     * expected one, sets the field and keeps the others, and writes with check-and-set on that version. With no
     * expected version, a whole-value write is unconditional, and a field write checks-and-sets on the version it
     * merged into, merging again (up to three times) when another writer got in between.
     *
     * <p>KV version 1 keeps no versions, so no check is possible: a write with an expected version is refused
     * rather than silently made unconditional; without one the last writer wins (for a field write, a field another
     * writer set meanwhile can be lost). Reads of KV version 1 return no version, so callers that write back what
     * they read pass none.
     *
     * @param ref where to write, without {@code ?version}
     * @param value the new value: a JSON object is stored as the secret's data, other text as the field
     *     {@code value}; with {@code #field}, the field's new string value
     * @param expectedVersion the KV version 2 version last read; {@code 0} to create only; empty for no check
     * @return written with the new version (none on KV version 1), or a conflict with the current version
     * @throws CredentialException of kind {@link CredentialException.Kind#CONFIGURATION} if the reference pins a
     *     version, the expected version is not a version number or is given for KV version 1, or Vault refuses the
     *     write (400, 405); {@link CredentialException.Kind#ACCESS_DENIED} if Vault denies the write (HTTP 403)
     * @throws SourceUnavailableException if Vault cannot be reached or answers 412, 429 or 5xx
     */
    @Override
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        return kv.write(ref, value, expectedVersion);
    }

    /** Stops renewing the token and releases what this source created. Reads after this fail. */
    @Override
    public void close() {
        tokens.close();
        authentication.closeOwned();
    }

    /** Shows the address, the namespace and the authentication method, never a secret. */
    @Override
    public String toString() {
        return "VaultCredentialSource[address=" + address + (namespace == null ? "" : ", namespace=" + namespace)
                + ", authentication=" + authentication + "]";
    }

    /**
     * Builds a {@link VaultCredentialSource}. Each option may be set once; options left unset are read from the
     * environment as each one says. Not thread-safe.
     */
    public static final class Builder {
        private final BuilderOptions options = new BuilderOptions("VaultCredentialSource");
        private Map<String, String> environment;
        private URI address;
        private String namespace;
        private Path caBundle;
        private Path clientCertificate;
        private Path clientKey;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private Boolean allowInsecureLoopback;
        private VaultAuthentication authentication;
        private Clock clock;
        private Scheduler scheduler;

        private Builder() {
        }

        /**
         * Sets the environment variables the options left unset are read from. By default, the process
         * environment.
         *
         * @param environment the variables; copied
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            options.once("environment", "a map of " + environment.size() + " variables");
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * Sets Vault's address, such as {@code https://vault.internal:8200}. It must be {@code https}, or
         * {@code http} to a loopback address with {@link #allowInsecureLoopback(boolean)}. By default,
         * {@value #ADDRESS_VARIABLE}; one of the two is required.
         *
         * @param address the address, without user info, query or fragment
         * @return this builder
         */
        public Builder address(URI address) {
            this.address = options.set("address", address);
            return this;
        }

        /**
         * Sets the Vault Enterprise namespace, sent as {@code X-Vault-Namespace} on every request, logins
         * included. By default, {@value #NAMESPACE_VARIABLE}, or none (the root namespace).
         *
         * @param namespace the namespace, such as {@code team-a}; not empty
         * @return this builder
         */
        public Builder namespace(String namespace) {
            options.once("namespace", namespace);
            this.namespace = options.nonEmpty("namespace", namespace);
            return this;
        }

        /**
         * Sets a PEM file of CA certificates to trust instead of the JDK's trust store; every certificate in it is
         * trusted. By default, {@value #CA_CERT_VARIABLE}, or the JDK's trust store.
         *
         * @param caBundle the PEM file
         * @return this builder
         */
        public Builder caBundle(Path caBundle) {
            this.caBundle = options.set("caBundle", caBundle);
            return this;
        }

        /**
         * Sets the client certificate presented to Vault (for mutual TLS) and its private key. By default,
         * {@value #CLIENT_CERT_VARIABLE} and {@value #CLIENT_KEY_VARIABLE}, or none.
         *
         * @param certificate a PEM file of the certificate, followed by its chain if any
         * @param key a PEM file of the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), RSA or EC
         * @return this builder
         */
        public Builder clientCertificate(Path certificate, Path key) {
            options.once("clientCertificate", certificate);
            this.clientCertificate = Objects.requireNonNull(certificate, "certificate");
            this.clientKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Sets how long opening a connection to Vault may take. By default, 10 seconds.
         *
         * @param timeout the timeout; positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            options.once("connectTimeout", timeout);
            this.connectTimeout = options.positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets how long one request to Vault may take once connected, rounded up to whole seconds (the driver's
         * unit). A read waiting for a login waits up to twice this. By default, 30 seconds.
         *
         * @param timeout the timeout; positive
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            options.once("requestTimeout", timeout);
            this.requestTimeout = options.positive("requestTimeout", timeout);
            return this;
        }

        /**
         * Allows a plain {@code http} address when its host is a loopback address ({@code localhost},
         * {@code 127.0.0.0/8}, {@code ::1}), for a development server or a local test double; any other
         * {@code http} address is refused. By default, {@code true} only when
         * {@value #ALLOW_INSECURE_LOOPBACK_VARIABLE} is {@code true}.
         *
         * @param allow whether to allow {@code http} to a loopback address
         * @return this builder
         */
        public Builder allowInsecureLoopback(boolean allow) {
            options.once("allowInsecureLoopback", allow);
            this.allowInsecureLoopback = allow;
            return this;
        }

        /**
         * Sets how the source gets its token. By default, from the environment: {@value #TOKEN_VARIABLE} (a
         * token), {@value #TOKEN_FILE_VARIABLE} (a token file), {@value #ROLE_ID_VARIABLE} with
         * {@value #SECRET_ID_REF_VARIABLE} (AppRole; the reference is resolved by a {@link CredentialVault} with the
         * store modules on the class path, which this source closes), or {@value #KUBERNETES_ROLE_VARIABLE} with
         * {@value #KUBERNETES_JWT_FILE_VARIABLE} if set (Kubernetes); {@value #AUTH_MOUNT_VARIABLE} moves a login
         * to another mount. Exactly one method must be set.
         *
         * @param authentication the method
         * @return this builder
         */
        public Builder authentication(VaultAuthentication authentication) {
            this.authentication = options.set("authentication", authentication);
            return this;
        }

        /**
         * Sets the clock token leases are read on. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = options.set("clock", clock);
            return this;
        }

        /**
         * Sets where token logins and renewals run. By default, {@link Scheduler#systemDefault()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = options.set("scheduler", scheduler);
            return this;
        }

        /**
         * Builds the source. Nothing is sent to Vault until the first read.
         *
         * @return the source
         * @throws IllegalStateException if no address or no authentication is set or found in the environment,
         *     two methods of authentication are found there, or the address is {@code http} where that is not allowed
         * @throws IllegalArgumentException if the address is malformed
         * @throws BigLedgerAuthException if a TLS file cannot be read or parsed, or a variable cannot be used (an
         *     {@link EnvironmentSettings.InvalidSettingException} naming it, such as a malformed
         *     {@value #SECRET_ID_REF_VARIABLE})
         */
        public VaultCredentialSource build() {
            EnvironmentSettings env = environment != null ? EnvironmentSettings.of(environment)
                    : EnvironmentSettings.system();
            Clock clockToUse = clock != null ? clock : Clock.systemUTC();
            Scheduler schedulerToUse = scheduler != null ? scheduler : Scheduler.systemDefault();
            URI addressToUse = address;
            if (addressToUse == null) {
                addressToUse = VaultSettings.address(env);
            }
            boolean insecureLoopback = allowInsecureLoopback != null ? allowInsecureLoopback
                    : env.isTrue(ALLOW_INSECURE_LOOPBACK_VARIABLE);
            VaultSettings.checkAddress(addressToUse, insecureLoopback);
            String namespaceToUse = namespace != null ? namespace : VaultSettings.variable(env, NAMESPACE_VARIABLE);
            Path ca = caBundle != null ? caBundle : VaultSettings.path(env, CA_CERT_VARIABLE);
            Path[] certificate = clientCertificate != null ? new Path[] {clientCertificate, clientKey}
                    : VaultSettings.clientCertificate(env);
            VaultAuthentication auth = authentication != null ? authentication
                    : VaultSettings.authentication(env, clockToUse, schedulerToUse);
            Duration connect = connectTimeout != null ? connectTimeout : Duration.ofSeconds(10);
            Duration request = requestTimeout != null ? requestTimeout : Duration.ofSeconds(30);

            HttpClient http = VaultSettings.httpClient(connect, ca, certificate[0], certificate[1]);
            VaultClient client = new VaultClient(addressToUse, namespaceToUse, http, request);
            VaultTokens tokens = new VaultTokens(client, auth, addressToUse.toString(), clockToUse, schedulerToUse,
                    request.multipliedBy(2));
            return new VaultCredentialSource(addressToUse, namespaceToUse, auth, client, tokens, clockToUse);
        }
    }
}
