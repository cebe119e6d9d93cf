package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.store.file.SecretsFileException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * The entries of one secrets file: read (permissions checked, then the frame, then the file MAC or key check, before
 * any entry is decrypted), and changed under the {@link SecretsFileLock} by a compare-and-set on the entry's version,
 * written back by an {@linkplain AtomicFileReplace atomic replace}. A file of format 1 is migrated to the current
 * format on its first write; once this object has read the current format, a format 1 file is refused as an older
 * copy put back.
 *
 * <p>Thread-safe: reads need no lock (a reader sees the old file or the new one), writes hold the file's lock,
 * keys come from the thread-safe {@link KeyCache}, and the one flag it sets is volatile. Blocks on file I/O and on
 * the lock.
 */
final class SecretsFile {

    private final Path file;
    private final KeyMaterial keyMaterial;
    private final KdfParameters newFileParameters;
    private final KeyCache keyCache;
    private final SecretsFileLock lock;
    /** Set once a file of the current format was read: a format 1 file after it is an older copy put back. */
    private volatile boolean sawCurrentFormat;

    SecretsFile(Path file, KeyMaterial keyMaterial, KdfParameters newFileParameters, boolean allowWeakKdf) {
        this.file = file;
        this.keyMaterial = keyMaterial;
        this.newFileParameters = newFileParameters;
        this.keyCache = new KeyCache((ref, kdf) -> keyMaterial.masterKey(ref, file, kdf, allowWeakKdf));
        this.lock = new SecretsFileLock(file);
    }

    KeyCache keyCache() {
        return keyCache;
    }

    /** An entry's value, or its field's, with the entry's version. */
    VersionedSecret load(CredentialRef ref) {
        Optional<SecretsFileFormat.Contents> contents = read(ref);
        if (contents.isEmpty()) {
            throw new CredentialNotFoundException(ref, "there is no secrets file at " + file);
        }
        SecretsFileKeys keys = keys(ref, contents.get());
        SecretsFileFormat.Entry entry = contents.get().entries.get(ref.path());
        if (entry == null) {
            throw new CredentialNotFoundException(ref, "the secrets file " + file + " has no entry '" + ref.path()
                    + "'");
        }
        Secret value = SecretsFileCipher.decrypt(ref, file, keys.entryKey(contents.get().formatVersion), ref.path(),
                entry);
        try {
            return VersionedSecret.of(SecretFields.extract(ref, value), Long.toString(entry.version));
        } finally {
            if (ref.field().isPresent()) {
                value.destroy();
            }
        }
    }

