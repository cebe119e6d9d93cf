package com.bigledger.auth.store.vault;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KV mounts a {@link VaultCredentialSource} has met: moves the mount boundary of a parsed path to the mount
 * that holds it, asking Vault once per mount ({@code sys/internal/ui/mounts/<path>}), and keeps the first segment
 * as the mount where Vault cannot tell (the token has no capability on the path, or the endpoint is missing). A
 * mount cannot hold another, so each path is under one of those remembered.
 *
 * <p>Thread-safe: the mounts are a concurrent set; two threads meeting a new mount at once may both ask Vault.
 */
final class VaultMounts {

    private static final Logger LOG = LoggerFactory.getLogger(VaultCredentialSource.class);

    private final VaultRequests requests;
    /** The mounts Vault named for paths read so far. */
    private final Set<String> mounts = ConcurrentHashMap.newKeySet();

    VaultMounts(VaultRequests requests) {
        this.requests = requests;
    }

    /** The path with its mount boundary where Vault says, or as parsed where Vault cannot tell. */
    VaultPath resolve(VaultPath parsed) {
        String whole = parsed.ref().path();
        for (String mount : mounts) {
            if (whole.startsWith(mount + "/")) {
                return parsed.atMount(mount);
            }
        }
        VaultClient.MountReply reply = requests.mountOf(parsed);
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
}
