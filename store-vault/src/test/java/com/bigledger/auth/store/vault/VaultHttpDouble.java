package com.bigledger.auth.store.vault;

import com.bigledger.auth.testing.Canary;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonArray;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.json.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP double of the parts of HashiCorp Vault this module uses, on {@code 127.0.0.1} and a free port, answering
 * as real Vault does (see {@code shared/reference/vault-http-api.md}): the full response envelope ({@code request_id},
 * {@code lease_id}, {@code renewable}, {@code lease_duration}, {@code data}, {@code wrap_info}, {@code warnings},
 * {@code auth}, {@code mount_type}), {@code auth.policies}, {@code Content-Type: application/json}, and
 * {@code {"errors":[…]}} bodies with Vault's statuses.
 *
 * <p>It serves KV version 2 (data read and write with {@code cas}, metadata, delete, undelete, destroy) and KV
 * version 1 mounts, AppRole and Kubernetes logins, {@code renew-self}, {@code lookup-self} and {@code revoke-self},
 * and Enterprise namespaces ({@code X-Vault-Namespace}: each namespace has its own mounts, secrets, roles and
 * tokens). Token leases run on the given clock. Tests can revoke tokens, deny paths, seal it, and make the next
 * requests fail with a status; error bodies for injected failures hold a fresh {@link Canary}, so a client that
 * passed Vault's texts on would fail the leak check.
 *
 * <p>It also models the real-server behaviours listed in {@code shared/reference/real-vault-and-aws-behaviour.md}
 * and in {@code docs/store-fidelity.md}, each at the rule that implements it, with the documentation it follows:
 * AppRole user lockout per role id, bounded secret ids ({@code secret_id_num_uses}, {@code secret_id_ttl}), tokens
 * without the {@code default} policy, renewal after the role was deleted, rate-limit quotas with
 * {@code Retry-After}, a standby's redirect, nested mounts with {@code sys/internal/ui/mounts}, stale reads of a
 * performance standby and a KV version 1 to 2 upgrade in progress. Thread-safe.
 */
final class VaultHttpDouble implements AutoCloseable {

    private static final String PERMISSION_DENIED = "1 error occurred:\n\t* permission denied\n\n";
    /**
     * The error of a KV mount while it upgrades from version 1 to 2 (hashicorp/vault-plugin-secrets-kv,
     * {@code upgrade.go}): every request to the mount answers 400 with this text until the upgrade is done.
     */
    static final String UPGRADING = "Upgrading from non-versioned to versioned data. This backend will be unavailable "
            + "for a brief period and will resume service shortly.";

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, Space> spaces = new HashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final Set<Integer> clientPorts = new HashSet<>();
    private final List<String> tokensUsed = new ArrayList<>();
    private final List<Failure> rateLimits = new ArrayList<>();
    private int logins;
    private int renewals;
    private int lookups;
    private boolean sealed;
    private URI activeNode;
    private Map<String, Integer> staleView;
    // User lockout defaults (developer.hashicorp.com/vault/docs/concepts/user-lockout): on by default since Vault
    // 1.13 for AppRole, userpass and LDAP; lockout_threshold 5, lockout_duration 15m, lockout_counter_reset 15m.
    private int lockoutThreshold = 5;
    private Duration lockoutDuration = Duration.ofMinutes(15);
    private Duration lockoutCounterReset = Duration.ofMinutes(15);

