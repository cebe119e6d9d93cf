package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.BuilderOptions;
import com.bigledger.auth.spi.CredentialSource;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link VaultCredentialSource} gets its Vault token: a token given as it is, a token file, an AppRole login
 * or a Kubernetes login.
 *
 * <p>Whatever the method, the source keeps the token fresh itself (the driver does not): a renewable token is
 * renewed with {@code renew-self} ahead of its TTL; a login token whose renewal is refused, or that reached its
 * maximum TTL, is replaced by a new login. A token file is read again at each renewal, so a token rewritten by
 * Vault Agent is picked up. Only one login or renewal runs at a time, however many reads wait for it.
 *
 * <pre>{@code
 * VaultAuthentication appRole = VaultAuthentication.appRole("my-service-role",
 *         CredentialRef.parse("env:VAULT_SECRET_ID"), vault);
 * VaultAuthentication kubernetes = VaultAuthentication.kubernetes("my-service").atMount("kubernetes-prod");
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} names the method and where its secret comes from, never a
 * secret.
 */
public final class VaultAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(VaultCredentialSource.class);

    /** Where Kubernetes mounts a pod's service-account token. */
    public static final Path KUBERNETES_TOKEN_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    enum Method {
        TOKEN("token"), TOKEN_FILE("token file"), APP_ROLE("AppRole"), KUBERNETES("Kubernetes");

        private final String label;

        Method(String label) {
            this.label = label;
        }
    }

    private final Method method;
    private final Secret token;
    private final Path file;
    private final String role;
    private final CredentialRef secretId;
    private final CredentialVault vault;
    private final CredentialSource source;
    private final String mount;
    /** A vault this object made and its source must close; only set by the provider's environment defaults. */
    private final AutoCloseable owned;

    private VaultAuthentication(Method method, Secret token, Path file, String role, CredentialRef secretId,
            CredentialVault vault, CredentialSource source, String mount, AutoCloseable owned) {
        this.method = method;
        this.token = token;
        this.file = file;
        this.role = role;
        this.secretId = secretId;
        this.vault = vault;
        this.source = source;
        this.mount = mount;
        this.owned = owned;
    }

    /**
     * Uses a token as it is. A renewable token is renewed ahead of its TTL; once it expires, or is revoked, reads
     * fail with a {@link com.bigledger.auth.CredentialException} of kind
     * {@link com.bigledger.auth.CredentialException.Kind#ACCESS_DENIED} until the source is given a new one.
     *
     * @param token the token; copied, so the caller may destroy its own
     * @return the authentication
     */
    public static VaultAuthentication token(Secret token) {
        Objects.requireNonNull(token, "token");
        return new VaultAuthentication(Method.TOKEN, BuilderOptions.copy(token), null, null, null, null, null, null,
                null);
    }

    /**
     * Uses the token in a file, such as a Vault Agent sink, read when the source first needs a token and again at
     * each renewal; surrounding white space is ignored.
     *
     * @param file the token file
     * @return the authentication
     */
    public static VaultAuthentication tokenFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new VaultAuthentication(Method.TOKEN_FILE, null, file, null, null, null, null, null, null);
    }

    /**
     * Logs in with AppRole, the secret id read through a credential vault (so a rotated secret id is picked up).
     * A refused login drops the vault's cached secret id, so the next login reads it again.
     *
     * @param roleId the role id, which is an identifier rather than a secret
     * @param secretId where the secret id lives, such as {@code env:VAULT_SECRET_ID}; not a {@code vault:}
     *     reference, since reading it would need the token it is used to get
     * @param vault the credential vault that resolves {@code secretId}
     * @return the authentication, at the mount {@code approle}
     * @throws IllegalArgumentException if {@code roleId} is empty or {@code secretId} is a {@code vault:} reference
     */
    public static VaultAuthentication appRole(String roleId, CredentialRef secretId, CredentialVault vault) {
        Objects.requireNonNull(vault, "vault");
        checkAppRole(roleId, secretId);
        return new VaultAuthentication(Method.APP_ROLE, null, null, roleId, secretId, vault, null, "approle", null);
    }

    /**
     * Logs in with AppRole, the secret id loaded from a credential source at each login.
     *
     * @param roleId the role id, which is an identifier rather than a secret
     * @param secretId where the secret id lives; not a {@code vault:} reference
     * @param source the source of {@code secretId}'s scheme
     * @return the authentication, at the mount {@code approle}
     * @throws IllegalArgumentException if {@code roleId} is empty, {@code secretId} is a {@code vault:} reference or
     *     is not of the source's scheme
     */
    public static VaultAuthentication appRole(String roleId, CredentialRef secretId, CredentialSource source) {
        Objects.requireNonNull(source, "source");
        checkAppRole(roleId, secretId);
        if (!source.scheme().equals(secretId.scheme())) {
            throw new IllegalArgumentException("The AppRole secret id reference '" + secretId + "' is not of the "
                    + "source's scheme '" + source.scheme() + "'");
        }
        return new VaultAuthentication(Method.APP_ROLE, null, null, roleId, secretId, null, source, "approle", null);
    }

    /**
     * Logs in with the Kubernetes auth method, with the pod's service-account token at
     * {@link #KUBERNETES_TOKEN_FILE}, read again at each login (projected tokens rotate).
     *
     * @param role the Vault role bound to the service account
     * @return the authentication, at the mount {@code kubernetes}
     */
    public static VaultAuthentication kubernetes(String role) {
        return kubernetes(role, KUBERNETES_TOKEN_FILE);
    }

    /**
     * Logs in with the Kubernetes auth method, with the service-account token (a JWT) in the given file, read again
     * at each login.
     *
     * @param role the Vault role bound to the service account
     * @param jwtFile the file holding the service-account token
     * @return the authentication, at the mount {@code kubernetes}
     * @throws IllegalArgumentException if {@code role} is empty
     */
    public static VaultAuthentication kubernetes(String role, Path jwtFile) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(jwtFile, "jwtFile");
        if (role.isEmpty()) {
            throw new IllegalArgumentException("The Kubernetes role is empty");
        }
        return new VaultAuthentication(Method.KUBERNETES, null, jwtFile, role, null, null, null, "kubernetes", null);
    }

    /**
     * Returns this login at another auth mount, for an auth method enabled at a path of its own.
     *
     * @param authMount the path the method is enabled at, without {@code auth/}, such as {@code approle-prod}
     * @return a copy at that mount
     * @throws IllegalStateException if this is not a login (a token needs no mount)
     * @throws IllegalArgumentException if the mount is empty or starts or ends with {@code /}
     */
    public VaultAuthentication atMount(String authMount) {
        Objects.requireNonNull(authMount, "authMount");
        if (method == Method.TOKEN || method == Method.TOKEN_FILE) {
            throw new IllegalStateException("A " + method.label + " needs no auth mount: '" + authMount + "'");
        }
        if (authMount.isEmpty() || authMount.startsWith("/") || authMount.endsWith("/")) {
            throw new IllegalArgumentException("The auth mount must be a path such as 'approle', without leading or "
                    + "trailing '/': '" + authMount + "'");
        }
        return new VaultAuthentication(method, token, file, role, secretId, vault, source, authMount, owned);
    }

    /**
     * Returns the auth mount a login uses.
     *
     * @return the mount, such as {@code approle}; empty for a token
     */
    public java.util.Optional<String> mount() {
        return java.util.Optional.ofNullable(mount);
    }

    @Override
    public String toString() {
        switch (method) {
            case TOKEN:
                return "VaultAuthentication[token]";
            case TOKEN_FILE:
                return "VaultAuthentication[token file " + file + "]";
            case APP_ROLE:
                return "VaultAuthentication[AppRole at auth/" + mount + ", secret id " + secretId + "]";
            default:
                return "VaultAuthentication[Kubernetes at auth/" + mount + ", role " + role + ", token file " + file
                        + "]";
        }
    }

    VaultAuthentication owning(AutoCloseable resource) {
        return new VaultAuthentication(method, token, file, role, secretId, vault, source, mount, resource);
    }

    Method method() {
        return method;
    }

    boolean isLogin() {
        return method == Method.APP_ROLE || method == Method.KUBERNETES;
    }

    Secret token() {
        return token;
    }

    Path file() {
        return file;
    }

    String role() {
        return role;
    }

    CredentialRef secretId() {
        return secretId;
    }

    CredentialVault vault() {
        return vault;
    }

    CredentialSource source() {
        return source;
    }

    /**
     * Closes what the builder created for this method (the credential vault of an AppRole secret id's reference), if
     * anything; a failure is logged, not thrown, so that the source's close goes on.
     */
    void closeOwned() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.warn("Closing the credential vault of the Vault AppRole secret id failed: {}",
                        e.getClass().getName());
            }
        }
    }

    /** Describes the method for messages: "AppRole login at auth/approle", "the token file /run/token", … */
    String describe() {
        switch (method) {
            case TOKEN:
                return "the configured token";
            case TOKEN_FILE:
                return "the token in " + file;
            case APP_ROLE:
                return "the AppRole login at auth/" + mount;
            default:
                return "the Kubernetes login at auth/" + mount;
        }
    }

    private static void checkAppRole(String roleId, CredentialRef secretId) {
        Objects.requireNonNull(roleId, "roleId");
        Objects.requireNonNull(secretId, "secretId");
        if (roleId.isEmpty()) {
            throw new IllegalArgumentException("The AppRole role id is empty");
        }
        if (VaultCredentialSource.SCHEME.equals(secretId.scheme())) {
            throw new IllegalArgumentException("The AppRole secret id reference '" + secretId + "' is in Vault: "
                    + "reading it would need the token it is used to get; keep it in another store");
        }
    }
}
