package com.bigledger.auth.store.vault;

/**
 * What Vault's HTTP statuses mean, for messages and for deciding what is worth retrying. Vault's error texts vary
 * between versions and may quote the request, so errors are classified by status alone. Stateless.
 */
final class VaultStatus {

    private VaultStatus() {
    }

    /** Whether trying again later may succeed: 412, 423, 429 and 5xx; and a redirect, which this module does not follow. */
    static boolean retryable(int status) {
        return status == 412 || status == 423 || status == 429 || status >= 500 || status >= 300 && status < 400;
    }

    /** Says what a 429's {@code Retry-After} asks, as {@code " (Retry-After: 30 s)"}, or nothing. */
    static String retryAfter(VaultClient.Reply reply) {
        return reply.status == 429 && reply.retryAfter != null
                ? " (Retry-After: " + reply.retryAfter.getSeconds() + " s)" : "";
    }

    /** Describes a status: "HTTP 503: Vault is sealed or in maintenance", … */
    static String describe(int status) {
        switch (status) {
            case 400:
                return "HTTP 400: Vault refused the request as invalid";
            case 403:
                return "HTTP 403: permission denied";
            case 404:
                return "HTTP 404: not found";
            case 405:
                return "HTTP 405: Vault does not support this operation on this path";
            case 412:
                return "HTTP 412: a performance standby has not caught up with the active node yet";
            case 423:
                return "HTTP 423: the path or namespace is locked";
            case 429:
                return "HTTP 429: rate limited by a Vault quota";
            case 500:
                return "HTTP 500: Vault internal error";
            case 502:
                return "HTTP 502: Vault's upstream failed or rate-limited it";
            case 503:
                return "HTTP 503: Vault is sealed, in maintenance or not ready";
            default:
                if (status >= 300 && status < 400) {
                    return "HTTP " + status + ": a redirect, which is not followed (point the address at the active "
                            + "node or its load balancer)";
                }
                return "HTTP " + status;
        }
    }
}
