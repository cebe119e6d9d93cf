package com.bigledger.auth.bigledger;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link BigLedgerAuth}'s credential comes from (a token manager, a key kept in a store, or a key given as
 * a value), the headers last made from it, and dropping it after a 401. Thread-safe.
 */
final class ApiCredential {

    private static final Logger LOG = LoggerFactory.getLogger(BigLedgerAuth.class);

    private final BigLedgerEnvironment environment;
    private final String companyId;
    private final String userAgent;
    private final Secret staticKey;
    private final CredentialVault keyVault;
    private final CredentialRef keyRef;
    private final CredentialHandle keyHandle;
    private final String keyLabel;
    private final TokenManager tokens;

    /** The headers last handed out, and the credential instance they carry. */
    private volatile BigLedgerHeaders current;

    /** Guarded by {@code this}: the credential instance last invalidated, so many 401s cause one invalidation. */
    private Object lastInvalidated;

    ApiCredential(AuthSettings.Resolved r, TokenManager tokens, String userAgent) {
        this.environment = r.environment;
        this.companyId = r.companyId;
        this.userAgent = userAgent;
        this.staticKey = r.staticKey;
        this.keyVault = r.keyVault;
        this.keyRef = r.keyRef;
        this.keyHandle = r.keyHandle;
        this.keyLabel = r.keyLabel;
        this.tokens = tokens;
        if (r.checkedKey != null) {
            this.current = new BigLedgerHeaders(r.checkedKey, "Bearer " + r.checkedKey.reveal(),
                    r.checkedKey.toString(), companyId, userAgent);
        }
    }

    /** See {@link BigLedgerAuth#headers()}. */
    BigLedgerHeaders headers() {
        Object credential = tokens != null ? tokens.token() : keyHandle != null ? keyHandle.get() : staticKey;
        BigLedgerHeaders headers = current;
        if (headers != null && headers.credential() == credential) {
            return headers;
        }
        return newHeaders(credential);
    }

    private BigLedgerHeaders newHeaders(Object credential) {
        BigLedgerHeaders headers;
        if (credential instanceof AccessToken) {
            AccessToken token = (AccessToken) credential;
            headers = new BigLedgerHeaders(token, "Bearer " + token.reveal(), token.value().toString(), companyId,
                    userAgent);
        } else {
            Secret key = (Secret) credential;
            Optional<ConfigProblem> problem = ApiKeys.check(key, environment);
            if (problem.isPresent()) {
                LOG.warn("The API key at {} was rotated to one that is unusable: {}", keyLabel,
                        problem.get().message());
                throw new BigLedgerConfigurationException(List.of(AuthSettings.labelled(keyLabel, problem.get())));
            }
            LOG.debug("Using a new API key from {}", keyLabel);
            headers = new BigLedgerHeaders(key, "Bearer " + key.reveal(), key.toString(), companyId, userAgent);
        }
        current = headers;
        return headers;
    }

    /** See {@link BigLedgerAuth#invalidate(BigLedgerHeaders)}. */
    boolean invalidate(BigLedgerHeaders rejected) {
        if (!refreshable()) {
            return false;
        }
        synchronized (this) {
            if (rejected.credential() == lastInvalidated) {
                return false;
            }
            lastInvalidated = rejected.credential();
        }
        if (rejected.credential() instanceof AccessToken) {
            return tokens != null && tokens.invalidate((AccessToken) rejected.credential());
        }
        LOG.info("The API key from {} was refused; reloading it", keyLabel);
        return keyVault.invalidate(keyRef) > 0;
    }

    /** See {@link BigLedgerAuth#refreshable()}. */
    boolean refreshable() {
        return tokens != null || keyHandle != null;
    }

    /** Whether the credential is an OAuth token manager's. */
    boolean oauth() {
        return tokens != null;
    }

    /** Where the credential comes from, for {@code toString}; never a secret. */
    String source() {
        return tokens != null ? "OAuth " + tokens : "API key from " + keyLabel;
    }
}
