package com.bigledger.auth.store.vault;

import static com.bigledger.auth.store.vault.VaultCredentialSource.ADDRESS_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.ALLOW_INSECURE_LOOPBACK_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.AUTH_MOUNT_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.CLIENT_CERT_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.CLIENT_KEY_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.KUBERNETES_JWT_FILE_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.KUBERNETES_ROLE_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.ROLE_ID_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.SCHEME;
import static com.bigledger.auth.store.vault.VaultCredentialSource.SECRET_ID_REF_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.TOKEN_FILE_VARIABLE;
import static com.bigledger.auth.store.vault.VaultCredentialSource.TOKEN_VARIABLE;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.EndpointChecks;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * The settings a {@link VaultCredentialSource.Builder} reads from the environment when an option is left unset, and
 * the checks they share with the options: Vault's address (https, or http to a loopback host only when allowed),
 * exactly one method of authentication, both or neither of a client certificate and its key; and the HTTP client
 * made from them.
 *
 * <p>Stateless and thread-safe.
 */
final class VaultSettings {

    private VaultSettings() {
    }

    /**
     * Vault's address from {@value VaultCredentialSource#ADDRESS_VARIABLE}.
     *
     * @throws IllegalStateException if it is not set
     * @throws IllegalArgumentException if it is not a URL (the message does not quote it)
     */
    static URI address(EnvironmentSettings env) {
        String text = variable(env, ADDRESS_VARIABLE);
        if (text == null) {
            throw new IllegalStateException("No Vault address: set " + ADDRESS_VARIABLE + " or call "
                    + "VaultCredentialSource.builder().address(URI)");
        }
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ADDRESS_VARIABLE + " is not a URL", null);
        }
    }

    /**
     * The method of authentication the environment sets.
     *
     * @throws IllegalStateException if it sets none, or more than one
     */
    static VaultAuthentication authentication(EnvironmentSettings env, Clock clock, Scheduler scheduler) {
        String token = variable(env, TOKEN_VARIABLE);
        Path tokenFile = path(env, TOKEN_FILE_VARIABLE);
        String roleId = variable(env, ROLE_ID_VARIABLE);
        boolean secretIdRef = env.value(SECRET_ID_REF_VARIABLE).isPresent();
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
        if (roleId != null || secretIdRef) {
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
            if (roleId == null || !secretIdRef) {
                throw new IllegalStateException("An AppRole login needs both " + ROLE_ID_VARIABLE + " and "
                        + SECRET_ID_REF_VARIABLE);
            }
            CredentialRef secretId = env.reference(SECRET_ID_REF_VARIABLE).orElseThrow();
            if (SCHEME.equals(secretId.scheme())) {
                throw new IllegalStateException(SECRET_ID_REF_VARIABLE + " is a vault: reference; reading it "
                        + "would need the token it is used to get");
            }
            CredentialVault vault = CredentialVault.builder().clock(clock).scheduler(scheduler).build();
            auth = VaultAuthentication.appRole(roleId, secretId, vault).owning(vault);
        }
        return mount == null ? auth : auth.atMount(mount);
    }

    /**
     * Checks Vault's address: absolute, with a host, no user info, query or fragment, and https (or http to a
     * loopback host, when allowed).
     *
     * @throws IllegalArgumentException if it is malformed
     * @throws IllegalStateException if it is http where that is not allowed
     */
    static void checkAddress(URI address, boolean allowInsecureLoopback) {
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
        if (!address.isAbsolute() || address.isOpaque() || address.getHost() == null) {
            throw new IllegalArgumentException("The Vault address must be an absolute https URL with a host: "
                    + EndpointChecks.shown(address));
        }
        if (address.getRawUserInfo() != null) {
            throw new IllegalArgumentException("The Vault address must not contain user info (credentials in "
                    + "the URL)");
        }
        if (address.getRawQuery() != null || address.getRawFragment() != null) {
            throw new IllegalArgumentException("The Vault address must not have a query or fragment: "
                    + EndpointChecks.shown(address));
        }
        if (scheme.equals("https")) {
            return;
        }
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("The Vault address must be an https URL, not " + scheme + ": "
                    + EndpointChecks.shown(address));
        }
        if (!EndpointChecks.isLoopback(address.getHost())) {
            throw new IllegalStateException("The Vault address must use https: " + address + " (http is allowed "
                    + "only to a loopback host, with allowInsecureLoopback(true))");
        }
        if (!allowInsecureLoopback) {
            throw new IllegalStateException("The Vault address " + address + " uses http: call "
                    + "allowInsecureLoopback(true) (or set " + ALLOW_INSECURE_LOOPBACK_VARIABLE + "=true) to allow "
                    + "http to a loopback host, or use https");
        }
    }

    /**
     * The client certificate and its key from {@value VaultCredentialSource#CLIENT_CERT_VARIABLE} and
     * {@value VaultCredentialSource#CLIENT_KEY_VARIABLE}: both, or two {@code null}s.
     *
     * @throws IllegalStateException if only one is set
     */
    static Path[] clientCertificate(EnvironmentSettings env) {
        Path cert = path(env, CLIENT_CERT_VARIABLE);
        Path key = path(env, CLIENT_KEY_VARIABLE);
        if ((cert == null) != (key == null)) {
            throw new IllegalStateException("Set both " + CLIENT_CERT_VARIABLE + " and " + CLIENT_KEY_VARIABLE
                    + ", or neither");
        }
        return new Path[] {cert, key};
    }

    /**
     * The HTTP client requests to Vault go through: HTTP/1.1, no redirects, the TLS trust and client certificate
     * given ({@code null} for the JDK's defaults).
     *
     * @throws com.bigledger.auth.BigLedgerAuthException if a TLS file cannot be read or parsed
     */
    static HttpClient httpClient(Duration connectTimeout, Path caBundle, Path certificate, Path key) {
        HttpClient.Builder http = HttpClient.newBuilder()
                // As the driver does by default: Vault Agent fails to proxy HTTP/2 cleartext.
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would carry the token to wherever it points.
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        SSLContext tls = Tls.context(caBundle, certificate, key);
        if (tls != null) {
            http.sslContext(tls);
        }
        return http.build();
    }

    /** A variable's value; {@code null} when unset or empty. */
    static String variable(EnvironmentSettings env, String name) {
        return env.value(name).orElse(null);
    }

    /** A variable's value as a path; {@code null} when unset or empty. */
    static Path path(EnvironmentSettings env, String name) {
        return env.path(name).orElse(null);
    }
}
