package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.SecretFields;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KV reads and writes of a {@link VaultCredentialSource}, on paths whose mount {@link VaultMounts} resolved:
 * a read answered as a value with its version, check-and-set on KV version 2 ({@code options.cas}, a refused
 * one told apart from another invalid write by reading the version now current), which the library's
 * {@code #field} read-merge-compare-and-set loop ({@link SecretFields#write}) runs on, and KV version 1's
 * unconditional writes.
 *
 * <p>Thread-safe: holds no state of its own; concurrent writers of one secret are ordered by Vault's check-and-set.
 */
final class VaultKv {

    private static final Logger LOG = LoggerFactory.getLogger(VaultCredentialSource.class);

    private final VaultRequests requests;
    private final VaultMounts mounts;

    VaultKv(VaultRequests requests) {
        this.requests = requests;
        this.mounts = new VaultMounts(requests);
    }

    /** Reads a secret, or one field of it, as {@link VaultCredentialSource#load} describes. */
    VersionedSecret load(CredentialRef ref) {
        VaultPath path = mounts.resolve(VaultPath.of(ref));
        VaultClient.KvReply reply = requests.read(path, "read");
        if (reply.status == 404) {
            throw VaultErrors.notFound(path, reply);
        }
        if (reply.status != 200) {
            throw VaultErrors.failure(path, "reading", reply);
        }
        if (reply.data == null || path.kv() == 2 && reply.version == null) {
            throw new SourceUnavailableException(ref, "Vault answered the read of " + path + " without "
                    + (reply.data == null ? "data" : "a version"), null);
        }
        Secret value = VaultValues.read(ref, reply.data);
        return path.kv() == 2 ? VersionedSecret.of(value, reply.version.toString()) : VersionedSecret.unversioned(value);
    }

    /** Writes a secret, or one field of it, as {@link VaultCredentialSource#write} describes. */
    WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        VaultPath parsed = VaultPath.of(ref);
        if (parsed.version() != null) {
            throw new CredentialException(Kind.CONFIGURATION, ref, "a reference pinned to a version cannot be "
                    + "written; write to it without ?version", null);
        }
        Long expected = expectedVersion.map(version -> parseVersion(ref, version)).orElse(null);
        VaultPath path = mounts.resolve(parsed);
        if (path.kv() == 1) {
            return writeKv1(path, value, expected);
        }
        if (ref.field().isEmpty()) {
            return checkAndSet(path, VaultValues.whole(ref, value), expected);
        }
        return SecretFields.write(ref, value, expectedVersion, new SecretFields.Store() {
            @Override
            public Optional<VersionedSecret> read(CredentialRef whole) {
                VaultClient.KvReply current = readForMerge(path);
                return current.status == 404 ? Optional.empty() : Optional.of(VersionedSecret.of(
                        VaultValues.data(current.data), String.valueOf(current.version == null ? 0 : current.version)));
            }

            @Override
            public WriteResult compareAndSet(CredentialRef written, Secret merged, Secret fieldValue,
                    Optional<String> expected) {
                return checkAndSet(path, VaultValues.whole(ref, merged), Long.parseLong(expected.orElse("0")));
            }

            @Override
            public Optional<String> absentVersion() {
                // KV version 2 counts versions from 0, "no secret": a write expecting 0 creates the secret.
                return Optional.of("0");
            }
        });
    }

    /** Reads the secret a field is merged into: answered 200 or 404. */
    private VaultClient.KvReply readForMerge(VaultPath path) {
        VaultClient.KvReply current = requests.read(path, "read");
        if (current.status != 200 && current.status != 404) {
            throw VaultErrors.failure(path, "reading (to merge a field into)", current);
        }
        return current;
    }

    private static long parseVersion(CredentialRef ref, String version) {
        if (!version.matches("0|[1-9][0-9]{0,17}")) {
            throw new CredentialException(Kind.CONFIGURATION, ref, "the expected version '" + version + "' is not a "
                    + "KV version 2 version number", null);
        }
        return Long.parseLong(version);
    }

    private WriteResult checkAndSet(VaultPath path, Map<String, Object> data, Long cas) {
        VaultClient.WriteReply reply = requests.write(path, data, cas);
        if (reply.status == 200 || reply.status == 204) {
            return WriteResult.written(reply.version == null ? null : reply.version.toString());
        }
        if (reply.status == 400 && reply.upgrading) {
            throw VaultErrors.failure(path, "writing", reply);
        }
        if (reply.status == 400 && cas != null) {
            // Vault answers a stale cas with 400, as it does other invalid writes: the current version tells which.
            VaultClient.KvReply latest = requests.read(path.latest(), "read");
            if (latest.status != 200 && latest.status != 404) {
                throw VaultErrors.failure(path, "reading (after a refused check-and-set write)", latest);
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
            throw new CredentialException(Kind.CONFIGURATION, path.ref(), "Vault refused the write of " + path
                    + " (HTTP 400); if the mount or secret requires check-and-set (cas_required), write with the"
                    + " version last read as the expected version, or 0 to create", null);
        }
        throw VaultErrors.failure(path, "writing", reply);
    }

    private WriteResult writeKv1(VaultPath path, Secret value, Long expected) {
        CredentialRef ref = path.ref();
        if (expected != null) {
            throw new CredentialException(Kind.CONFIGURATION, ref, "KV version 1 keeps no versions, so a write cannot "
                    + "check that version " + expected + " is still current; write with no expected version (the last "
                    + "writer wins), or move the secret to a KV version 2 mount", null);
        }
        Map<String, Object> data;
        if (ref.field().isEmpty()) {
            data = VaultValues.whole(ref, value);
        } else {
            VaultClient.KvReply current = readForMerge(path);
            Optional<Secret> existing = current.status == 200 ? Optional.of(VaultValues.data(current.data))
                    : Optional.empty();
            Secret merged = SecretFields.merge(ref, existing, value);
            try {
                data = VaultValues.whole(ref, merged);
            } finally {
                merged.destroy();
                existing.ifPresent(Secret::destroy);
            }
        }
        VaultClient.WriteReply reply = requests.write(path, data, null);
        if (reply.status == 200 || reply.status == 204) {
            return WriteResult.written(null);
        }
        throw VaultErrors.failure(path, "writing", reply);
    }
}