    /** Writes an entry, or a field of its JSON object, if its version is still the expected one. */
    WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        return locked(ref, current -> {
            SecretsFileKeys keys = keys(ref, current);
            SecretsFileFormat.Entry existing = current.entries.get(ref.path());
            if (expectedVersion.isPresent() && (existing == null
                    || !Long.toString(existing.version).equals(expectedVersion.get()))) {
                return new Change<>(null, WriteResult.conflict(existing == null ? null
                        : Long.toString(existing.version)));
            }
            Map<String, SecretsFileFormat.Entry> entries = currentFormatEntries(ref, keys, current);
            SecretKey key = keys.entryKey(SecretsFileFormat.VERSION);
            Secret stored = value;
            if (ref.field().isPresent()) {
                Optional<Secret> old = existing == null ? Optional.empty()
                        : Optional.of(SecretsFileCipher.decrypt(ref, file, key, ref.path(), entries.get(ref.path())));
                stored = SecretFields.merge(ref, old, value);
                old.ifPresent(Secret::destroy);
            }
            long generation = current.generation + 1;
            entries.put(ref.path(), SecretsFileCipher.encrypt(ref, key, ref.path(), generation, stored));
            if (stored != value) {
                stored.destroy();
            }
            return new Change<>(SecretsFileCipher.withEntries(ref, keys, current.kdf, generation, entries),
                    WriteResult.written(Long.toString(generation)));
        });
    }

    /** Removes an entry; {@code false} if it was not there. */
    boolean remove(CredentialRef ref, String name) {
        if (!Files.exists(file)) {
            return false;
        }
        return locked(ref, current -> {
            SecretsFileKeys keys = keys(ref, current);
            if (!current.entries.containsKey(name)) {
                return new Change<>(null, false);
            }
            Map<String, SecretsFileFormat.Entry> entries = currentFormatEntries(ref, keys, current);
            entries.remove(name);
            long generation = current.generation + 1;
            return new Change<>(SecretsFileCipher.withEntries(ref, keys, current.kdf, generation, entries), true);
        });
    }

    /** The entries' names, sorted, after checking that the key opens the file; empty when there is no file. */
    List<String> names(CredentialRef ref) {
        Optional<SecretsFileFormat.Contents> contents = read(ref);
        if (contents.isEmpty()) {
            return List.of();
        }
        keys(ref, contents.get());
        return List.copyOf(contents.get().entries.keySet());
    }

    /** A change of the file: the bytes to write ({@code null} for none) and the operation's result. */
    private static final class Change<T> {
        final byte[] next;
        final T result;

        Change(byte[] next, T result) {
            this.next = next;
            this.result = result;
        }
    }

    private interface Mutation<T> {
        Change<T> apply(SecretsFileFormat.Contents current);
    }

    private <T> T locked(CredentialRef ref, Mutation<T> mutation) {
        return lock.run(ref, () -> {
            SecretsFileFormat.Contents current = read(ref).orElseGet(() -> emptyFile(ref));
            Change<T> change = mutation.apply(current);
            if (change.next != null) {
                AtomicFileReplace.replace(file, change.next);
            }
            return change.result;
        });
    }

    private SecretsFileFormat.Contents emptyFile(CredentialRef ref) {
        SecretsFileFormat.Kdf kdf;
        if (keyMaterial.keyFile().isPresent()) {
            kdf = new SecretsFileFormat.Kdf(SecretsFileFormat.KDF_RAW_KEY, new byte[0], null);
        } else {
            kdf = new SecretsFileFormat.Kdf(SecretsFileFormat.KDF_ARGON2ID, SecretsFileCipher.newSalt(),
                    newFileParameters);
        }
        return SecretsFileCipher.keyChecked(ref, keyCache.keys(ref, kdf), kdf, 0, Map.of());
    }

    /**
     * The entries as the current format keeps them: as they are, or, for a file of format 1, each decrypted with the
     * master key and encrypted again with the entry key, keeping its version (the migration on the first write).
     */
    private Map<String, SecretsFileFormat.Entry> currentFormatEntries(CredentialRef ref, SecretsFileKeys keys,
            SecretsFileFormat.Contents current) {
        Map<String, SecretsFileFormat.Entry> entries = new TreeMap<>(current.entries);
        if (current.formatVersion == SecretsFileFormat.VERSION) {
            return entries;
        }
        SecretKey oldKey = keys.entryKey(current.formatVersion);
        SecretKey newKey = keys.entryKey(SecretsFileFormat.VERSION);
        for (Map.Entry<String, SecretsFileFormat.Entry> e : current.entries.entrySet()) {
            Secret value = SecretsFileCipher.decrypt(ref, file, oldKey, e.getKey(), e.getValue());
            try {
                entries.put(e.getKey(),
                        SecretsFileCipher.encrypt(ref, newKey, e.getKey(), e.getValue().version, value));
            } finally {
                value.destroy();
            }
        }
        return entries;
    }

    private Optional<SecretsFileFormat.Contents> read(CredentialRef ref) {
        byte[] bytes;
        try {
            FilePermissions.check(ref, file);
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new CredentialException(Kind.ACCESS_DENIED, ref, "the secrets file " + file + " cannot be read by "
                    + "this user", null);
        } catch (IOException e) {
            throw unavailable(ref, "cannot read the secrets file " + file, e);
        }
        return Optional.of(SecretsFileFormat.decode(bytes, ref, file));
    }

    /**
     * The secrets file's keys, after checking, before any entry is decrypted: for a file of the current format, that
     * its MAC matches (which only the right key can make, so the key check is read only to tell a wrong key from
     * tampering when it does not); for a format 1 file, the key check, and that it is not an older copy put back
     * after this source read the current format.
     */
    private SecretsFileKeys keys(CredentialRef ref, SecretsFileFormat.Contents contents) {
        if (contents.formatVersion != SecretsFileFormat.VERSION && sawCurrentFormat) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file,
                    "it is in format " + contents.formatVersion + ", but "
                    + "this source read it in format " + SecretsFileFormat.VERSION
                    + " before: an older copy was put back");
        }
        SecretsFileKeys keys = keyCache.keys(ref, contents.kdf);
        if (contents.bytes != null && keys.macMatches(contents.bytes, 0, contents.macOffset, contents.mac)) {
            sawCurrentFormat = true;
            return keys;
        }
        if (!SecretsFileCipher.keyCheckOpens(keys, contents)) {
            keyCache.forget(contents.kdf);
            throw new SecretsFileException(Reason.WRONG_KEY, ref, file, keyMaterial.keyFile().isPresent()
                    ? "the key file does not open it" : "the passphrase does not open it");
        }
        if (contents.bytes != null) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file, "it fails authentication: an entry was changed, "
                    + "removed, added or put back from an older copy");
        }
        return keys;
    }

    /** A retryable failure naming what could not be done; the I/O exception's message names a path at most. */
    static SourceUnavailableException unavailable(CredentialRef ref, String what, IOException e) {
        return new SourceUnavailableException(ref, what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), null);
    }
}
