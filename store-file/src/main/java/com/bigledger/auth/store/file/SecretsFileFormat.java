package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.store.file.SecretsFileException.Reason;
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
 * The bytes of a secrets file, format version 2 (written) and 1 (still read, rewritten as 2 on the next write).
 *
 * <pre>
 * frame, the same in every format version:
 *   magic "BLGV" (4) | format version u16 | file length u64 | CRC-32 of the 14 bytes before (u32)
 *   ... body ...
 *   SHA-256 of every byte before it (32)
 * body of version 2: the body of version 1, then
 *   file MAC (32): HMAC-SHA256 under the file MAC key of every byte before it, from the magic on
 *   the key check and the entries use the entry key; both keys are derived from the master key with HKDF-SHA256
 * body of version 1 (the master key serves the key check and the entries; no file MAC):
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
 * is an unknown format; Argon2id parameters out of range are refused before any derivation; then a failing key
 * check is a wrong key, and a failing file MAC is tampering (checked before any entry is decrypted). The checksum is
 * not a secret defence (anyone can recompute it); the file MAC and the GCM tags are: the MAC binds the generation
 * and the whole entry list, so an entry put back from an older copy, a deleted or an added entry is refused. Values
 * of this class are immutable.
 */
final class SecretsFileFormat {

    static final byte[] MAGIC = {'B', 'L', 'G', 'V'};
    static final int VERSION = 2;
    static final int VERSION_1 = 1;
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

    private SecretsFileFormat() {
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

    /** Computes a file's MAC over a range of its bytes. */
    interface Authenticator {
        byte[] mac(byte[] bytes, int offset, int length);
    }

    /**
     * A decoded file (or one about to be written): its format version, key section, generation, key check and entries
     * (still encrypted); for a decoded file of version 2, its bytes and its MAC, still to be checked.
     */
    static final class Contents {
        final int formatVersion;
        final Kdf kdf;
        final long generation;
        final byte[] checkNonce;
        final byte[] checkTag;
        final Map<String, Entry> entries;
        /** The bytes the MAC covers are {@code bytes[0, macOffset)}; {@code null} unless decoded from version 2. */
        final byte[] bytes;
        final int macOffset;
        final byte[] mac;

        Contents(Kdf kdf, long generation, byte[] checkNonce, byte[] checkTag, Map<String, Entry> entries) {
            this(VERSION, kdf, generation, checkNonce, checkTag, entries, null, 0, null);
        }

        private Contents(int formatVersion, Kdf kdf, long generation, byte[] checkNonce, byte[] checkTag,
                Map<String, Entry> entries, byte[] bytes, int macOffset, byte[] mac) {
            this.formatVersion = formatVersion;
            this.kdf = kdf;
            this.generation = generation;
            this.checkNonce = checkNonce;
            this.checkTag = checkTag;
            this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
            this.bytes = bytes;
            this.macOffset = macOffset;
            this.mac = mac;
        }
    }

    static byte[] entryAad(String name, long version) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(ENTRY_LABEL.length + 2 + nameBytes.length + 8);
        out.put(ENTRY_LABEL).putShort((short) nameBytes.length).put(nameBytes).putLong(version);
        return out.array();
    }

    /** Encodes contents as a file of the current version, authenticated by {@code authenticator}. */
    static byte[] encode(Contents contents, Authenticator authenticator) {
        byte[] kdf = contents.kdf.encoded();
        int size = PREFIX_LENGTH + kdf.length + 8 + NONCE_LENGTH + TAG_LENGTH + 4 + SecretsFileKeys.MAC_LENGTH;
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
        int macOffset = size - DIGEST_LENGTH - SecretsFileKeys.MAC_LENGTH;
        out.put(authenticator.mac(out.array(), 0, macOffset));
        out.put(sha256(out.array(), 0, size - DIGEST_LENGTH));
        return out.array();
    }

    static Contents decode(byte[] bytes, CredentialRef ref, Path file) {
        int magicSeen = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, magicSeen, MAGIC, 0, magicSeen)) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file,
                    "it does not start with the secrets file signature "
                    + "(is it a secrets file?)");
        }
        if (bytes.length < PREFIX_LENGTH) {
            throw new SecretsFileException(Reason.TRUNCATED, ref, file,
                    "it is " + bytes.length + " bytes long, shorter than "
                    + "its header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(MAGIC.length);
        int version = Short.toUnsignedInt(in.getShort());
        long declared = in.getLong();
        int storedCrc = in.getInt();
        if (storedCrc != (int) crc(bytes, 0, 14)) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file, "its header checksum does not match");
        }
        if (declared > bytes.length) {
            throw new SecretsFileException(Reason.TRUNCATED, ref, file,
                    "it is " + bytes.length + " bytes long, its header "
                    + "says " + declared);
        }
        if (declared < bytes.length) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file,
                    "it has " + (bytes.length - declared) + " bytes more "
                    + "than its header says");
        }
        if (bytes.length < PREFIX_LENGTH + DIGEST_LENGTH || !MessageDigest.isEqual(
                sha256(bytes, 0, bytes.length - DIGEST_LENGTH),
                Arrays.copyOfRange(bytes, bytes.length - DIGEST_LENGTH, bytes.length))) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file, "its checksum does not match its contents");
        }
        if (version != VERSION && version != VERSION_1) {
            throw new SecretsFileException(Reason.UNSUPPORTED_FORMAT, ref, file,
                    "format version " + version + " is not "
                    + "supported; this release reads versions " + VERSION_1 + " and " + VERSION + " (was it written "
                    + "by a newer release?)");
        }
        int macLength = version == VERSION ? SecretsFileKeys.MAC_LENGTH : 0;
        int macOffset = bytes.length - DIGEST_LENGTH - macLength;
        if (macOffset < PREFIX_LENGTH) {
            throw malformed(ref, file);
        }
        try {
            ByteBuffer body = ByteBuffer.wrap(bytes, PREFIX_LENGTH, macOffset - PREFIX_LENGTH).slice();
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
            return version == VERSION
                    ? new Contents(version, kdf, generation, checkNonce, checkTag, entries, bytes, macOffset,
                            Arrays.copyOfRange(bytes, macOffset, macOffset + macLength))
                    : new Contents(version, kdf, generation, checkNonce, checkTag, entries, null, 0, null);
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
        long memoryKiB = Integer.toUnsignedLong(body.getInt());
        long iterations = Integer.toUnsignedLong(body.getInt());
        long parallelism = Integer.toUnsignedLong(body.getInt());
        String outOfRange = KdfParameters.outOfRange(memoryKiB, iterations, parallelism);
        if (outOfRange != null) {
            throw new SecretsFileException(Reason.UNSAFE_KDF_PARAMETERS, ref, file,
                    "its header asks for " + outOfRange + "; it was "
                    + "edited, or made by another program");
        }
        return new Kdf(type, salt, KdfParameters.argon2id((int) memoryKiB, (int) iterations, (int) parallelism));
    }

    private static SecretsFileException malformed(CredentialRef ref, Path file) {
        return new SecretsFileException(Reason.TAMPERED, ref, file,
                "its contents are malformed although its checksum matches");
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
