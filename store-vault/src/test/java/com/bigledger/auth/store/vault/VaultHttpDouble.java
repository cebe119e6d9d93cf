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
 * passed Vault's texts on would fail the leak check. Thread-safe.
 */
final class VaultHttpDouble implements AutoCloseable {

    private static final String PERMISSION_DENIED = "1 error occurred:\n\t* permission denied\n\n";

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, Space> spaces = new HashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final Set<Integer> clientPorts = new HashSet<>();
    private final List<String> tokensUsed = new ArrayList<>();
    private int logins;
    private int renewals;
    private int lookups;
    private boolean sealed;

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
        private final Map<String, KubernetesRole> kubernetesRoles = new HashMap<>();
        private final List<String> denied = new ArrayList<>();

        private Space(String name) {
            this.name = name;
            mounts.put("secret", 2);
            mounts.put("kv", 1);
        }

        /** Adds a KV mount. */
        Space mount(String mount, int version) {
            synchronized (VaultHttpDouble.this) {
                mounts.put(mount, version);
            }
            return this;
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

        /** Makes a new token, as {@code vault token create} would. A zero TTL never expires. */
        String issueToken(Duration ttl, Duration maxTtl, boolean renewable, String... policies) {
            synchronized (VaultHttpDouble.this) {
                return newToken(ttl, maxTtl, renewable, List.of(policies), "token").id;
            }
        }

        /** Registers an AppRole role at mount {@code approle}, with its role id and a secret id. */
        void appRole(String mount, String roleId, String secretId, Duration ttl, Duration maxTtl,
                String... policies) {
            synchronized (VaultHttpDouble.this) {
                appRoles.put(mount + "/" + roleId, new AppRole(secretId, ttl, maxTtl, List.of(policies)));
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

        private Token newToken(Duration ttl, Duration maxTtl, boolean renewable, List<String> policies, String path) {
            Instant now = clock.instant();
            Token token = new Token(Canary.remember("hvs." + Canary.value("").substring(4)), now, ttl, maxTtl,
                    renewable, policies, path);
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
        final String secretId;
        final Duration ttl;
        final Duration maxTtl;
        final List<String> policies;

        AppRole(String secretId, Duration ttl, Duration maxTtl, List<String> policies) {
            this.secretId = secretId;
            this.ttl = ttl;
            this.maxTtl = maxTtl;
            this.policies = policies;
        }
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

        Failure(int status, int count, String prefix) {
            this.status = status;
            this.left = count;
            this.prefix = prefix;
        }
    }

    /** An answer: a status and a JSON body, or no body (204). */
    private static final class Reply {
        final int status;
        final JsonValue body;

        Reply(int status, JsonValue body) {
            this.status = status;
            this.body = body;
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
            for (String prefix : space.denied) {
                if (path.startsWith(prefix)) {
                    return error(403, PERMISSION_DENIED);
                }
            }
            if (path.startsWith("auth/token/")) {
                return tokenOperation(space, caller, method, path.substring(11), body);
            }
            int slash = path.indexOf('/');
            Integer kv = slash < 0 ? null : space.mounts.get(path.substring(0, slash));
            if (kv == null) {
                return error(404, "1 error occurred:\n\t* unsupported path\n\n");
            }
            String mount = path.substring(0, slash);
            String rest = path.substring(slash + 1);
            if (kv == 1) {
                return kv1(space, method, mount, rest, body);
            }
            return kv2(space, method, mount, rest, params, body);
        }
    }

    private Reply login(Space space, String mount, JsonObject body) {
        logins++;
        if (body == null) {
            return error(400, "missing client credentials");
        }
        Instant now = clock.instant();
        String roleId = string(body, "role_id");
        if (roleId != null) {
            AppRole role = space.appRoles.get(mount + "/" + roleId);
            if (role == null || !role.secretId.equals(string(body, "secret_id"))) {
                return error(400, "invalid role or secret ID");
            }
            Token token = space.newToken(role.ttl, role.maxTtl, true, role.policies, "auth/" + mount + "/login");
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
        Token token = space.newToken(role.ttl, Duration.ZERO, true, role.policies, "auth/" + mount + "/login");
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
                    return readData(secret, params.get("version"), now);
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

    private static Instant min(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }
}
