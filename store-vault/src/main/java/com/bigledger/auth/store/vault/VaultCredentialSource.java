package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialAccessDeniedException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * 403 is {@link CredentialAccessDeniedException} with the token's policies, 404 (also a deleted or destroyed version)
 * is {@link CredentialNotFoundException}, 412, 429, 5xx (503: sealed), a redirect (a standby's 307, never followed:
 * it would carry the token elsewhere), the 400 of a KV mount upgrading from version 1 to 2, and no answer are
 * {@link SourceUnavailableException}. After a rate-limit quota's 429, nothing is sent to Vault until its
 * {@code Retry-After} (at most 5 minutes) has passed. No message or log line holds a secret: the driver's exception
 * messages quote response bodies, so they are never passed on.
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

    private static final Logger LOG = LoggerFactory.getLogger(VaultCredentialSource.class);
    /** How often an unconditional field write re-reads and merges again after another writer got in between. */
    private static final int MERGE_ATTEMPTS = 3;

    private final URI address;
    private final String namespace;
    private final VaultAuthentication authentication;
    private final VaultClient client;
    private final VaultTokens tokens;
    private final Clock clock;
    /** The mounts Vault named for paths read so far; a mount cannot hold another, so each path is under one. */
    private final Set<String> mounts = ConcurrentHashMap.newKeySet();
    /** Until when a rate-limit quota's {@code Retry-After} asks for quiet; {@code null} when it does not. */
    private volatile Instant quietUntil;

    private VaultCredentialSource(URI address, String namespace, VaultAuthentication authentication,
            VaultClient client, VaultTokens tokens, Clock clock) {
        this.address = address;
        this.namespace = namespace;
        this.authentication = authentication;
        this.client = client;
        this.tokens = tokens;
        this.clock = clock;
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
        return Set.of("kv", "version");
    }

    /**
     * Checks that the reference is {@code MOUNT/PATH}, so that a bad one fails when a handle is made.
     *
     * @param ref a reference of scheme {@code vault}
     * @throws IllegalArgumentException if the path has no secret under the mount, or an empty, {@code .} or
     *     {@code ..} segment; the message quotes the reference
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
     * @throws CredentialAccessDeniedException if Vault denies the read (HTTP 403) or refuses this source's login or
     *     token
     * @throws com.bigledger.auth.InvalidCredentialException if the field is not a string, number or boolean, or a
     *     field is asked of a plain value
     * @throws SourceUnavailableException if Vault cannot be reached or answers 412, 429 or 5xx
     * @throws CredentialException for any other refusal (400, 405)
     */
    @Override
    public VersionedSecret load(CredentialRef ref) {
        VaultPath path = resolve(VaultPath.of(Objects.requireNonNull(ref, "ref")));
        VaultClient.KvReply reply = read(path, "read");
        if (reply.status == 404) {
            throw notFound(path, reply);
        }
        if (reply.status != 200) {
            throw failure(path, "reading", reply);
        }
        if (reply.data == null || path.kv() == 2 && reply.version == null) {
            throw new SourceUnavailableException(ref, "Vault answered the read of " + path + " without "
                    + (reply.data == null ? "data" : "a version"), null);
        }
        Secret value = VaultValues.read(ref, reply.data);
        return path.kv() == 2 ? VersionedSecret.of(value, reply.version.toString()) : VersionedSecret.unversioned(value);
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
     * @throws CredentialException if the reference pins a version, the expected version is not a version number or
     *     is given for KV version 1, or Vault refuses the write (400, 405)
     * @throws CredentialAccessDeniedException if Vault denies the write (HTTP 403)
     * @throws SourceUnavailableException if Vault cannot be reached or answers 412, 429 or 5xx
     */

    /** {@inheritDoc} KV version 2 writes carry {@code cas}; KV version 1 keeps no versions. */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        return !"1".equals(ref.options().get("kv"));
    }

    @Override
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        VaultPath path = VaultPath.of(Objects.requireNonNull(ref, "ref"));
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        if (path.version() != null) {
            throw new CredentialException(ref, "a reference pinned to a version cannot be written; write to it "
                    + "without ?version", null, false);
        }
        Long expected = expectedVersion.map(version -> parseVersion(ref, version)).orElse(null);
        path = resolve(path);
        if (path.kv() == 1) {
            return writeKv1(path, value, expected);
        }
        if (ref.field().isEmpty()) {
            return checkAndSet(path, VaultValues.whole(ref, value), expected);
        }
        WriteResult result = null;
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            VaultClient.KvReply current = read(path, "read");
            if (current.status != 200 && current.status != 404) {
                throw failure(path, "reading (to merge a field into)", current);
            }
            long currentVersion = current.version == null ? 0 : current.version;
            if (expected != null && expected != currentVersion) {
                return WriteResult.conflict(current.version == null ? null : current.version.toString());
            }
            Map<String, Object> merged = VaultValues.merge(ref, current.status == 200 ? current.data : null, value);
            result = checkAndSet(path, merged, expected != null ? expected : currentVersion);
            if (result.isWritten() || expected != null) {
                return result;
            }
            LOG.debug("Another writer changed {} while a field was merged into it; merging again", path.latest());
        }
        return result;
    }

    /** Stops renewing the token and releases what this source created. Reads after this fail. */
    @Override
    public void close() {
        tokens.close();
        AutoCloseable owned = authentication.owned();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.warn("Closing the credential vault of the Vault AppRole secret id failed: {}",
                        e.getClass().getName());
            }
        }
    }

    /** Shows the address, the namespace and the authentication method, never a secret. */
    @Override
    public String toString() {
        return "VaultCredentialSource[address=" + address + (namespace == null ? "" : ", namespace=" + namespace)
                + ", authentication=" + authentication + "]";
    }

    private VaultClient.KvReply read(VaultPath path, String capability) {
        return withToken(path, capability, token -> client.read(path, token.secret()), reply -> reply.status);
    }

    private WriteResult checkAndSet(VaultPath path, Map<String, Object> data, Long cas) {
        VaultClient.WriteReply reply = withToken(path, "create' or 'update",
                token -> client.write(path, data, cas, token.secret()), r -> r.status);
        if (reply.status == 200 || reply.status == 204) {
            return WriteResult.written(reply.version == null ? null : reply.version.toString());
        }
        if (reply.status == 400 && reply.upgrading) {
            throw failure(path, "writing", reply);
        }
        if (reply.status == 400 && cas != null) {
            // Vault answers a stale cas with 400, as it does other invalid writes: the current version tells which.
            VaultClient.KvReply latest = read(path.latest(), "read");
            if (latest.status != 200 && latest.status != 404) {
                throw failure(path, "reading (after a refused check-and-set write)", latest);
            }
            long current = latest.version == null ? 0 : latest.version;
            if (current != cas) {
                return WriteResult.conflict(latest.version == null ? null : latest.version.toString());
            }
            // The read still shows the expected version. A performance standby (Vault Enterprise) is eventually
            // consistent (developer.hashicorp.com/vault/docs/enterprise/consistency), so a read right after a write
            // refused by the active node can show the old version: the refusal is taken as what Vault says it is,
            // a check-and-set mismatch, and the version now current is unknown.
            LOG.debug("Vault refused a check-and-set write of {} at version {}, which a read still shows as "
                    + "current (a stale read); answering a conflict", path, cas);
            return WriteResult.conflict(null);
        }
        if (reply.status == 400) {
            throw new CredentialException(path.ref(), "Vault refused the write of " + path + " (HTTP 400); if the "
                    + "mount or secret requires check-and-set (cas_required), write with the version last read as "
                    + "the expected version, or 0 to create", null, false);
        }
        throw failure(path, "writing", reply);
    }

    private WriteResult writeKv1(VaultPath path, Secret value, Long expected) {
        CredentialRef ref = path.ref();
        if (expected != null) {
            throw new CredentialException(ref, "KV version 1 keeps no versions, so a write cannot check that version "
                    + expected + " is still current; write with no expected version (the last writer wins), or move "
                    + "the secret to a KV version 2 mount", null, false);
        }
        Map<String, Object> data;
        if (ref.field().isEmpty()) {
            data = VaultValues.whole(ref, value);
        } else {
            VaultClient.KvReply current = read(path, "read");
            if (current.status != 200 && current.status != 404) {
                throw failure(path, "reading (to merge a field into)", current);
            }
            data = VaultValues.merge(ref, current.status == 200 ? current.data : null, value);
        }
        VaultClient.WriteReply reply = withToken(path, "create' or 'update",
                token -> client.write(path, data, null, token.secret()), r -> r.status);
        if (reply.status == 200 || reply.status == 204) {
            return WriteResult.written(null);
        }
        throw failure(path, "writing", reply);
    }

    /**
     * Makes a request with the current token. On a 403, asks Vault whether the token itself is still alive: if
     * it is, the policies deny the path and that is the answer; if not (expired or revoked), the token is replaced,
     * once, and the request made again.
     */
    private <R> R withToken(VaultPath path, String capability, Function<VaultToken, R> request,
            ToIntFunction<R> status) {
        try {
            VaultToken token = token(path.ref());
            R reply = quietly(path, () -> request.apply(token));
            if (status.applyAsInt(reply) != 403) {
                return reply;
            }
            VaultClient.LookupReply lookup = client.lookupSelf(token.secret());
            if (lookup.status == 200) {
                throw denied(path, capability, lookup.policies);
            }
            if (lookup.status != 400 && lookup.status != 403) {
                throw denied(path, capability, token.policies());
            }
            if (lookup.status == 403 && !token.policies().isEmpty() && !token.policies().contains("default")
                    && !token.policies().contains("root")) {
                // Only the default policy grants lookup-self (developer.hashicorp.com/vault/api-docs/auth/token): a
                // live token without it is refused too, so the refusal says nothing about the token. Logging in
                // again on every denied read would burn secret-id uses; the token is used until its TTL ends.
                throw new CredentialAccessDeniedException(path.ref(), deniedDetail(path, capability,
                        token.policies()) + "; the token lacks the 'default' policy, so Vault also refuses "
                        + "auth/token/lookup-self and whether the token is still alive cannot be asked", null);
            }
            LOG.debug("Vault refused the token while reading {}; getting a new one", path);
            tokens.refused(token);
            VaultToken replacement = token(path.ref());
            reply = quietly(path, () -> request.apply(replacement));
            if (status.applyAsInt(reply) == 403) {
                throw denied(path, capability, replacement.policies());
            }
            return reply;
        } catch (VaultUnreachableException e) {
            throw new SourceUnavailableException(path.ref(), e.getMessage(), e);
        }
    }

    /**
     * Sends a request unless a rate-limit quota asked for quiet, and notes the quiet a 429's {@code Retry-After}
     * asks for (at most {@link VaultTokens#MAX_RETRY_AFTER}).
     */
    private <R> R quietly(VaultPath path, java.util.function.Supplier<R> request) {
        Instant until = quietUntil;
        Instant now = clock.instant();
        if (until != null && now.isBefore(until)) {
            throw new SourceUnavailableException(path.ref(), "Vault's rate-limit quota asked (Retry-After) for no "
                    + "request until " + until + "; nothing was sent", null);
        }
        R reply = request.get();
        if (reply instanceof VaultClient.Reply) {
            VaultClient.Reply answer = (VaultClient.Reply) reply;
            if (answer.status == 429 && answer.retryAfter != null && !answer.retryAfter.isZero()) {
                Duration wait = answer.retryAfter.compareTo(VaultTokens.MAX_RETRY_AFTER) > 0
                        ? VaultTokens.MAX_RETRY_AFTER : answer.retryAfter;
                quietUntil = clock.instant().plus(wait);
            }
        }
        return reply;
    }

    /**
     * Moves the mount boundary of a parsed path to the mount that holds it, asking Vault once per mount
     * ({@code sys/internal/ui/mounts/<path>}); keeps the first segment as the mount where Vault cannot tell (the
     * token has no capability on the path, or the endpoint is missing).
     */
    private VaultPath resolve(VaultPath parsed) {
        String whole = parsed.ref().path();
        for (String mount : mounts) {
            if (whole.startsWith(mount + "/")) {
                return parsed.atMount(mount);
            }
        }
        VaultToken token;
        VaultClient.MountReply reply;
        try {
            token = token(parsed.ref());
            reply = quietly(parsed, () -> client.mountOf(parsed.encodedPath(), token.secret()));
        } catch (VaultUnreachableException e) {
            throw new SourceUnavailableException(parsed.ref(), e.getMessage(), e);
        }
        if (reply.status == 200 && reply.mount != null && whole.startsWith(reply.mount + "/")) {
            mounts.add(reply.mount);
            return parsed.atMount(reply.mount);
        }
        if (reply.status == 404 || reply.status == 405) {
            // No such endpoint (an old Vault, or a proxy in front): the first segment it is, from now on.
            mounts.add(parsed.firstSegment());
        }
        LOG.debug("Vault did not name the mount of {} (HTTP {}); taking its first segment", parsed, reply.status);
        return parsed;
    }

    private VaultToken token(CredentialRef ref) {
        try {
            return tokens.get();
        } catch (VaultTokenException e) {
            if (e.retryable()) {
                throw new SourceUnavailableException(ref, "no Vault token: " + e.getMessage(), e);
            }
            throw new CredentialAccessDeniedException(ref, "Vault refused this source's credentials: "
                    + e.getMessage(), e);
        }
    }

    private static CredentialAccessDeniedException denied(VaultPath path, String capability, List<String> policies) {
        return new CredentialAccessDeniedException(path.ref(), deniedDetail(path, capability, policies), null);
    }

    private static String deniedDetail(VaultPath path, String capability, List<String> policies) {
        return "permission denied on " + path.apiPath() + " (HTTP 403): the token's policies " + policies
                + " must grant the '" + capability + "' capability on " + path.apiPath();
    }

    private static CredentialNotFoundException notFound(VaultPath path, VaultClient.KvReply reply) {
        if (reply.deleted) {
            return new CredentialNotFoundException(path.ref(), "version " + reply.version + " of " + path.apiPath()
                    + " is deleted or destroyed (HTTP 404)");
        }
        if (path.version() != null) {
            return new CredentialNotFoundException(path.ref(), path.apiPath() + " has no version " + path.version()
                    + " (HTTP 404)");
        }
        return new CredentialNotFoundException(path.ref(), "no secret at " + path.apiPath() + " (HTTP 404); if '"
                + path.mount() + "' is a KV version " + (path.kv() == 2 ? "1 mount, add ?kv=1" : "2 mount, drop ?kv=1"));
    }

    private static CredentialException failure(VaultPath path, String doing, VaultClient.Reply reply) {
        int status = reply.status;
        if (status == 400 && reply.upgrading) {
            return new SourceUnavailableException(path.ref(), doing + " " + path + " failed: HTTP 400: the KV mount '"
                    + path.mount() + "' is upgrading from version 1 to 2, and serves again once the upgrade is done",
                    null);
        }
        String detail = doing + " " + path + " failed: " + VaultStatus.describe(status) + VaultStatus.retryAfter(reply);
        if (VaultStatus.retryable(status)) {
            return new SourceUnavailableException(path.ref(), detail, null);
        }
        if (status == 404 || status == 405) {
            detail += "; check that '" + path.mount() + "' is a KV version " + path.kv() + " mount ("
                    + (path.kv() == 2 ? "?kv=1 for version 1" : "no ?kv=1 for version 2") + ")";
        }
        return new CredentialException(path.ref(), detail, null, false);
    }

    private static long parseVersion(CredentialRef ref, String version) {
        if (!version.matches("0|[1-9][0-9]{0,17}")) {
            throw new CredentialException(ref, "the expected version '" + version + "' is not a KV version 2 version "
                    + "number", null, false);
        }
        return Long.parseLong(version);
    }

    /**
     * Builds a {@link VaultCredentialSource}. Each option may be set once; options left unset are read from the
     * environment as each one says. Not thread-safe.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
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
            once("environment", "a map of " + environment.size() + " variables");
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
            once("address", address);
            this.address = Objects.requireNonNull(address, "address");
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
            once("namespace", namespace);
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isEmpty()) {
                throw new IllegalArgumentException("VaultCredentialSource option 'namespace' is empty");
            }
            this.namespace = namespace;
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
            once("caBundle", caBundle);
            this.caBundle = Objects.requireNonNull(caBundle, "caBundle");
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
            once("clientCertificate", certificate);
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
            once("connectTimeout", timeout);
            this.connectTimeout = Options.positive("VaultCredentialSource", "connectTimeout", timeout);
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
            once("requestTimeout", timeout);
            this.requestTimeout = Options.positive("VaultCredentialSource", "requestTimeout", timeout);
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
            once("allowInsecureLoopback", allow);
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
            once("authentication", authentication);
            this.authentication = Objects.requireNonNull(authentication, "authentication");
            return this;
        }

        /**
         * Sets the clock token leases are read on. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            once("clock", clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets where token logins and renewals run. By default, {@link Scheduler#systemDefault()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            once("scheduler", scheduler);
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the source. Nothing is sent to Vault until the first read.
         *
         * @return the source
         * @throws IllegalStateException if no address or no authentication is set or found in the environment,
         *     two methods of authentication are found there, or the address is {@code http} where that is not allowed
         * @throws IllegalArgumentException if the address is malformed
         * @throws BigLedgerAuthException if a TLS file cannot be read or parsed
         */
        public VaultCredentialSource build() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            Clock clockToUse = clock != null ? clock : Clock.systemUTC();
            Scheduler schedulerToUse = scheduler != null ? scheduler : Scheduler.systemDefault();
            URI addressToUse = address;
            if (addressToUse == null) {
                String text = variable(env, ADDRESS_VARIABLE);
                if (text == null) {
                    throw new IllegalStateException("No Vault address: set " + ADDRESS_VARIABLE + " or call "
                            + "VaultCredentialSource.builder().address(URI)");
                }
                try {
                    addressToUse = URI.create(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(ADDRESS_VARIABLE + " is not a URL", null);
                }
            }
            boolean insecureLoopback = allowInsecureLoopback != null ? allowInsecureLoopback
                    : "true".equalsIgnoreCase(variable(env, ALLOW_INSECURE_LOOPBACK_VARIABLE));
            checkAddress(addressToUse, insecureLoopback);
            String namespaceToUse = namespace != null ? namespace : variable(env, NAMESPACE_VARIABLE);
            Path ca = caBundle != null ? caBundle : path(env, CA_CERT_VARIABLE);
            Path cert = clientCertificate;
            Path key = clientKey;
            if (cert == null) {
                cert = path(env, CLIENT_CERT_VARIABLE);
                key = path(env, CLIENT_KEY_VARIABLE);
                if ((cert == null) != (key == null)) {
                    throw new IllegalStateException("Set both " + CLIENT_CERT_VARIABLE + " and " + CLIENT_KEY_VARIABLE
                            + ", or neither");
                }
            }
            VaultAuthentication auth = authentication != null ? authentication
                    : authenticationFrom(env, clockToUse, schedulerToUse);
            Duration connect = connectTimeout != null ? connectTimeout : Duration.ofSeconds(10);
            Duration request = requestTimeout != null ? requestTimeout : Duration.ofSeconds(30);

            HttpClient.Builder http = HttpClient.newBuilder()
                    // As the driver does by default: Vault Agent fails to proxy HTTP/2 cleartext.
                    .version(HttpClient.Version.HTTP_1_1)
                    // A redirect would carry the token to wherever it points.
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(connect);
            SSLContext tls = Tls.context(ca, cert, key);
            if (tls != null) {
                http.sslContext(tls);
            }
            VaultClient client = new VaultClient(addressToUse, namespaceToUse, http.build(), request);
            VaultTokens tokens = new VaultTokens(client, auth, addressToUse.toString(), clockToUse, schedulerToUse,
                    request.multipliedBy(2));
            return new VaultCredentialSource(addressToUse, namespaceToUse, auth, client, tokens, clockToUse);
        }

        private static VaultAuthentication authenticationFrom(Map<String, String> env, Clock clock,
                Scheduler scheduler) {
            String token = variable(env, TOKEN_VARIABLE);
            Path tokenFile = path(env, TOKEN_FILE_VARIABLE);
            String roleId = variable(env, ROLE_ID_VARIABLE);
            String secretIdRef = variable(env, SECRET_ID_REF_VARIABLE);
            String kubernetesRole = variable(env, KUBERNETES_ROLE_VARIABLE);
            Path jwtFile = path(env, KUBERNETES_JWT_FILE_VARIABLE);
            String mount = variable(env, AUTH_MOUNT_VARIABLE);
            List<String> methods = new ArrayList<>();
            if (token != null) {
                methods.add(TOKEN_VARIABLE);
            }
            if (tokenFile != null) {
                methods.add(TOKEN_FILE_VARIABLE);
            }
            if (roleId != null || secretIdRef != null) {
                methods.add(ROLE_ID_VARIABLE + "/" + SECRET_ID_REF_VARIABLE);
            }
            if (kubernetesRole != null) {
                methods.add(KUBERNETES_ROLE_VARIABLE);
            }
            if (methods.isEmpty()) {
                throw new IllegalStateException("No Vault authentication: set " + TOKEN_VARIABLE + ", "
                        + TOKEN_FILE_VARIABLE + ", " + ROLE_ID_VARIABLE + " with " + SECRET_ID_REF_VARIABLE + ", or "
                        + KUBERNETES_ROLE_VARIABLE + "; or call VaultCredentialSource.builder().authentication(...)");
            }
            if (methods.size() > 1) {
                throw new IllegalStateException("Vault authentication is set more than once: " + String.join(", ",
                        methods) + "; set one");
            }
            if (mount != null && (token != null || tokenFile != null)) {
                throw new IllegalStateException(AUTH_MOUNT_VARIABLE + " is set, but a token needs no auth mount");
            }
            if (token != null) {
                return VaultAuthentication.token(Secret.of(token));
            }
            if (tokenFile != null) {
                return VaultAuthentication.tokenFile(tokenFile);
            }
            VaultAuthentication auth;
            if (kubernetesRole != null) {
                auth = jwtFile == null ? VaultAuthentication.kubernetes(kubernetesRole)
                        : VaultAuthentication.kubernetes(kubernetesRole, jwtFile);
            } else {
                if (roleId == null || secretIdRef == null) {
                    throw new IllegalStateException("An AppRole login needs both " + ROLE_ID_VARIABLE + " and "
                            + SECRET_ID_REF_VARIABLE);
                }
                CredentialRef secretId = CredentialRef.parse(secretIdRef);
                if (SCHEME.equals(secretId.scheme())) {
                    throw new IllegalStateException(SECRET_ID_REF_VARIABLE + " is a vault: reference; reading it "
                            + "would need the token it is used to get");
                }
                CredentialVault vault = CredentialVault.builder().clock(clock).scheduler(scheduler).build();
                auth = VaultAuthentication.appRole(roleId, secretId, vault).owning(vault);
            }
            return mount == null ? auth : auth.atMount(mount);
        }

        private static void checkAddress(URI address, boolean allowInsecureLoopback) {
            String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
            if (!address.isAbsolute() || address.isOpaque() || address.getHost() == null) {
                throw new IllegalArgumentException("The Vault address must be an absolute https URL with a host: "
                        + Endpoints.shown(address));
            }
            if (address.getRawUserInfo() != null) {
                throw new IllegalArgumentException("The Vault address must not contain user info (credentials in "
                        + "the URL)");
            }
            if (address.getRawQuery() != null || address.getRawFragment() != null) {
                throw new IllegalArgumentException("The Vault address must not have a query or fragment: "
                        + Endpoints.shown(address));
            }
            if (scheme.equals("https")) {
                return;
            }
            if (!scheme.equals("http")) {
                throw new IllegalArgumentException("The Vault address must be an https URL, not " + scheme + ": "
                        + Endpoints.shown(address));
            }
            if (!Endpoints.isLoopback(address.getHost())) {
                throw new IllegalStateException("The Vault address must use https: " + address + " (http is allowed "
                        + "only to a loopback host, with allowInsecureLoopback(true))");
            }
            if (!allowInsecureLoopback) {
                throw new IllegalStateException("The Vault address " + address + " uses http: call "
                        + "allowInsecureLoopback(true) (or set " + ALLOW_INSECURE_LOOPBACK_VARIABLE + "=true) to allow "
                        + "http to a loopback host, or use https");
            }
        }

        private static String variable(Map<String, String> env, String name) {
            String value = env.get(name);
            return value == null || value.isEmpty() ? null : value;
        }

        private static Path path(Map<String, String> env, String name) {
            String value = variable(env, name);
            return value == null ? null : Path.of(value);
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException("VaultCredentialSource option '" + option + "' is set twice (second "
                        + "value: " + value + ")");
            }
        }

    }
}
