package com.bigledger.auth.store.vault;

import com.bigledger.auth.Secret;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.Auth;
import io.github.jopenlibs.vault.api.Logical;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Vault calls this module makes, through the driver, with every outcome turned into a small reply or this
 * module's own exception.
 *
 * <p>The driver is configured afresh for each call (no I/O, no environment read), so that the token of the call is
 * never shared mutable state; every call goes through the one {@link HttpClient} given here, so connections are
 * reused. The driver's exceptions are never passed on, not even as causes: their messages quote response bodies,
 * which may hold secrets. Only the HTTP status is kept, and for a failure without one, the underlying
 * {@link IOException}. Thread-safe.
 */
final class VaultClient {

    /** Hides the process environment from the driver: this module reads its own configuration. */
    private static final EnvironmentLoader NO_ENVIRONMENT = new NoEnvironment();

    private final String address;
    private final String namespace;
    private final HttpClient http;
    private final int requestTimeoutSeconds;

    VaultClient(URI address, String namespace, HttpClient http, Duration requestTimeout) {
        String text = address.toString();
        this.address = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.namespace = namespace;
        this.http = http;
        // The driver takes whole seconds.
        this.requestTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                (requestTimeout.toMillis() + 999) / 1000));
    }

    /**
     * What every answer tells beyond its body: the HTTP status, the {@code Retry-After} of a 429 (whole seconds), and
     * whether a 400 was a KV mount upgrading from version 1 to 2.
     */
    abstract static class Reply {
        final int status;
        Duration retryAfter;
        boolean upgrading;

        Reply(int status) {
            this.status = status;
        }

        @SuppressWarnings("unchecked")
        <R extends Reply> R observed(ObservingHttpClient observed) {
            this.retryAfter = observed.retryAfter();
            this.upgrading = observed.upgrading();
            return (R) this;
        }
    }

    /** A KV read's outcome: any HTTP status, with the data and metadata when Vault sent them. */
    static final class KvReply extends Reply {
        final JsonObject data;
        final Long version;
        final boolean deleted;

        KvReply(int status, JsonObject data, Long version, boolean deleted) {
            super(status);
            this.data = data;
            this.version = version;
            this.deleted = deleted;
        }
    }

    /** A KV write's outcome: any HTTP status, with the new version after a KV version 2 write. */
    static final class WriteReply extends Reply {
        final Long version;

        WriteReply(int status, Long version) {
            super(status);
            this.version = version;
        }
    }

    /** A login's or renewal's outcome: the token and its lease when the status is 200. */
    static final class AuthReply extends Reply {
        final Secret token;
        final long leaseSeconds;
        final boolean renewable;
        final List<String> policies;

        AuthReply(int status, Secret token, long leaseSeconds, boolean renewable, List<String> policies) {
            super(status);
            this.token = token;
            this.leaseSeconds = leaseSeconds;
            this.renewable = renewable;
            this.policies = policies;
        }
    }

    /** A lookup-self's outcome: the token's state when the status is 200. */
    static final class LookupReply extends Reply {
        final long ttlSeconds;
        final long creationTtlSeconds;
        final boolean renewable;
        final List<String> policies;

        LookupReply(int status, long ttlSeconds, long creationTtlSeconds, boolean renewable, List<String> policies) {
            super(status);
            this.ttlSeconds = ttlSeconds;
            this.creationTtlSeconds = creationTtlSeconds;
            this.renewable = renewable;
            this.policies = policies;
        }
    }

    /**
     * The mount of a path, asked of {@code sys/internal/ui/mounts/<path>}, which answers any token with a capability
     * on the path (developer.hashicorp.com/vault/api-docs/system/internal-ui-mounts).
     */
    static final class MountReply extends Reply {
        /** The mount's path without its trailing slash, such as {@code team/kv}; {@code null} unless 200. */
        final String mount;
        /** The KV version of the mount: 1, 2, or 0 when not a KV mount or not said. */
        final int kv;

        MountReply(int status, String mount, int kv) {
            super(status);
            this.mount = mount;
            this.kv = kv;
        }
    }

    MountReply mountOf(String encodedPath, Secret token) {
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            // Version 1, so that the driver leaves the path as it is.
            LogicalResponse response = new Logical(config(token, 1, 1, observed))
                    .read("sys/internal/ui/mounts/" + encodedPath);
            int status = response.getRestResponse().getStatus();
            JsonObject data = response.getDataObject();
            String mount = null;
            int kv = 0;
            if (status == 200 && data != null && data.get("path") != null && data.get("path").isString()) {
                mount = data.get("path").asString();
                while (mount.endsWith("/")) {
                    mount = mount.substring(0, mount.length() - 1);
                }
                if (data.get("options") != null && data.get("options").isObject()
                        && data.get("options").asObject().get("version") != null) {
                    kv = "1".equals(data.get("options").asObject().get("version").asString()) ? 1 : 2;
                }
            }
            return new MountReply(status, mount == null || mount.isEmpty() ? null : mount, kv).observed(observed);
        } catch (VaultException e) {
            return new MountReply(statusOrThrow(e, "asking sys/internal/ui/mounts for the mount of a path"), null, 0)
                    .observed(observed);
        } catch (RuntimeException e) {
            // An answer of another shape (the endpoint is internal and unversioned): as if there were none.
            return new MountReply(0, null, 0);
        }
    }

    KvReply read(VaultPath path, Secret token) {
        String what = "reading " + path;
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            Logical logical = new Logical(config(token, path.kv(), path.mountDepth(), observed));
            LogicalResponse response = path.version() == null
                    ? logical.read(path.driverPath())
                    : logical.read(path.driverPath(), false, path.version().intValue());
            int status = response.getRestResponse().getStatus();
            Map<String, String> metadata = response.getDataMetadata().getMetadataMap();
            Long version = path.kv() == 2 ? number(metadata.get("version")) : null;
            String deletion = metadata.get("deletion_time");
            boolean deleted = deletion != null && !deletion.isEmpty() || "true".equals(metadata.get("destroyed"));
            return new KvReply(status, response.getDataObject(), version, deleted).observed(observed);
        } catch (VaultException e) {
            return new KvReply(statusOrThrow(e, what), null, null, false).observed(observed);
        }
    }

    WriteReply write(VaultPath path, Map<String, Object> data, Long cas, Secret token) {
        String what = "writing " + path.latest();
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            Logical logical = new Logical(config(token, path.kv(), path.mountDepth(), observed));
            LogicalResponse response;
            if (path.kv() == 2) {
                WriteOptions options = new WriteOptions();
                if (cas != null) {
                    options.checkAndSet(cas);
                }
                response = logical.write(path.driverPath(), data, null, options.build());
            } else {
                response = logical.write(path.driverPath(), data);
            }
            int status = response.getRestResponse().getStatus();
            Long version = path.kv() == 2 && status == 200 ? number(response.getData().get("version")) : null;
            return new WriteReply(status, version).observed(observed);
        } catch (VaultException e) {
            return new WriteReply(statusOrThrow(e, what), null).observed(observed);
        }
    }

    AuthReply loginAppRole(String mount, String roleId, Secret secretId) {
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            AuthResponse response = new Auth(config(null, 2, 1, observed)).loginByAppRole(mount, roleId,
                    secretId.reveal());
            return auth(response).observed(observed);
        } catch (VaultException e) {
            return new AuthReply(statusOrThrow(e, "the AppRole login at auth/" + mount), null, 0, false, List.of())
                    .observed(observed);
        }
    }

    AuthReply loginKubernetes(String mount, String role, Secret jwt) {
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            AuthResponse response = new Auth(config(null, 2, 1, observed)).loginByKubernetes(role, jwt.reveal(),
                    "auth/" + mount);
            return auth(response).observed(observed);
        } catch (VaultException e) {
            return new AuthReply(statusOrThrow(e, "the Kubernetes login at auth/" + mount), null, 0, false,
                    List.of()).observed(observed);
        }
    }

    AuthReply renewSelf(Secret token) {
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            // No increment: Vault renews by the token's own TTL, which is what the token was issued with.
            return auth(new Auth(config(token, 2, 1, observed)).renewSelf()).observed(observed);
        } catch (VaultException e) {
            return new AuthReply(statusOrThrow(e, "renewing the token (auth/token/renew-self)"), null, 0, false,
                    List.of()).observed(observed);
        }
    }

    LookupReply lookupSelf(Secret token) {
        ObservingHttpClient observed = new ObservingHttpClient(http);
        try {
            LookupResponse response = new Auth(config(token, 2, 1, observed)).lookupSelf();
            List<String> policies = response.getPolicies() == null ? List.of() : List.copyOf(response.getPolicies());
            return new LookupReply(response.getRestResponse().getStatus(), response.getTTL(),
                    response.getCreationTTL(), response.isRenewable(), policies).observed(observed);
        } catch (VaultException e) {
            return new LookupReply(statusOrThrow(e, "looking up the token (auth/token/lookup-self)"), 0, 0, false,
                    List.of()).observed(observed);
        }
    }

    private AuthReply auth(AuthResponse response) {
        String token = response.getAuthClientToken();
        if (token == null || token.isEmpty()) {
            throw new VaultUnreachableException("Vault at " + address + " answered a login or renewal with no "
                    + "client token", null);
        }
        List<String> policies = response.getAuthPolicies() == null ? List.of()
                : List.copyOf(response.getAuthPolicies());
        return new AuthReply(response.getRestResponse().getStatus(), Secret.of(token),
                response.getAuthLeaseDuration(), response.isAuthRenewable(), policies);
    }

    /**
     * The driver's configuration for one call.
     *
     * @param mountDepth how many path segments the mount has: the driver inserts {@code data/} after them
     * @param observed the client of this call
     */
    private VaultConfig config(Secret token, int kv, int mountDepth, HttpClient observed) throws VaultException {
        VaultConfig config = new VaultConfig()
                .environmentLoader(NO_ENVIRONMENT)
                .address(address)
                .engineVersion(kv)
                .prefixPathDepth(mountDepth)
                .readTimeout(requestTimeoutSeconds)
                .httpClient(observed);
        if (namespace != null) {
            config.nameSpace(namespace);
        }
        if (token != null) {
            config.token(token.reveal());
        }
        return config.build();
    }

    /**
     * Returns the HTTP status the driver failed on, or throws this module's exception when there is none: no
     * answer, or an answer the driver could not read.
     */
    private int statusOrThrow(VaultException e, String what) {
        if (e.getHttpStatusCode() > 0) {
            return e.getHttpStatusCode();
        }
        Throwable root = e;
        IOException io = null;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof IOException) {
                io = (IOException) root;
            }
        }
        if (root instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new VaultUnreachableException("interrupted while " + what + " at " + address, null);
        }
        if (io != null) {
            // JDK I/O exceptions describe the connection (refused, timed out, certificate not trusted), never a body.
            throw new VaultUnreachableException(what + " failed: no answer from Vault at " + address + " ("
                    + io.getClass().getName() + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")", io);
        }
        throw new VaultUnreachableException(what + " failed: the answer from Vault at " + address
                + " could not be read (" + root.getClass().getName() + ")", null);
    }

    private static Long number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class NoEnvironment extends EnvironmentLoader {
        private static final long serialVersionUID = 1L;

        @Override
        public String loadVariable(String name) {
            return null;
        }
    }
}
