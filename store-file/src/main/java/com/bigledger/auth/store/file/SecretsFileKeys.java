package com.bigledger.auth.store.file;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The keys of one secrets file, derived once from its master key (the Argon2id output, or the raw key file) and kept
 * for as long as the source keeps the master key: the entry key (AES-256-GCM, for the key check and the entries of
 * format 2), the file MAC key (HMAC-SHA256 over the whole file) and the master key itself, which format 1 used
 * directly.
 *
 * <p>Why derived once: HKDF and, above all, Argon2id are the expensive part of a read; a source derives on the first
 * read of a file's salt and parameters and reuses them until {@link #destroy()}. Why separate keys: one key is never
 * used by two algorithms. Thread-safe: the keys are only read after construction; {@link #destroy()} wipes them, and
 * a source stops handing them out before it calls it.
 */
final class SecretsFileKeys {

    private static final byte[] ENTRY_INFO = "BLGV 2 entry key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC_INFO = "BLGV 2 file MAC key".getBytes(StandardCharsets.US_ASCII);
    static final int MAC_LENGTH = 32;

    private final WipeableKey master;
    private final WipeableKey entry;
    private final WipeableKey mac;

    private SecretsFileKeys(byte[] master) {
        this.master = new WipeableKey(master.clone(), "AES");
        this.entry = new WipeableKey(hkdf(master, ENTRY_INFO), "AES");
        this.mac = new WipeableKey(hkdf(master, MAC_INFO), "HmacSHA256");
    }

    /**
     * Derives the subkeys of a master key.
     *
     * @param master the 32-byte master key; copied, and the caller wipes its own array
     */
    static SecretsFileKeys of(byte[] master) {
        return new SecretsFileKeys(master);
    }

    /** The AES key for the key check and the entries of a file of the given format version. */
    SecretKey entryKey(int formatVersion) {
        return formatVersion == 1 ? master : entry;
    }

    /** HMAC-SHA256 of bytes, under the file MAC key. */
    byte[] mac(byte[] bytes, int offset, int length) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(mac);
            hmac.update(bytes, offset, length);
            return hmac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /** Compares a file's MAC with the one computed over its bytes, in constant time. */
    boolean macMatches(byte[] bytes, int offset, int length, byte[] expected) {
        return MessageDigest.isEqual(mac(bytes, offset, length), expected);
    }

    /** Wipes every key; later use fails. */
    void destroy() {
        master.destroy();
        entry.destroy();
        mac.destroy();
    }

    boolean isDestroyed() {
        return master.isDestroyed() && entry.isDestroyed() && mac.isDestroyed();
    }

    /**
     * HKDF-SHA256 (RFC 5869) with no salt (HashLen zero bytes) and 32 bytes of output: one extract and one expand
     * block, on the JDK's HMAC. Java 17 has no HKDF of its own ({@code javax.crypto.KDF} came with Java 24); the JDK's
     * HMAC is already in use for the file MAC, where Bouncy Castle's HKDF would load and initialize its registry (and
     * with it {@code java.util.logging}) on every first read of a file with a key file.
     */
    static byte[] hkdf(byte[] master, byte[] info) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new WipeableKey(new byte[MAC_LENGTH], "HmacSHA256"));
            WipeableKey prk = new WipeableKey(hmac.doFinal(master), "HmacSHA256");
            try {
                hmac.init(prk);
                hmac.update(info);
                hmac.update((byte) 1);
                return hmac.doFinal();
            } finally {
                prk.destroy();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /**
     * A raw key that can be wiped, unlike {@link javax.crypto.spec.SecretKeySpec} (whose {@code destroy()} throws).
     * The JDK's providers take a copy from {@link #getEncoded()} at {@code init}.
     */
    private static final class WipeableKey implements SecretKey {

        private static final long serialVersionUID = 1L;

        private final transient byte[] key;
        private final String algorithm;
        private volatile boolean destroyed;

        WipeableKey(byte[] key, String algorithm) {
            this.key = key;
            this.algorithm = algorithm;
        }

        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            if (destroyed) {
                throw new IllegalStateException("The secrets file's key was wiped when its source was closed");
            }
            return key.clone();
        }

        @Override
        public void destroy() {
            destroyed = true;
            Arrays.fill(key, (byte) 0);
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "SecretsFileKey[" + algorithm + (destroyed ? ", destroyed" : "") + "]";
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.NotSerializableException {
            throw new java.io.NotSerializableException("A secrets file's key is never serialized");
        }
    }
}