    private VaultHttpDouble(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a double with a KV version 2 mount {@code secret} and a KV version 1 mount {@code kv} in the root
     * namespace.
     */
    static VaultHttpDouble start(Clock clock) {
        try {
            return new VaultHttpDouble(clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Vault double", e);
        }
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The root namespace. */
    Space root() {
        return namespace("");
    }

    /** A namespace, created with mounts {@code secret} (KV 2) and {@code kv} (KV 1) on first use. */
    synchronized Space namespace(String name) {
        return spaces.computeIfAbsent(name, Space::new);
    }

    /** Makes the next {@code count} requests whose path starts with {@code pathPrefix} fail with {@code status}. */
    synchronized void failNext(int status, int count, String pathPrefix) {
        failures.add(new Failure(status, count, pathPrefix));
    }

    synchronized void seal(boolean sealed) {
        this.sealed = sealed;
    }

    /**
     * Sets AppRole user lockout (developer.hashicorp.com/vault/docs/concepts/user-lockout): after {@code threshold}
     * failed logins of one role id, with no pause of {@code counterReset} between them, every login of that role id
     * (even with a valid secret id) answers 403 for {@code duration}. On by default with Vault's defaults (5, 15 min,
     * 15 min); a threshold of 0 disables it, as {@code disable_lockout} does.
     */
    synchronized void userLockout(int threshold, Duration duration, Duration counterReset) {
        this.lockoutThreshold = threshold;
        this.lockoutDuration = duration;
        this.lockoutCounterReset = counterReset;
    }

    /**
     * Makes the next {@code count} requests whose path starts with {@code pathPrefix} answer 429 with
     * {@code Retry-After: retryAfterSeconds}, as a rate-limit quota does
     * (developer.hashicorp.com/vault/docs/concepts/resource-quotas: "429 … Retry-After").
     */
    synchronized void rateLimit(int count, long retryAfterSeconds, String pathPrefix) {
        Failure failure = new Failure(429, count, pathPrefix);
        failure.retryAfterSeconds = retryAfterSeconds;
        rateLimits.add(failure);
    }

    /**
     * Makes the double a standby that redirects every request to the active node with 307 (or {@code null} to
     * serve again): a standby without request forwarding answers so
     * (developer.hashicorp.com/vault/api-docs/system/health, "standby … redirect").
     */
    synchronized void standby(URI activeNode) {
        this.activeNode = activeNode;
    }

    /**
     * Turns stale reads on or off, as a performance standby serves them (Vault Enterprise,
     * developer.hashicorp.com/vault/docs/enterprise/consistency: eventually consistent, 412 only with
     * {@code X-Vault-Index}): while on, a read of the latest KV version 2 version sees the versions as they were when
     * it was turned on, while writes (forwarded to the active node) check {@code cas} against the real versions.
     */
    synchronized void staleReads(boolean on) {
        if (!on) {
            staleView = null;
            return;
        }
        staleView = new HashMap<>();
        for (Space space : spaces.values()) {
            for (Map.Entry<String, Kv2Secret> entry : space.kv2.entrySet()) {
                staleView.put(space.name + "\u0000" + entry.getKey(), entry.getValue().current);
            }
        }
    }

    synchronized int logins() {
        return logins;
    }

    synchronized int renewals() {
        return renewals;
    }

    synchronized int lookups() {
        return lookups;
    }

    /** Every request so far, as {@code METHOD /v1/path?query ns=NAMESPACE token=yes|no request=true|false}. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The client ports requests came from: one per connection. */
    synchronized Set<Integer> clientPorts() {
        return Set.copyOf(clientPorts);
    }

    /** The tokens sent with requests, in order. */
    synchronized List<String> tokensUsed() {
        return List.copyOf(tokensUsed);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One namespace's state. All methods lock the double. */
    final class Space {
        private final String name;
        private final Map<String, Integer> mounts = new HashMap<>();
        private final Map<String, Kv2Secret> kv2 = new HashMap<>();
        private final Map<String, JsonObject> kv1 = new HashMap<>();
        private final Map<String, Token> tokens = new LinkedHashMap<>();
        private final Map<String, AppRole> appRoles = new HashMap<>();
        private final Map<String, Lockout> lockouts = new HashMap<>();
        private final Map<String, KubernetesRole> kubernetesRoles = new HashMap<>();
        private final List<String> denied = new ArrayList<>();
        private final Set<String> upgrading = new HashSet<>();

        private Space(String name) {
            this.name = name;
            mounts.put("secret", 2);
            mounts.put("kv", 1);
        }

        /**
         * Adds a KV mount. Its path may have several segments, such as {@code team/kv}: Vault allows nested mount
         * paths (developer.hashicorp.com/vault/api-docs/system/internal-ui-mounts), and requests are routed to the
         * longest mount path that prefixes them.
         */
        Space mount(String mount, int version) {
            synchronized (VaultHttpDouble.this) {
                mounts.put(mount, version);
            }
            return this;
        }

        /**
         * Marks a KV mount as upgrading from version 1 to 2, or done: while upgrading, every request to it answers
         * 400 {@link #UPGRADING} (vault-plugin-secrets-kv {@code upgrade.go}).
         */
        void upgrading(String mount, boolean on) {
            synchronized (VaultHttpDouble.this) {
                if (on) {
                    upgrading.add(mount);
                } else {
                    upgrading.remove(mount);
                }
            }
        }

        /** Writes a new KV version 2 version out of band, as another client would; returns its version. */
        int put(String mount, String path, JsonObject data) {
            synchronized (VaultHttpDouble.this) {
                return kv2.computeIfAbsent(mount + "/" + path, k -> new Kv2Secret()).add(data, clock.instant());
            }
        }

        /** Writes a KV version 1 secret out of band. */
        void putKv1(String mount, String path, JsonObject data) {
            synchronized (VaultHttpDouble.this) {
                kv1.put(mount + "/" + path, data);
            }
        }

        /**
         * Makes a new token, as {@code vault token create} would: with the {@code default} policy added to the
         * given ones (developer.hashicorp.com/vault/api-docs/auth/token, {@code no_default_policy}). A zero TTL
         * never expires.
         */
        String issueToken(Duration ttl, Duration maxTtl, boolean renewable, String... policies) {
            synchronized (VaultHttpDouble.this) {
                return newToken(ttl, maxTtl, renewable, withDefault(List.of(policies), true), "token", null).id;
            }
        }

        /**
         * Makes a new token without the {@code default} policy, as {@code vault token create -no-default-policy}:
         * it is alive but gets 403 on {@code lookup-self} and {@code renew-self}, which only {@code default} grants.
         */
        String issueTokenWithoutDefaultPolicy(Duration ttl, Duration maxTtl, boolean renewable, String... policies) {
            synchronized (VaultHttpDouble.this) {
                return newToken(ttl, maxTtl, renewable, List.of(policies), "token", null).id;
            }
        }

        /**
         * Registers an AppRole role at {@code mount}, with its role id and a secret id without limits; its tokens
         * have the given policies and {@code default}.
         */
        void appRole(String mount, String roleId, String secretId, Duration ttl, Duration maxTtl,
                String... policies) {
            synchronized (VaultHttpDouble.this) {
                AppRole role = new AppRole(ttl, maxTtl, List.of(policies));
                role.secretIds.put(secretId, new SecretId(0, null));
                appRoles.put(mount + "/" + roleId, role);
            }
        }

        /**
         * Adds a secret id to a role, bounded as {@code secret_id_num_uses} (0: unlimited) and {@code secret_id_ttl}
         * (zero: no expiry) bound it (developer.hashicorp.com/vault/api-docs/auth/approle): once used up or expired,
         * a login with it is refused like a wrong one.
         */
        void secretId(String mount, String roleId, String secretId, int numUses, Duration ttl) {
            synchronized (VaultHttpDouble.this) {
                appRoles.get(mount + "/" + roleId).secretIds.put(secretId,
                        new SecretId(numUses, ttl.isZero() ? null : clock.instant().plus(ttl)));
            }
        }

        /** Removes every secret id of a role, as {@code secret-id/destroy} of each would. */
        void destroySecretIds(String mount, String roleId) {
            synchronized (VaultHttpDouble.this) {
                appRoles.get(mount + "/" + roleId).secretIds.clear();
            }
        }

        /**
         * Makes a role's tokens lack the {@code default} policy ({@code token_no_default_policy}), so that they get
         * 403 on {@code lookup-self} and {@code renew-self} while alive.
         */
        void noDefaultPolicy(String mount, String roleId) {
            synchronized (VaultHttpDouble.this) {
                appRoles.get(mount + "/" + roleId).defaultPolicy = false;
            }
        }

        /**
         * Deletes a role: its logins are refused, and its live tokens' {@code renew-self} answers 500, as the auth
         * plugins' {@code pathLoginRenew} fails with a plain error when the role is gone (hashicorp/vault
         * {@code builtin/credential/approle/path_login.go}; logical errors that are not user errors become 500).
         */
        void deleteRole(String mount, String roleId) {
            synchronized (VaultHttpDouble.this) {
                appRoles.remove(mount + "/" + roleId);
            }
        }

        /** The longest mount path that prefixes {@code path}, or {@code null}. */
        private String mountOf(String path) {
            String best = null;
            for (String mount : mounts.keySet()) {
                if (path.startsWith(mount + "/") && (best == null || mount.length() > best.length())) {
                    best = mount;
                }
            }
            return best;
        }

        /** How many failed logins the lockout counter of a role id holds now. */
        int failedLogins(String mount, String roleId) {
            synchronized (VaultHttpDouble.this) {
                Lockout lockout = lockouts.get(mount + "/" + roleId);
                return lockout == null ? 0 : lockout.failures;
            }
        }

        /** Whether a role id is locked out now. */
        boolean lockedOut(String mount, String roleId) {
            synchronized (VaultHttpDouble.this) {
                Lockout lockout = lockouts.get(mount + "/" + roleId);
                return lockout != null && lockout.lockedUntil != null && clock.instant().isBefore(lockout.lockedUntil);
            }
        }

        /** Registers a Kubernetes role that accepts one service-account token. */
        void kubernetesRole(String mount, String role, String jwt, Duration ttl, String... policies) {
            synchronized (VaultHttpDouble.this) {
                kubernetesRoles.put(mount + "/" + role, new KubernetesRole(jwt, ttl, List.of(policies)));
            }
        }

        void revoke(String token) {
            synchronized (VaultHttpDouble.this) {
                Token found = tokens.get(token);
                if (found != null) {
                    found.revoked = true;
                }
            }
        }

        /** Revokes every token issued so far in this namespace. */
        void revokeAll() {
            synchronized (VaultHttpDouble.this) {
                tokens.values().forEach(t -> t.revoked = true);
            }
        }

        /** Denies every token any operation on API paths starting with {@code prefix}, such as {@code secret/data/x}. */
        void deny(String prefix) {
            synchronized (VaultHttpDouble.this) {
                denied.add(prefix);
            }
        }

        /** The tokens issued by logins, in order. */
        List<String> loginTokens() {
            synchronized (VaultHttpDouble.this) {
                List<String> issued = new ArrayList<>();
                for (Token token : tokens.values()) {
                    if (!token.path.equals("token")) {
                        issued.add(token.id);
                    }
                }
                return issued;
            }
        }

        private Token newToken(Duration ttl, Duration maxTtl, boolean renewable, List<String> policies, String path,
                String role) {
            Instant now = clock.instant();
            Token token = new Token(Canary.remember("hvs." + Canary.value("").substring(4)), now, ttl, maxTtl,
                    renewable, policies, path);
            token.role = role;
            tokens.put(token.id, token);
            return token;
        }
    }

    private static final class Token {
        final String id;
        final String accessor = UUID.randomUUID().toString();
        final Instant issued;
        final Duration creationTtl;
        final Instant maxExpiry;
        final boolean renewable;
        final List<String> policies;
        final String path;
        /** The {@code mount/roleId} of the AppRole role that issued it, or {@code null}. */
        String role;
        /** That role as it was at the login: a role deleted and created again is another role. */
        Object issuer;
        Instant expiry;
        boolean revoked;

        Token(String id, Instant issued, Duration ttl, Duration maxTtl, boolean renewable, List<String> policies,
                String path) {
            this.id = id;
            this.issued = issued;
            this.creationTtl = ttl;
            this.maxExpiry = ttl.isZero() || maxTtl.isZero() ? null : issued.plus(maxTtl);
            this.expiry = ttl.isZero() ? null : min(issued.plus(ttl), maxExpiry);
            this.renewable = renewable && !ttl.isZero();
            this.policies = policies;
            this.path = path;
        }

        boolean valid(Instant now) {
            return !revoked && (expiry == null || now.isBefore(expiry));
        }

        long ttlSeconds(Instant now) {
            return expiry == null ? 0 : Math.max(0, Duration.between(now, expiry).getSeconds());
        }
    }

    private static final class AppRole {
        final Map<String, SecretId> secretIds = new HashMap<>();
        final Duration ttl;
        final Duration maxTtl;
        final List<String> policies;
        boolean defaultPolicy = true;

        AppRole(Duration ttl, Duration maxTtl, List<String> policies) {
            this.ttl = ttl;
            this.maxTtl = maxTtl;
            this.policies = policies;
        }
    }

    private static final class SecretId {
        /** Logins left; 0 for unlimited. */
        int usesLeft;
        final Instant expiry;

        SecretId(int numUses, Instant expiry) {
            this.usesLeft = numUses;
            this.expiry = expiry;
        }
    }

    /** A role id's user-lockout state. */
    private static final class Lockout {
        int failures;
        Instant lastFailure;
        Instant lockedUntil;
    }

    private static final class KubernetesRole {
        final String jwt;
        final Duration ttl;
        final List<String> policies;

        KubernetesRole(String jwt, Duration ttl, List<String> policies) {
            this.jwt = jwt;
            this.ttl = ttl;
            this.policies = policies;
        }
    }

    private static final class Version {
        final JsonObject data;
        final Instant created;
        Instant deleted;
        boolean destroyed;

        Version(JsonObject data, Instant created) {
            this.data = data;
            this.created = created;
        }
    }

    private static final class Kv2Secret {
        final TreeMap<Integer, Version> versions = new TreeMap<>();
        int current;
        boolean casRequired;
        int maxVersions;
        Instant created;
        Instant updated;

        int add(JsonObject data, Instant now) {
            current++;
            versions.put(current, new Version(data, now));
            if (created == null) {
                created = now;
            }
            updated = now;
            int keep = maxVersions == 0 ? 10 : maxVersions;
            while (versions.size() > keep) {
                versions.pollFirstEntry();
            }
            return current;
        }
    }

    private static final class Failure {
        final int status;
        final String prefix;
        int left;
        long retryAfterSeconds;

        Failure(int status, int count, String prefix) {
            this.status = status;
            this.left = count;
            this.prefix = prefix;
        }
    }

    /** An answer: a status and a JSON body, or no body (204), and extra headers. */
    private static final class Reply {
        final int status;
        final JsonValue body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Reply(int status, JsonValue body) {
            this.status = status;
            this.body = body;
        }

        Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = answer(exchange);
        } catch (RuntimeException e) {
            reply = error(500, "internal error in the double: " + e.getClass().getName());
        }
        byte[] body = reply.body == null ? new byte[0] : reply.body.toString().getBytes(StandardCharsets.UTF_8);
        if (reply.body != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        reply.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Reply answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String namespace = header(exchange, "X-Vault-Namespace");
        String token = header(exchange, "X-Vault-Token");
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        synchronized (this) {
            requests.add(method + " " + rawPath + (query == null ? "" : "?" + query) + " ns="
                    + (namespace == null ? "" : namespace) + " token=" + (token == null ? "no" : "yes") + " request="
                    + "true".equals(header(exchange, "X-Vault-Request")));
            clientPorts.add(exchange.getRemoteAddress().getPort());
            if (token != null) {
                tokensUsed.add(token);
            }
            if (!rawPath.startsWith("/v1/")) {
                return error(404, "no handler for route");
            }
            String path = decode(rawPath.substring(4));
            if (activeNode != null && !path.equals("sys/health")) {
                // A standby without request forwarding redirects to the active node, keeping path and query.
                return new Reply(307, null).header("Location", activeNode.toString() + rawPath
                        + (query == null ? "" : "?" + query));
            }
            for (Failure failure : rateLimits) {
                if (failure.left > 0 && path.startsWith(failure.prefix)) {
                    failure.left--;
                    return error(429, "request path \"" + path + "\": rate limit quota exceeded")
                            .header("Retry-After", Long.toString(failure.retryAfterSeconds));
                }
            }
            for (Failure failure : failures) {
                if (failure.left > 0 && path.startsWith(failure.prefix)) {
                    failure.left--;
                    // A canary: a client that put Vault's error texts in its messages fails the leak check.
                    return error(failure.status, "injected failure " + Canary.value("vault_error_"));
                }
            }
            if (sealed) {
                return error(503, "Vault is sealed");
            }
            Space space = namespace(namespace == null ? "" : namespace);
            Map<String, String> params = params(query);
            JsonObject body = null;
            if (requestBody.length > 0) {
                try {
                    JsonValue parsed = Json.parse(new String(requestBody, StandardCharsets.UTF_8));
                    if (!parsed.isObject()) {
                        return error(400, "failed to parse JSON input: not an object");
                    }
                    body = parsed.asObject();
                } catch (ParseException e) {
                    return error(400, "failed to parse JSON input");
                }
            }
            if (path.endsWith("/login") && path.startsWith("auth/") && method.equals("POST")) {
                return login(space, path.substring(5, path.length() - 6), body);
            }
            if (path.equals("auth/token/renew-self")) {
                renewals++;
            } else if (path.equals("auth/token/lookup-self")) {
                lookups++;
            }
            Token caller = token == null ? null : space.tokens.get(token);
            if (caller == null || !caller.valid(clock.instant())) {
                return error(403, PERMISSION_DENIED);
            }
            if (path.startsWith("auth/token/") && !caller.policies.contains("default")
                    && !caller.policies.contains("root")) {
                // lookup-self, renew-self and revoke-self are granted by the default policy alone
                // (developer.hashicorp.com/vault/api-docs/auth/token): a live token without it is denied them.
                return error(403, PERMISSION_DENIED);
            }
            if (path.startsWith("sys/internal/ui/mounts/")) {
                return uiMount(space, path.substring("sys/internal/ui/mounts/".length()));
            }
            for (String prefix : space.denied) {
                if (path.startsWith(prefix)) {
                    return error(403, PERMISSION_DENIED);
                }
            }
            if (path.startsWith("auth/token/")) {
                return tokenOperation(space, caller, method, path.substring(11), body);
            }
            String mount = space.mountOf(path);
            if (mount == null) {
                return error(404, "1 error occurred:\n\t* unsupported path\n\n");
            }
            if (space.upgrading.contains(mount)) {
                return error(400, UPGRADING);
            }
            String rest = path.substring(mount.length() + 1);
            if (space.mounts.get(mount) == 1) {
                return kv1(space, method, mount, rest, body);
            }
            return kv2(space, method, mount, rest, params, body);
        }
    }

    /**
     * {@code GET sys/internal/ui/mounts/<path>} (developer.hashicorp.com/vault/api-docs/system/internal-ui-mounts):
     * the mount holding the path, its type and {@code options.version}, to any token with a capability on the path
     * (here: a path not denied); 403 when no mount holds it or the token has no capability there.
     */
    private Reply uiMount(Space space, String path) {
        String mount = space.mountOf(path);
        if (mount == null) {
            return error(403, "preflight capability check returned 403, please ensure client's policies grant "
                    + "access to path \"" + path + "/\"");
        }
        int version = space.mounts.get(mount);
        String rest = path.length() > mount.length() ? path.substring(mount.length() + 1) : "";
        String apiPath = version == 2 ? mount + "/data/" + rest : path;
        for (String prefix : space.denied) {
            if (apiPath.startsWith(prefix) || path.startsWith(prefix)) {
                return error(403, PERMISSION_DENIED);
            }
        }
        JsonObject data = Json.object()
                .add("accessor", "kv_" + Integer.toHexString(mount.hashCode()))
                .add("config", Json.object().add("default_lease_ttl", 0).add("max_lease_ttl", 0))
                .add("description", "")
                .add("external_entropy_access", false)
                .add("local", false)
                .add("options", Json.object().add("version", Integer.toString(version)))
                .add("path", mount + "/")
                .add("plugin_version", "")
                .add("running_plugin_version", "v0.20.0+builtin")
                .add("seal_wrap", false)
                .add("type", "kv")
                .add("uuid", UUID.nameUUIDFromBytes(mount.getBytes(StandardCharsets.UTF_8)).toString());
        return ok(data, Json.NULL, null);
    }

    private Reply login(Space space, String mount, JsonObject body) {
        logins++;
        if (body == null) {
            return error(400, "missing client credentials");
        }
        Instant now = clock.instant();
        String roleId = string(body, "role_id");
        if (roleId != null) {
            String key = mount + "/" + roleId;
            AppRole role = space.appRoles.get(key);
            if (role == null) {
                return error(400, "invalid role or secret ID");
            }
            // User lockout (developer.hashicorp.com/vault/docs/concepts/user-lockout), per role id: a locked-out
            // role id is refused with 403 even with a valid secret id, until lockout_duration has passed.
            Lockout lockout = space.lockouts.computeIfAbsent(key, k -> new Lockout());
            if (lockout.lockedUntil != null) {
                if (now.isBefore(lockout.lockedUntil)) {
                    return error(403, PERMISSION_DENIED);
                }
                lockout.lockedUntil = null;
                lockout.failures = 0;
            }
            if (lockout.lastFailure != null && !now.isBefore(lockout.lastFailure.plus(lockoutCounterReset))) {
                // lockout_counter_reset: the count restarts after that long without a failed login.
                lockout.failures = 0;
            }
            String given = string(body, "secret_id");
            SecretId secretId = given == null ? null : role.secretIds.get(given);
            if (secretId != null && secretId.expiry != null && !now.isBefore(secretId.expiry)) {
                // secret_id_ttl passed (developer.hashicorp.com/vault/api-docs/auth/approle).
                role.secretIds.remove(given);
                secretId = null;
            }
            if (secretId == null) {
                lockout.failures++;
                lockout.lastFailure = now;
                if (lockoutThreshold > 0 && lockout.failures >= lockoutThreshold) {
                    lockout.lockedUntil = now.plus(lockoutDuration);
                }
                return error(400, "invalid role or secret ID");
            }
            if (secretId.usesLeft > 0 && --secretId.usesLeft == 0) {
                // secret_id_num_uses: the last use destroys the secret id.
                role.secretIds.remove(given);
            }
            lockout.failures = 0;
            lockout.lastFailure = null;
            Token token = space.newToken(role.ttl, role.maxTtl, true, withDefault(role.policies, role.defaultPolicy),
                    "auth/" + mount + "/login", key);
            token.issuer = role;
            return ok(Json.NULL, authObject(token, now, Json.object().add("role_name", "bigledger")), null);
        }
        String roleName = string(body, "role");
        KubernetesRole role = roleName == null ? null : space.kubernetesRoles.get(mount + "/" + roleName);
        if (role == null) {
            return error(400, "invalid role name \"" + roleName + "\"");
        }
        if (!role.jwt.equals(string(body, "jwt"))) {
            return error(403, "permission denied");
        }
        Token token = space.newToken(role.ttl, Duration.ZERO, true, withDefault(role.policies, true),
                "auth/" + mount + "/login", null);
        return ok(Json.NULL, authObject(token, now, Json.object().add("role", roleName)), null);
    }

    private Reply tokenOperation(Space space, Token caller, String method, String operation, JsonObject body) {
        Instant now = clock.instant();
        switch (operation) {
            case "lookup-self":
                if (!method.equals("GET")) {
                    return error(405, "1 error occurred:\n\t* unsupported operation\n\n");
                }
                JsonObject data = Json.object()
                        .add("accessor", caller.accessor)
                        .add("creation_time", caller.issued.getEpochSecond())
                        .add("creation_ttl", caller.creationTtl.getSeconds())
                        .add("display_name", caller.path.equals("token") ? "token" : "approle")
                        .add("entity_id", "")
                        .add("expire_time", caller.expiry == null ? Json.NULL : Json.value(caller.expiry.toString()))
                        .add("explicit_max_ttl", 0)
                        .add("id", caller.id)
                        .add("identity_policies", Json.NULL)
                        .add("issue_time", caller.issued.toString())
                        .add("meta", Json.NULL)
                        .add("num_uses", 0)
                        .add("orphan", true)
                        .add("path", caller.path)
                        .add("policies", strings(caller.policies))
                        .add("renewable", caller.renewable)
                        .add("ttl", caller.ttlSeconds(now))
                        .add("type", "service");
                return ok(data, Json.NULL, null);
            case "renew-self":
                if (!method.equals("POST") && !method.equals("PUT")) {
                    return error(405, "1 error occurred:\n\t* unsupported operation\n\n");
                }
                if (!caller.renewable) {
                    return error(400, "lease is not renewable");
                }
                if (caller.role != null && space.appRoles.get(caller.role) != caller.issuer) {
                    // The role is gone: the plugin's renew callback fails with a plain error, which Vault answers
                    // with 500 (vault/expiration.go RenewToken; approle path_login.go pathLoginRenew).
                    return error(500, "1 error occurred:\n\t* role no longer exists\n\n");
                }
                Duration increment = caller.creationTtl;
                if (body != null && body.get("increment") != null && body.get("increment").isNumber()) {
                    increment = Duration.ofSeconds(body.get("increment").asLong());
                }
                Instant wanted = now.plus(increment);
                JsonValue warnings = null;
                if (caller.maxExpiry != null && wanted.isAfter(caller.maxExpiry)) {
                    wanted = caller.maxExpiry;
                    warnings = new JsonArray().add("TTL of \"" + increment.getSeconds() + "s\" exceeded the effective "
                            + "max_ttl; TTL value is capped accordingly");
                }
                caller.expiry = wanted;
                return ok(Json.NULL, authObject(caller, now, Json.NULL), warnings);
            case "revoke-self":
                caller.revoked = true;
                return new Reply(204, null);
            default:
                return error(404, "1 error occurred:\n\t* unsupported path\n\n");
        }
    }

    private Reply kv1(Space space, String method, String mount, String path, JsonObject body) {
        String key = mount + "/" + path;
        switch (method) {
            case "GET":
                JsonObject data = space.kv1.get(key);
                if (data == null) {
                    return new Reply(404, Json.object().add("errors", new JsonArray()));
                }
                return envelope(200, data, Json.NULL, 2764800, false, "kv", null);
            case "POST":
            case "PUT":
                if (body == null) {
                    return error(400, "missing data");
                }
                space.kv1.put(key, body);
                return new Reply(204, null);
            case "DELETE":
                space.kv1.remove(key);
                return new Reply(204, null);
            default:
                return error(405, "1 error occurred:\n\t* unsupported operation\n\n");
        }
    }

    private Reply kv2(Space space, String method, String mount, String rest, Map<String, String> params,
            JsonObject body) {
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return error(404, "1 error occurred:\n\t* unsupported path\n\n");
        }
        String kind = rest.substring(0, slash);
        String key = mount + "/" + rest.substring(slash + 1);
        Kv2Secret secret = space.kv2.get(key);
        Instant now = clock.instant();
        switch (kind) {
            case "data":
                if (method.equals("GET")) {
                    String version = params.get("version");
                    if (staleView != null && (version == null || version.equals("0"))) {
                        // A performance standby that has not caught up: the latest version as it was.
                        Integer seen = staleView.get(space.name + "\u0000" + key);
                        return seen == null ? new Reply(404, Json.object().add("errors", new JsonArray()))
                                : readData(secret, seen.toString(), now);
                    }
                    return readData(secret, version, now);
                }
                if (method.equals("POST") || method.equals("PUT")) {
                    return writeData(space, key, secret, body, now);
                }
                if (method.equals("DELETE")) {
                    if (secret != null && secret.versions.containsKey(secret.current)) {
                        secret.versions.get(secret.current).deleted = now;
                    }
                    return new Reply(204, null);
                }
                return error(405, "1 error occurred:\n\t* unsupported operation\n\n");
            case "metadata":
                if (method.equals("GET") && !"true".equals(params.get("list"))) {
                    return secret == null ? new Reply(404, Json.object().add("errors", new JsonArray()))
                            : ok(metadata(secret), Json.NULL, null);
                }
                if (method.equals("DELETE")) {
                    // Deletes every version and the metadata (vault-plugin-secrets-kv path_metadata.go).
                    space.kv2.remove(key);
                    return new Reply(204, null);
                }
                if (method.equals("POST") || method.equals("PUT")) {
                    Kv2Secret target = space.kv2.computeIfAbsent(key, k -> new Kv2Secret());
                    if (body != null && body.get("cas_required") != null) {
                        target.casRequired = body.get("cas_required").asBoolean();
                    }
                    if (body != null && body.get("max_versions") != null) {
                        target.maxVersions = body.get("max_versions").asInt();
                    }
                    return new Reply(204, null);
                }
                return error(405, "1 error occurred:\n\t* unsupported operation\n\n");
            case "delete":
            case "undelete":
            case "destroy":
                if (!method.equals("POST") && !method.equals("PUT")) {
                    return error(405, "1 error occurred:\n\t* unsupported operation\n\n");
                }
                if (body == null || body.get("versions") == null || !body.get("versions").isArray()) {
                    return error(400, "no version number provided");
                }
                if (secret != null) {
                    for (JsonValue number : body.get("versions").asArray()) {
                        Version version = secret.versions.get(number.asInt());
                        if (version != null) {
                            if (kind.equals("delete")) {
                                version.deleted = now;
                            } else if (kind.equals("undelete")) {
                                version.deleted = null;
                            } else {
                                version.destroyed = true;
                            }
                        }
                    }
                }
                return new Reply(204, null);
            default:
                return error(404, "1 error occurred:\n\t* unsupported path\n\n");
        }
    }

    private Reply readData(Kv2Secret secret, String versionParam, Instant now) {
        if (secret == null || secret.current == 0) {
            return new Reply(404, Json.object().add("errors", new JsonArray()));
        }
        int number;
        try {
            number = versionParam == null || versionParam.equals("0") ? secret.current : Integer.parseInt(versionParam);
        } catch (NumberFormatException e) {
            return error(400, "invalid version");
        }
        Version version = secret.versions.get(number);
        if (version == null) {
            return new Reply(404, Json.object().add("errors", new JsonArray()));
        }
        JsonObject metadata = versionMetadata(version, number);
        boolean gone = version.destroyed || version.deleted != null && !version.deleted.isAfter(now);
        JsonObject data = Json.object().add("data", gone ? Json.NULL : version.data).add("metadata", metadata);
        return envelope(gone ? 404 : 200, data, Json.NULL, 0, false, "kv", null);
    }

    private Reply writeData(Space space, String key, Kv2Secret secret, JsonObject body, Instant now) {
        if (body == null || body.get("data") == null || !body.get("data").isObject()) {
            return error(400, "no data provided");
        }
        Long cas = null;
        JsonValue options = body.get("options");
        if (options != null && options.isObject() && options.asObject().get("cas") != null) {
            JsonValue value = options.asObject().get("cas");
            if (!value.isNumber()) {
                return error(400, "error parsing check-and-set parameter");
            }
            try {
                cas = Long.parseLong(value.toString());
            } catch (NumberFormatException e) {
                return error(400, "error parsing check-and-set parameter");
            }
        }
        int current = secret == null ? 0 : secret.current;
        if (cas == null && secret != null && secret.casRequired) {
            return error(400, "check-and-set parameter required for this call");
        }
        if (cas != null && cas != current) {
            return error(400, "check-and-set parameter did not match the current version");
        }
        Kv2Secret target = space.kv2.computeIfAbsent(key, k -> new Kv2Secret());
        int number = target.add(body.get("data").asObject(), now);
        return ok(versionMetadata(target.versions.get(number), number), Json.NULL, null);
    }

    private static JsonObject versionMetadata(Version version, int number) {
        return Json.object()
                .add("created_time", version.created.toString())
                .add("custom_metadata", Json.NULL)
                .add("deletion_time", version.deleted == null ? "" : version.deleted.toString())
                .add("destroyed", version.destroyed)
                .add("version", number);
    }

    private static JsonObject metadata(Kv2Secret secret) {
        JsonObject versions = Json.object();
        for (Map.Entry<Integer, Version> entry : secret.versions.entrySet()) {
            Version version = entry.getValue();
            versions.add(String.valueOf(entry.getKey()), Json.object()
                    .add("created_time", version.created.toString())
                    .add("deletion_time", version.deleted == null ? "" : version.deleted.toString())
                    .add("destroyed", version.destroyed));
        }
        return Json.object()
                .add("cas_required", secret.casRequired)
                .add("created_time", secret.created == null ? "" : secret.created.toString())
                .add("current_version", secret.current)
                .add("delete_version_after", "0s")
                .add("max_versions", secret.maxVersions)
                .add("oldest_version", secret.versions.isEmpty() ? 0 : secret.versions.firstKey())
                .add("updated_time", secret.updated == null ? "" : secret.updated.toString())
                .add("custom_metadata", Json.NULL)
                .add("versions", versions);
    }

    private static JsonObject authObject(Token token, Instant now, JsonValue metadata) {
        JsonObject auth = Json.object()
                .add("client_token", token.id)
                .add("accessor", token.accessor)
                .add("policies", strings(token.policies))
                .add("metadata", metadata)
                .add("lease_duration", token.ttlSeconds(now))
                .add("renewable", token.renewable)
                .add("entity_id", "")
                .add("token_type", "service")
                .add("orphan", true)
                .add("mfa_requirement", Json.NULL)
                .add("num_uses", 0);
        if (!token.policies.isEmpty()) {
            auth.add("token_policies", strings(token.policies));
        }
        return auth;
    }

    private static Reply ok(JsonValue data, JsonValue auth, JsonValue warnings) {
        return envelope(200, data, auth, 0, false, "", warnings);
    }

    private static Reply envelope(int status, JsonValue data, JsonValue auth, long leaseDuration, boolean renewable,
            String mountType, JsonValue warnings) {
        return new Reply(status, Json.object()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", renewable)
                .add("lease_duration", leaseDuration)
                .add("data", data)
                .add("wrap_info", Json.NULL)
                .add("warnings", warnings == null ? Json.NULL : warnings)
                .add("auth", auth)
                .add("mount_type", mountType));
    }

    private static Reply error(int status, String message) {
        return new Reply(status, Json.object().add("errors", new JsonArray().add(message)));
    }

    private static JsonArray strings(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    private static String string(JsonObject body, String name) {
        JsonValue value = body.get(name);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The policies a token gets: the given ones, and {@code default} unless {@code no_default_policy}. */
    private static List<String> withDefault(List<String> policies, boolean defaultPolicy) {
        List<String> all = new ArrayList<>(policies);
        if (defaultPolicy && !all.contains("default")) {
            all.add("default");
        }
        return List.copyOf(all);
    }

    private static Instant min(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }
}
