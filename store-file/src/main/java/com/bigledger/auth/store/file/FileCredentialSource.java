package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialAccessDeniedException;
import com.bigledger.auth.CredentialConfigurationException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The {@code file} store: named secrets in one local file, each encrypted with AES-256-GCM, read and written
 * through {@code file:NAME[#field]} references.
 *
 * <p>Why: a development machine, a command line or a single-host service needs somewhere safe to keep an API key
 * or a rotated refresh token when no AWS or Vault is at hand. The key is derived with Argon2id from a passphrase
 * (by default the {@code BIGLEDGER_VAULT_PASSPHRASE} variable, or any reference) or read from a raw 256-bit key
 * file. Each entry's authenticated data is its name and version, so entries cannot be swapped or have their
 * version changed unnoticed; restoring an older copy of the whole file cannot be detected by the file alone.
 *
 * <p>Writes are compare-and-set on the entry's version, serialised across threads and processes by an advisory
 * lock on a {@code .lock} file beside the vault, and crash-safe: the new file is written to a temporary file in the
 * same folder, forced to disk, then atomically renamed over the old one, so a reader or a crash sees the old file
 * or the new one, never a mix. Files are created with mode 0600; on POSIX systems a vault or key file that its
 * group or others may read is refused. A wrong key, a tampered byte, a truncated file and an unknown format each
 * raise their own {@link VaultFileException}; no error ever holds a secret.
 *
 * <p>Thread-safe; reads and writes block on file I/O, and the first read of a passphrase-protected file on key
 * derivation (the derived key is then kept for the file's salt and parameters).
 */
public final class FileCredentialSource implements WritableCredentialSource {

    /** The scheme this source serves. */
    public static final String SCHEME = "file";

    /** The variable naming the vault file. */
    public static final String FILE_VARIABLE = "BIGLEDGER_VAULT_FILE";

    /** The variable holding the passphrase, read when no other key is configured. */
    public static final String PASSPHRASE_VARIABLE = "BIGLEDGER_VAULT_PASSPHRASE";

    /** The variable holding a reference to the passphrase, such as {@code aws-sm:dev/vault#passphrase}. */
    public static final String PASSPHRASE_REF_VARIABLE = "BIGLEDGER_VAULT_PASSPHRASE_REF";

    /** The variable naming a raw 256-bit key file, used instead of a passphrase. */
    public static final String KEY_FILE_VARIABLE = "BIGLEDGER_VAULT_KEY_FILE";

    private static final int KEY_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final KeyMaterial keyMaterial;
    private final KdfParameters newFileParameters;
    private final ReentrantLock lock;
    private final Object keyCacheLock = new Object();
    private byte[] cachedKdf;
    private SecretKeySpec cachedKey;

    private FileCredentialSource(Builder builder) {
        this.file = builder.file.toAbsolutePath().normalize();
        this.keyMaterial = builder.keyMaterial();
        this.newFileParameters = builder.kdfParameters == null ? KdfParameters.RFC_9106_SECOND_RECOMMENDED
                : builder.kdfParameters;
        this.lock = LOCKS.computeIfAbsent(file, p -> new ReentrantLock());
    }

    /**
     * Creates a source configured from the process environment: the file named by {@value #FILE_VARIABLE} (by
     * default {@code $XDG_CONFIG_HOME/bigledger/vault.blgv} or {@code ~/.config/bigledger/vault.blgv}), the key
     * file named by {@value #KEY_FILE_VARIABLE} if set, else the passphrase at {@value #PASSPHRASE_REF_VARIABLE}
     * if set, else in {@value #PASSPHRASE_VARIABLE}. Nothing is read until the first load or write.
     *
     * @return a new source
     */
    public static FileCredentialSource create() {
        return builder().build();
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the vault file's path.
     *
     * @return the absolute path
     */
    public Path file() {
        return file;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public void check(CredentialRef ref) {
        checkName(ref.path());
    }

    /**
     * Loads an entry, or one field of it. Blocks on file I/O, and on key derivation the first time.
     *
     * @param ref {@code file:NAME[#field]}
     * @return the value and its version
     * @throws CredentialNotFoundException if there is no vault file or no such entry or field
     * @throws CredentialConfigurationException if the file needs a passphrase and none is set
     * @throws VaultFileException or a subtype if the file is unsafe, tampered, truncated, of an unknown format,
     *     or the key does not open it
     * @throws SourceUnavailableException if the file cannot be read
     */
    @Override
    public VersionedSecret load(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        Optional<VaultFormat.Contents> contents = read(ref);
        if (contents.isEmpty()) {
            throw new CredentialNotFoundException(ref, "there is no vault file at " + file);
        }
        VaultFormat.Entry entry = contents.get().entries.get(ref.path());
        if (entry == null) {
            throw new CredentialNotFoundException(ref, "the vault file " + file + " has no entry '" + ref.path()
                    + "'");
        }
        SecretKeySpec key = key(ref, contents.get());
        Secret value = decrypt(ref, key, ref.path(), entry);
        try {
            return VersionedSecret.of(SecretFields.extract(ref, value), Long.toString(entry.version));
        } finally {
            if (ref.field().isPresent()) {
                value.destroy();
            }
        }
    }

    /**
     * Writes an entry, or one field of its JSON object, if its version is still {@code expectedVersion}. Blocks on
     * the file lock (while another thread or process writes) and on file I/O. Creates the vault file, and its
     * folder with mode 0700, when missing.
     *
     * @param ref {@code file:NAME[#field]}
     * @param value the new value
     * @param expectedVersion the entry's version last read; empty to write whatever is there (or to create)
     * @return the new version, or a conflict with the current one (empty when the entry is gone)
     * @throws VaultFileException or a subtype if the existing file cannot be opened safely
     * @throws SourceUnavailableException if the file cannot be written
     */

    /** {@inheritDoc} Every write holds the vault file's lock (threads and processes) and compares the entry's version. */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        return true;
    }

    @Override
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        checkName(ref.path());
        return locked(ref, current -> {
            VaultFormat.Entry existing = current.entries.get(ref.path());
            if (expectedVersion.isPresent() && (existing == null
                    || !Long.toString(existing.version).equals(expectedVersion.get()))) {
                return new Change<>(null, WriteResult.conflict(existing == null ? null
                        : Long.toString(existing.version)));
            }
            SecretKeySpec key = key(ref, current);
            Secret stored = value;
            if (ref.field().isPresent()) {
                Optional<Secret> old = existing == null ? Optional.empty()
                        : Optional.of(decrypt(ref, key, ref.path(), existing));
                stored = SecretFields.merge(ref, old, value);
                old.ifPresent(Secret::destroy);
            }
            long generation = current.generation + 1;
            Map<String, VaultFormat.Entry> entries = new TreeMap<>(current.entries);
            entries.put(ref.path(), encrypt(ref, key, ref.path(), generation, stored));
            if (stored != value) {
                stored.destroy();
            }
            return new Change<>(withEntries(ref, key, current, generation, entries),
                    WriteResult.written(Long.toString(generation)));
        });
    }

    /**
     * Removes an entry. Blocks like {@link #write}.
     *
     * @param name the entry's name
     * @return {@code true} if it was there
     * @throws VaultFileException or a subtype if the file cannot be opened safely
     * @throws SourceUnavailableException if the file cannot be written
     */
    public boolean remove(String name) {
        CredentialRef ref = CredentialRef.of(SCHEME, checkName(name));
        if (!Files.exists(file)) {
            return false;
        }
        return locked(ref, current -> {
            if (!current.entries.containsKey(name)) {
                return new Change<>(null, false);
            }
            SecretKeySpec key = key(ref, current);
            Map<String, VaultFormat.Entry> entries = new TreeMap<>(current.entries);
            entries.remove(name);
            long generation = current.generation + 1;
            return new Change<>(withEntries(ref, key, current, generation, entries), true);
        });
    }

    /**
     * Returns the names of the entries, sorted, after checking that the key opens the file. Blocks on file I/O.
     *
     * @return the names; empty when there is no vault file
     * @throws VaultFileException or a subtype if the file cannot be opened safely
     * @throws SourceUnavailableException if the file cannot be read
     */
    public List<String> names() {
        CredentialRef ref = CredentialRef.of(SCHEME, "*");
        Optional<VaultFormat.Contents> contents = read(ref);
        if (contents.isEmpty()) {
            return List.of();
        }
        key(ref, contents.get());
        return List.copyOf(contents.get().entries.keySet());
    }

    @Override
    public String toString() {
        return "FileCredentialSource[" + file + ", " + keyMaterial.describe() + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private interface Mutation<T> {
        Change<T> apply(VaultFormat.Contents current);
    }

    private static final class Change<T> {
        final VaultFormat.Contents next;
        final T result;

        Change(VaultFormat.Contents next, T result) {
            this.next = next;
            this.result = result;
        }
    }

    private <T> T locked(CredentialRef ref, Mutation<T> mutation) {
        lock.lock();
        try {
            Path folder = file.getParent();
            createFolder(ref, folder);
            Path lockFile = folder.resolve(file.getFileName() + ".lock");
            try (FileChannel channel = openLockFile(lockFile)) {
                // Released when the channel closes; held across the read, so no other process writes between.
                FileLock held = channel.lock();
                deleteAbandonedTemporaryFiles(folder);
                VaultFormat.Contents current = read(ref).orElseGet(() -> emptyVault(ref));
                Change<T> change = mutation.apply(current);
                if (change.next != null) {
                    replace(ref, VaultFormat.encode(change.next));
                }
                held.release();
                return change.result;
            } catch (IOException e) {
                throw unavailable(ref, "cannot lock or write", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the temporary files of writers that crashed before their rename. Called with the lock held, when no
     * live writer has one.
     */
    private void deleteAbandonedTemporaryFiles(Path folder) {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> abandoned = Files.newDirectoryStream(folder, path -> {
            String name = path.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".tmp");
        })) {
            for (Path path : abandoned) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Only tidying: a leftover file holds ciphertext alone, readable by its owner only.
        }
    }

    private FileChannel openLockFile(Path lockFile) throws IOException {
        if (isPosix()) {
            try {
                Files.createFile(lockFile, ownerOnly());
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another writer made it first: it is the same lock.
            }
        }
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private void replace(CredentialRef ref, byte[] bytes) throws IOException {
        Path folder = file.getParent();
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        Path temporary = folder.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        boolean moved = false;
        try {
            if (isPosix()) {
                Files.createFile(temporary, ownerOnly());
            } else {
                Files.createFile(temporary);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Makes the rename itself durable; where a folder cannot be opened (Windows), the move is all there is. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported on this platform: the rename is atomic but may not yet be durable.
        }
    }

    private void createFolder(CredentialRef ref, Path folder) {
        if (Files.isDirectory(folder)) {
            return;
        }
        try {
            if (isPosix()) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(EnumSet.of(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE)));
            } else {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw unavailable(ref, "cannot create the folder " + folder, e);
        }
    }

    private VaultFormat.Contents emptyVault(CredentialRef ref) {
        VaultFormat.Kdf kdf;
        if (keyMaterial.keyFile().isPresent()) {
            kdf = new VaultFormat.Kdf(VaultFormat.KDF_RAW_KEY, new byte[0], null);
        } else {
            byte[] salt = new byte[VaultFormat.SALT_LENGTH];
            RANDOM.nextBytes(salt);
            kdf = new VaultFormat.Kdf(VaultFormat.KDF_ARGON2ID, salt, newFileParameters);
        }
        VaultFormat.Contents shell = new VaultFormat.Contents(kdf, 0, new byte[VaultFormat.NONCE_LENGTH],
                new byte[VaultFormat.TAG_LENGTH], Map.of());
        SecretKeySpec key = derive(ref, kdf);
        return withEntries(ref, key, shell, 0, Map.of());
    }

    private VaultFormat.Contents withEntries(CredentialRef ref, SecretKeySpec key, VaultFormat.Contents current,
            long generation, Map<String, VaultFormat.Entry> entries) {
        byte[] nonce = new byte[VaultFormat.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        byte[] tag = crypt(ref, Cipher.ENCRYPT_MODE, key, nonce, current.kdf.keyCheckAad(), new byte[0]);
        return new VaultFormat.Contents(current.kdf, generation, nonce, tag, entries);
    }

    private Optional<VaultFormat.Contents> read(CredentialRef ref) {
        byte[] bytes;
        try {
            checkPermissions(ref, file);
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new CredentialAccessDeniedException(ref, "the vault file " + file + " cannot be read by this "
                    + "user", null);
        } catch (IOException e) {
            throw unavailable(ref, "cannot read", e);
        }
        return Optional.of(VaultFormat.decode(bytes, ref, file));
    }

    private static void checkPermissions(CredentialRef ref, Path path) throws IOException {
        if (!isPosix()) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        Set<PosixFilePermission> extra = EnumSet.copyOf(permissions);
        extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!extra.isEmpty()) {
            throw new UnsafeVaultFilePermissionsException(ref, path, "its group or others may read or write it "
                    + "(" + PosixFilePermissions.toString(permissions) + "); only its owner may. Fix it with: "
                    + "chmod 600 '" + path + "'");
        }
    }

    private SecretKeySpec key(CredentialRef ref, VaultFormat.Contents contents) {
        SecretKeySpec key = derive(ref, contents.kdf);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(VaultFormat.TAG_LENGTH * 8,
                    contents.checkNonce));
            cipher.updateAAD(contents.kdf.keyCheckAad());
            cipher.doFinal(contents.checkTag);
            return key;
        } catch (AEADBadTagException e) {
            forget(contents.kdf);
            throw new WrongVaultKeyException(ref, file, keyMaterial.keyFile().isPresent()
                    ? "the key file does not open it" : "the passphrase does not open it");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    private SecretKeySpec derive(CredentialRef ref, VaultFormat.Kdf kdf) {
        byte[] encoded = kdf.encoded();
        synchronized (keyCacheLock) {
            if (cachedKey != null && Arrays.equals(cachedKdf, encoded)) {
                return cachedKey;
            }
        }
        byte[] raw = new byte[KEY_LENGTH];
        try {
            if (kdf.type == VaultFormat.KDF_RAW_KEY) {
                if (keyMaterial.keyFile().isEmpty()) {
                    throw new WrongVaultKeyException(ref, file, "it is protected by a key file, and a passphrase "
                            + "was given; set " + KEY_FILE_VARIABLE + " or FileCredentialSource.builder().keyFile()");
                }
                raw = readKeyFile(ref, keyMaterial.keyFile().get());
            } else {
                if (keyMaterial.keyFile().isPresent()) {
                    throw new WrongVaultKeyException(ref, file, "it is protected by a passphrase, and a key file "
                            + "was given");
                }
                Secret passphrase = keyMaterial.passphrase(ref);
                byte[] passphraseBytes = passphrase.revealBytes();
                try {
                    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                            .withSalt(kdf.salt)
                            .withMemoryAsKB(kdf.parameters.memoryKiB())
                            .withIterations(kdf.parameters.iterations())
                            .withParallelism(kdf.parameters.parallelism())
                            .build();
                    Argon2BytesGenerator generator = new Argon2BytesGenerator();
                    generator.init(parameters);
                    generator.generateBytes(passphraseBytes, raw);
                } finally {
                    Arrays.fill(passphraseBytes, (byte) 0);
                    passphrase.destroy();
                }
            }
            SecretKeySpec key = new SecretKeySpec(raw, "AES");
            synchronized (keyCacheLock) {
                cachedKdf = encoded;
                cachedKey = key;
            }
            return key;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private void forget(VaultFormat.Kdf kdf) {
        synchronized (keyCacheLock) {
            if (Arrays.equals(cachedKdf, kdf.encoded())) {
                cachedKdf = null;
                cachedKey = null;
            }
        }
    }

    private static byte[] readKeyFile(CredentialRef ref, Path keyFile) {
        byte[] bytes;
        try {
            checkPermissions(ref, keyFile);
            bytes = Files.readAllBytes(keyFile);
        } catch (NoSuchFileException e) {
            throw new CredentialNotFoundException(ref, "there is no key file at " + keyFile);
        } catch (IOException e) {
            throw unavailableStatic(ref, "cannot read the key file " + keyFile, e);
        }
        try {
            if (bytes.length == KEY_LENGTH) {
                return bytes.clone();
            }
            String text = new String(bytes, StandardCharsets.US_ASCII).strip();
            if (text.length() == KEY_LENGTH * 2 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(text);
            }
            throw new InvalidKeyFileException(ref, keyFile, "it must hold exactly 32 bytes, or 64 hex digits; it "
                    + "holds " + bytes.length + " bytes");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static VaultFormat.Entry encrypt(CredentialRef ref, SecretKeySpec key, String name, long version,
            Secret value) {
        byte[] nonce = new byte[VaultFormat.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        byte[] plain = value.revealBytes();
        try {
            return new VaultFormat.Entry(version, nonce, crypt(ref, Cipher.ENCRYPT_MODE, key, nonce,
                    VaultFormat.entryAad(name, version), plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private Secret decrypt(CredentialRef ref, SecretKeySpec key, String name, VaultFormat.Entry entry) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(VaultFormat.TAG_LENGTH * 8, entry.nonce));
            cipher.updateAAD(VaultFormat.entryAad(name, entry.version));
            plain = cipher.doFinal(entry.ciphertext);
        } catch (AEADBadTagException e) {
            throw new VaultFileTamperedException(ref, file, "entry '" + name + "' fails authentication: it was "
                    + "changed, or moved from another name or version");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
        try {
            return Secret.ofBytes(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] crypt(CredentialRef ref, int mode, SecretKeySpec key, byte[] nonce, byte[] aad,
            byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(VaultFormat.TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform (" + ref + ")", e);
        }
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > VaultFormat.MAX_NAME_BYTES
                || name.chars().anyMatch(Character::isISOControl) || name.equals("*")) {
            throw new IllegalArgumentException("Entry name '" + name.replaceAll("\\p{Cntrl}", "?") + "' is not "
                    + "valid: 1 to " + VaultFormat.MAX_NAME_BYTES + " bytes of UTF-8, no control characters, "
                    + "not '*'");
        }
        return name;
    }

    private SourceUnavailableException unavailable(CredentialRef ref, String what, IOException e) {
        return unavailableStatic(ref, what + " the vault file " + file, e);
    }

    private static SourceUnavailableException unavailableStatic(CredentialRef ref, String what, IOException e) {
        // The I/O exception's message names a path at most, never file contents.
        return new SourceUnavailableException(ref, what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), null);
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Where the key comes from: a key file, a passphrase value, or a passphrase at a reference. */
    private static final class KeyMaterial {
        private final Path keyFile;
        private final Secret passphrase;
        private final CredentialRef passphraseRef;
        private final Map<String, String> environment;
        private final CredentialVault vault;

        KeyMaterial(Path keyFile, Secret passphrase, CredentialRef passphraseRef, Map<String, String> environment,
                CredentialVault vault) {
            this.keyFile = keyFile;
            this.passphrase = passphrase;
            this.passphraseRef = passphraseRef;
            this.environment = environment;
            this.vault = vault;
        }

        Optional<Path> keyFile() {
            return Optional.ofNullable(keyFile);
        }

        Secret passphrase(CredentialRef ref) {
            if (passphrase != null) {
                return Secret.of(passphrase.reveal());
            }
            if (passphraseRef.scheme().equals("env") && vault == null) {
                String value = environment.get(passphraseRef.path());
                if (value == null || value.isEmpty()) {
                    throw new CredentialConfigurationException(ref, "no passphrase for the vault: " + passphraseRef.path()
                            + " is not set (or set " + KEY_FILE_VARIABLE + " or " + PASSPHRASE_REF_VARIABLE + ")");
                }
                return SecretFields.extract(passphraseRef, Secret.of(value));
            }
            if (vault != null) {
                return vault.resolve(passphraseRef).secret();
            }
            try (CredentialVault discovered = CredentialVault.builder().build()) {
                return discovered.resolve(passphraseRef).secret();
            }
        }

        String describe() {
            if (keyFile != null) {
                return "key file " + keyFile;
            }
            return passphrase != null ? "passphrase given" : "passphrase at " + passphraseRef;
        }
    }

    /**
     * Configures a {@link FileCredentialSource}. Each option may be set once; the key options exclude each other.
     * Not thread-safe.
     */
    public static final class Builder {
        private Map<String, String> environment;
        private Path file;
        private Path keyFile;
        private Secret passphrase;
        private CredentialRef passphraseRef;
        private CredentialVault passphraseVault;
        private KdfParameters kdfParameters;
        private boolean keySet;

        private Builder() {
        }

        /**
         * Sets the environment the defaults are read from. By default, the process environment.
         *
         * @param environment the variables
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            once(this.environment, "environment");
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /**
         * Sets the vault file. By default, {@value #FILE_VARIABLE}, else {@code bigledger/vault.blgv} under
         * {@code $XDG_CONFIG_HOME} or {@code ~/.config}.
         *
         * @param file the path; its folder is created on the first write
         * @return this builder
         */
        public Builder file(Path file) {
            once(this.file, "file");
            this.file = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Uses a raw 256-bit key file (32 bytes, or 64 hex digits) instead of a passphrase. By default, the file
         * named by {@value #KEY_FILE_VARIABLE}, if set.
         *
         * @param keyFile the key file, which must be readable by its owner only on POSIX systems
         * @return this builder
         */
        public Builder keyFile(Path keyFile) {
            key("keyFile(" + keyFile + ")");
            this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
            return this;
        }

        /**
         * Uses a passphrase given as a value, for programs that obtained it themselves. By default, the
         * passphrase is read from {@value #PASSPHRASE_VARIABLE}.
         *
         * @param passphrase the passphrase; the builder keeps its own copy
         * @return this builder
         */
        public Builder passphrase(Secret passphrase) {
            key("passphrase(Secret)");
            this.passphrase = Secret.of(Objects.requireNonNull(passphrase, "passphrase").reveal());
            return this;
        }

        /**
         * Reads the passphrase at a reference, resolved through the stores on the class path when it is first
         * needed. By default, {@value #PASSPHRASE_REF_VARIABLE} if set, else {@code env:}{@value
         * #PASSPHRASE_VARIABLE}.
         *
         * @param ref the passphrase's reference, not of the {@code file} scheme
         * @return this builder
         */
        public Builder passphrase(CredentialRef ref) {
            key("passphrase(" + ref + ")");
            this.passphraseRef = checkRef(ref);
            return this;
        }

        /**
         * Reads the passphrase at a reference through a given vault.
         *
         * @param vault the vault that resolves it
         * @param ref the passphrase's reference, not of the {@code file} scheme
         * @return this builder
         */
        public Builder passphrase(CredentialVault vault, CredentialRef ref) {
            key("passphrase(vault, " + ref + ")");
            this.passphraseVault = Objects.requireNonNull(vault, "vault");
            this.passphraseRef = checkRef(ref);
            return this;
        }

        /**
         * Sets the Argon2id cost of files this source creates; existing files keep the cost in their header. By
         * default, {@link KdfParameters#RFC_9106_SECOND_RECOMMENDED}.
         *
         * @param parameters the parameters
         * @return this builder
         */
        public Builder kdfParameters(KdfParameters parameters) {
            once(this.kdfParameters, "kdfParameters");
            this.kdfParameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /**
         * Builds the source. Nothing is read until the first load or write.
         *
         * @return the source
         * @throws IllegalStateException if no file can be chosen (no home folder)
         */
        public FileCredentialSource build() {
            if (environment == null) {
                environment = System.getenv();
            }
            if (file == null) {
                file = defaultFile(environment);
            }
            return new FileCredentialSource(this);
        }

        KeyMaterial keyMaterial() {
            if (!keySet) {
                String keyFileVariable = environment.get(KEY_FILE_VARIABLE);
                String refVariable = environment.get(PASSPHRASE_REF_VARIABLE);
                if (keyFileVariable != null && !keyFileVariable.isEmpty()) {
                    keyFile = Path.of(keyFileVariable);
                } else if (refVariable != null && !refVariable.isEmpty()) {
                    passphraseRef = checkRef(CredentialRef.parse(refVariable));
                } else {
                    passphraseRef = CredentialRef.of("env", PASSPHRASE_VARIABLE);
                }
            }
            return new KeyMaterial(keyFile, passphrase, passphraseRef, environment, passphraseVault);
        }

        static Path defaultFile(Map<String, String> environment) {
            String named = environment.get(FILE_VARIABLE);
            if (named != null && !named.isEmpty()) {
                return Path.of(named);
            }
            String xdg = environment.get("XDG_CONFIG_HOME");
            if (xdg != null && Path.of(xdg).isAbsolute()) {
                return Path.of(xdg, "bigledger", "vault.blgv");
            }
            String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
            if (home == null || home.isEmpty()) {
                throw new IllegalStateException("No vault file: set " + FILE_VARIABLE + " (there is no home folder)");
            }
            return Path.of(home, ".config", "bigledger", "vault.blgv");
        }

        private static CredentialRef checkRef(CredentialRef ref) {
            Objects.requireNonNull(ref, "ref");
            if (ref.scheme().equals(SCHEME)) {
                throw new IllegalArgumentException("The vault's passphrase cannot be kept in the vault itself: " + ref);
            }
            return ref;
        }

        private void key(String option) {
            if (keySet) {
                throw new IllegalStateException("The vault key is already set; cannot also use " + option);
            }
            keySet = true;
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " is already set");
            }
        }
    }
}
