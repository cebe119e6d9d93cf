package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.SourceUnavailableException;

/**
 * Maps Vault's answers on a KV path to the library's exceptions, from the HTTP status alone (and the one fixed text
 * of a KV upgrade in progress, never quoted): messages name the reference, the API path and the status, never a
 * response body.
 *
 * <p>Stateless and thread-safe.
 */
final class VaultErrors {

    private VaultErrors() {
    }

    /** A 404 on a read: a deleted or destroyed version, a missing version, or no secret (perhaps the wrong KV). */
    static CredentialNotFoundException notFound(VaultPath path, VaultClient.KvReply reply) {
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

    /** Any other failure of {@code doing} on the path: retryable for 412, 429, 5xx and a KV upgrade. */
    static CredentialException failure(VaultPath path, String doing, VaultClient.Reply reply) {
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
        return new CredentialException(Kind.CONFIGURATION, path.ref(), detail, null);
    }
}
