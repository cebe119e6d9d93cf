package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The bytes of a vault file, version 1.
 *
 * <pre>
 * frame, the same in every format version:
 *   magic "BLGV" (4) | format version u16 | file length u64 | CRC-32 of the 14 bytes before (u32)
 *   ... body ...
 *   SHA-256 of every byte before it (32)
 * body of version 1:
 *   kdf u8 (1 = Argon2id: salt (16) | memory KiB u32 | iterations u32 | parallelism u32; 2 = raw key: nothing)
 *   generation u64                     incremented by every write; an entry's version is the generation that wrote it
 *   key check: nonce (12) | GCM tag (16) of an empty plaintext, AAD = "BLGV key check" | kdf section
 *   entry count u32, then per entry, sorted by name:
 *     name length u16 | name (UTF-8) | version u64 | nonce (12) | ciphertext length u32 | ciphertext with tag
 *     AAD = "BLGV entry" | name length u16 | name | version u64
 * </pre>
 *
 * <p>The order of checks gives each failure its own error: a file shorter than its frame or its declared length is
 * truncated; a bad CRC, a wrong length, extra bytes or a bad checksum is tampering; a whole file of another version
 * is an unknown format; then a failing key check is a wrong key. The checksum is not a secret defence (anyone can
 * recompute it); the GCM tags are. Not thread-safe; values of this class are immutable.
 */
final class VaultFormat {

    static final byte[] MAGIC = {'B', 'L', 'G', 'V'};
    static final int VERSION = 1;
    static final int PREFIX_LENGTH = 4 + 2 + 8 + 4;
    static final int DIGEST_LENGTH = 32;
    static final int SALT_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int KDF_ARGON2ID = 1;
    static final int KDF_RAW_KEY = 2;
    static final int MAX_NAME_BYTES = 1024;

    private static final byte[] KEY_CHECK_LABEL = "BLGV key check".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY_LABEL = "BLGV entry".getBytes(StandardCharsets.US_ASCII);

    private VaultFormat() {
    }

    /** The key-derivation section: how the key is made, and the bytes that encode it (bound into the key check). */
    static final class Kdf {
        final int type;
        final byte[] salt;
        final KdfParameters parameters;

        Kdf(int type, byte[] salt, KdfParameters parameters) {
            this.type = type;
            this.salt = salt;
            this.parameters = parameters;
        }

        byte[] encoded() {
            if (type == KDF_RAW_KEY) {
                return new byte[] {(byte) KDF_RAW_KEY};
            }
            ByteBuffer out = ByteBuffer.allocate(1 + SALT_LENGTH + 12);
            out.put((byte) KDF_ARGON2ID).put(salt).putInt(parameters.memoryKiB()).putInt(parameters.iterations())
                    .putInt(parameters.parallelism());
            return out.array();
        }

        byte[] keyCheckAad() {
            return concat(KEY_CHECK_LABEL, encoded());
        }
    }

    /** One encrypted entry. */
    static final class Entry {
        final long version;
        final byte[] nonce;
        final byte[] ciphertext;

        Entry(long version, byte[] nonce, byte[] ciphertext) {
            this.version = version;
            this.nonce = nonce;
            this.ciphertext = ciphertext;
        }
    }

    /** A decoded file: its key section, generation, key check and entries (still encrypted). */
    static final class Contents {
        final Kdf kdf;
        final long generation;
        final byte[] checkNonce;
        final byte[] checkTag;
        final Map<String, Entry> entries;

        Contents(Kdf kdf, long generation, byte[] checkNonce, byte[] checkTag, Map<String, Entry> entries) {
            this.kdf = kdf;
            this.generation = generation;
            this.checkNonce = checkNonce;
            this.checkTag = checkTag;
            this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
        }
    }

