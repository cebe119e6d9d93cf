package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.spi.ReferenceOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A {@code vault:} reference taken apart: the mount, the secret's path inside the mount, the KV version and a
 * pinned version. Immutable and thread-safe.
 *
 * <p>As parsed, the mount is the first path segment. Mounts may be nested ({@code team/kv}), so the source asks
 * Vault which mount holds the path ({@code sys/internal/ui/mounts/<path>}, which needs no privileged
 * {@code sys/mounts} access) and moves the boundary with {@link #atMount}.
 */
final class VaultPath {

    /**
     * The options of a {@code vault:} reference: {@code kv}, the KV version of the mount (1 or 2, by default 2), and
     * {@code version}, a pinned KV version 2 version.
     */
    static final ReferenceOptions OPTIONS = ReferenceOptions.builder(VaultCredentialSource.SCHEME)
            .option("kv", Set.of("1", "2"))
            .option("version", value -> value.matches("[1-9][0-9]{0,9}"), "a positive whole number")
            .refuse(options -> "1".equals(options.get("kv")) && options.containsKey("version"),
                    "option 'version' needs a KV version 2 mount, not kv=1")
            .build();

    private final CredentialRef ref;
    private final String mount;
    private final List<String> segments;
    private final int kv;
    private final Long version;

    private VaultPath(CredentialRef ref, String mount, List<String> segments, int kv, Long version) {
        this.ref = ref;
        this.mount = mount;
        this.segments = segments;
        this.kv = kv;
        this.version = version;
    }

    /**
     * Parses a reference.
     *
     * @throws IllegalArgumentException if the reference is not of scheme {@code vault}, its options are not
     *     {@link #OPTIONS}, or its path is not {@code MOUNT/PATH}; the message quotes the reference
     */
    static VaultPath of(CredentialRef ref) {
        if (!VaultCredentialSource.SCHEME.equals(ref.scheme())) {
            throw new IllegalArgumentException("Credential reference '" + ref + "' is not of scheme '"
                    + VaultCredentialSource.SCHEME + "'");
        }
        OPTIONS.check(ref);
        List<String> parts = List.of(ref.path().split("/", -1));
        if (parts.size() < 2) {
            throw new IllegalArgumentException("Credential reference '" + ref + "': the path must be MOUNT/PATH, such "
                    + "as secret/bigledger (the mount alone names no secret)");
        }
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("Credential reference '" + ref + "': the path has an empty, '.' or "
                        + "'..' segment; write MOUNT/PATH without leading, trailing or doubled '/'");
            }
        }
        int kv = ref.option("kv").map(Integer::parseInt).orElse(2);
        Long version = ref.option("version").map(Long::valueOf).orElse(null);
        return new VaultPath(ref, parts.get(0), parts.subList(1, parts.size()), kv, version);
    }

    CredentialRef ref() {
        return ref;
    }

    String mount() {
        return mount;
    }

    int kv() {
        return kv;
    }

    /** The pinned KV version 2 version, or {@code null} for the latest. */
    Long version() {
        return version;
    }

    /** How many path segments the mount has. */
    int mountDepth() {
        return mount.split("/", -1).length;
    }

    /** The reference's whole path, mount included, percent-encoded segment by segment: {@code team/kv/app}. */
    String encodedPath() {
        StringBuilder path = new StringBuilder();
        for (String segment : mount.split("/", -1)) {
            path.append(path.length() == 0 ? "" : "/").append(encode(segment));
        }
        for (String segment : segments) {
            path.append('/').append(encode(segment));
        }
        return path.toString();
    }

    /** The first path segment, the mount as parsed. */
    String firstSegment() {
        return ref.path().split("/", -1)[0];
    }

    /**
     * This path with the mount {@code mount}, which prefixes the reference's path and leaves at least one segment
     * for the secret; this path as it is otherwise.
     */
    VaultPath atMount(String mount) {
        List<String> parts = List.of(ref.path().split("/", -1));
        List<String> mountParts = List.of(mount.split("/", -1));
        if (mount.equals(this.mount) || mountParts.size() >= parts.size()
                || !parts.subList(0, mountParts.size()).equals(mountParts)) {
            return this;
        }
        return new VaultPath(ref, mount, parts.subList(mountParts.size(), parts.size()), kv, version);
    }

    /** This path without its pinned version: the latest version of the same secret. */
    VaultPath latest() {
        return version == null ? this : new VaultPath(ref, mount, segments, kv, null);
    }

    /**
     * The path as the driver takes it, {@code MOUNT/PATH} with each segment percent-encoded: the driver puts it in
     * a URL as it is, and inserts {@code data/} after the mount itself for KV version 2.
     */
    String driverPath() {
        return encodedPath();
    }

    /** The API path, for messages and policy hints: {@code secret/data/app} (KV 2) or {@code kv/app} (KV 1). */
    String apiPath() {
        return mount + (kv == 2 ? "/data/" : "/") + String.join("/", segments);
    }

    @Override
    public String toString() {
        return apiPath() + (version == null ? "" : "?version=" + version);
    }

    private static String encode(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