    static byte[] entryAad(String name, long version) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(ENTRY_LABEL.length + 2 + nameBytes.length + 8);
        out.put(ENTRY_LABEL).putShort((short) nameBytes.length).put(nameBytes).putLong(version);
        return out.array();
    }

    static byte[] encode(Contents contents) {
        byte[] kdf = contents.kdf.encoded();
        int size = PREFIX_LENGTH + kdf.length + 8 + NONCE_LENGTH + TAG_LENGTH + 4;
        for (Map.Entry<String, Entry> e : contents.entries.entrySet()) {
            size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 8 + NONCE_LENGTH + 4
                    + e.getValue().ciphertext.length;
        }
        size += DIGEST_LENGTH;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC).putShort((short) VERSION).putLong(size);
        out.putInt((int) crc(out.array(), 0, 14));
        out.put(kdf).putLong(contents.generation).put(contents.checkNonce).put(contents.checkTag);
        out.putInt(contents.entries.size());
        for (Map.Entry<String, Entry> e : contents.entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            Entry entry = e.getValue();
            out.putShort((short) name.length).put(name).putLong(entry.version).put(entry.nonce)
                    .putInt(entry.ciphertext.length).put(entry.ciphertext);
        }
        out.put(sha256(out.array(), 0, size - DIGEST_LENGTH));
        return out.array();
    }

    static Contents decode(byte[] bytes, CredentialRef ref, Path file) {
        int magicSeen = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, magicSeen, MAGIC, 0, magicSeen)) {
            throw new VaultFileTamperedException(ref, file, "it does not start with the vault file signature "
                    + "(is it a vault file?)");
        }
        if (bytes.length < PREFIX_LENGTH) {
            throw new VaultFileTruncatedException(ref, file, "it is " + bytes.length + " bytes long, shorter than "
                    + "its header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(MAGIC.length);
        int version = Short.toUnsignedInt(in.getShort());
        long declared = in.getLong();
        int storedCrc = in.getInt();
        if (storedCrc != (int) crc(bytes, 0, 14)) {
            throw new VaultFileTamperedException(ref, file, "its header checksum does not match");
        }
        if (declared > bytes.length) {
            throw new VaultFileTruncatedException(ref, file, "it is " + bytes.length + " bytes long, its header "
                    + "says " + declared);
        }
        if (declared < bytes.length) {
            throw new VaultFileTamperedException(ref, file, "it has " + (bytes.length - declared) + " bytes more "
                    + "than its header says");
        }
        if (bytes.length < PREFIX_LENGTH + DIGEST_LENGTH || !MessageDigest.isEqual(
                sha256(bytes, 0, bytes.length - DIGEST_LENGTH),
                Arrays.copyOfRange(bytes, bytes.length - DIGEST_LENGTH, bytes.length))) {
            throw new VaultFileTamperedException(ref, file, "its checksum does not match its contents");
        }
        if (version != VERSION) {
            throw new UnsupportedVaultFormatException(ref, file, "format version " + version + " is not "
                    + "supported; this release reads version " + VERSION + " (was it written by a newer release?)");
        }
        try {
            ByteBuffer body = ByteBuffer.wrap(bytes, PREFIX_LENGTH, bytes.length - PREFIX_LENGTH - DIGEST_LENGTH)
                    .slice();
            Kdf kdf = readKdf(body, ref, file);
            long generation = body.getLong();
            byte[] checkNonce = take(body, NONCE_LENGTH);
            byte[] checkTag = take(body, TAG_LENGTH);
            long count = Integer.toUnsignedLong(body.getInt());
            Map<String, Entry> entries = new TreeMap<>();
            for (long i = 0; i < count; i++) {
                int nameLength = Short.toUnsignedInt(body.getShort());
                String name = new String(take(body, nameLength), StandardCharsets.UTF_8);
                long entryVersion = body.getLong();
                byte[] nonce = take(body, NONCE_LENGTH);
                int length = body.getInt();
                if (length < TAG_LENGTH || entries.containsKey(name)) {
                    throw malformed(ref, file);
                }
                entries.put(name, new Entry(entryVersion, nonce, take(body, length)));
            }
            if (body.hasRemaining()) {
                throw malformed(ref, file);
            }
            return new Contents(kdf, generation, checkNonce, checkTag, entries);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw malformed(ref, file);
        }
    }

    private static Kdf readKdf(ByteBuffer body, CredentialRef ref, Path file) {
        int type = Byte.toUnsignedInt(body.get());
        if (type == KDF_RAW_KEY) {
            return new Kdf(type, new byte[0], null);
        }
        if (type != KDF_ARGON2ID) {
            throw malformed(ref, file);
        }
        byte[] salt = take(body, SALT_LENGTH);
        KdfParameters parameters = KdfParameters.argon2id(body.getInt(), body.getInt(), body.getInt());
        return new Kdf(type, salt, parameters);
    }

    private static VaultFileTamperedException malformed(CredentialRef ref, Path file) {
        return new VaultFileTamperedException(ref, file, "its contents are malformed although its checksum matches");
    }

    private static byte[] take(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static byte[] sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, offset, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
