package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.BuilderOptions;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@code file} store: named secrets in one local, encrypted secrets file, each encrypted with AES-256-GCM, read
 * and written through {@code file:NAME[#field]} references.
 *
 * <p>The key is derived with Argon2id from a passphrase (by default the {@value #PASSPHRASE_VARIABLE} variable, or
 * any reference) or read from a raw 256-bit key file. Each entry's authenticated data is its name and version,
 * and the whole file carries a MAC over its generation and entry list, so a changed, swapped, deleted, added or
 * reordered entry, or one put back from an older copy, is a {@link SecretsFileException} (TAMPERED), checked before any
 * entry is decrypted; restoring an older copy of the whole file cannot be detected by the file alone. Files of
 * format 1 (no file MAC) are still read, and rewritten in the current format on the next write; once this source
 * has read the current format, a format 1 file is refused. The format and why it is so:
 * {@code docs/adr/0005-file-store-format.md}.
 *
 * <p>Writes are compare-and-set on the entry's version, serialised across threads and processes by an advisory
 * lock on a {@code .lock} file beside the secrets file, and crash-safe: the new file is written to a temporary file
 * in the same folder, forced to disk, then atomically renamed over the old one, so a reader or a crash sees the old file
 * or the new one, never a mix. Files are created with mode 0600; on POSIX systems a secrets file or key file that its
 * group or others may read is refused. A wrong key, a tampered byte, a truncated file and an unknown format each
 * raise their own {@link SecretsFileException}; no error ever holds a secret.
 *
 * <p>The Argon2id cost a file's header asks for is capped (see {@link KdfParameters#argon2id}), and a cost below
 * RFC 9106's floor is refused unless {@link Builder#allowWeakKdf(boolean)} says otherwise, with an
 * {@link SecretsFileException} (UNSAFE_KDF_PARAMETERS) before any derivation. The passphrase is handled as bytes,
 * never as a {@code String}, and wiped after use.
 *
 * <p>The variables were named {@code BIGLEDGER_VAULT_FILE}, {@code BIGLEDGER_VAULT_PASSPHRASE} and so on before;
 * the old names are still read, with a deprecation warning, for one release (see {@link EnvironmentSettings}).
 *
 * <p>Thread-safe; reads and writes block on file I/O, and the first read of a passphrase-protected file on key
 * derivation: the keys are derived once per master key (the file's salt and parameters) and kept until
 * {@link #close()}, which wipes them and the passphrase; every use after it fails.
 */
public final class FileCredentialSource implements WritableCredentialSource {

    /** The scheme this source serves. */
    public static final String SCHEME = "file";

    /** The variable naming the secrets file; {@code BIGLEDGER_VAULT_FILE} before. */
    public static final String FILE_VARIABLE = "BIGLEDGER_SECRETS_FILE";

    /**
     * The variable holding the passphrase, read when no other key is configured; {@code BIGLEDGER_VAULT_PASSPHRASE}
     * before.
     */
    public static final String PASSPHRASE_VARIABLE = "BIGLEDGER_SECRETS_PASSPHRASE";

    /**
     * The variable holding a reference to the passphrase, such as {@code aws-sm:dev/bigledger#passphrase};
     * {@code BIGLEDGER_VAULT_PASSPHRASE_REF} before.
     */
    public static final String PASSPHRASE_REF_VARIABLE = PASSPHRASE_VARIABLE + EnvironmentSettings.REF_SUFFIX;

    /**
     * The variable naming a raw 256-bit key file, used instead of a passphrase; {@code BIGLEDGER_VAULT_KEY_FILE}
     * before.
     */
    public static final String KEY_FILE_VARIABLE = "BIGLEDGER_SECRETS_KEY_FILE";

    /**
     * The variable that, set to {@code true}, opens and creates files with an Argon2id cost below RFC 9106's floor;
     * for tests only. {@code BIGLEDGER_VAULT_ALLOW_WEAK_KDF} before.
     */
    public static final String ALLOW_WEAK_KDF_VARIABLE = "BIGLEDGER_SECRETS_ALLOW_WEAK_KDF";

    private final Path file;
    private final KeyMaterial keyMaterial;
    private final SecretsFile secretsFile;
    /** Read-held by every operation, write-held by {@link #close()}: keys are never wiped under a running one. */
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private boolean closed;

    private FileCredentialSource(Builder builder, boolean allowWeakKdf) {
        this.file = builder.file.toAbsolutePath().normalize();
        this.keyMaterial = builder.keyMaterial();
        this.secretsFile = new SecretsFile(file, keyMaterial, builder.kdfParameters == null
                ? KdfParameters.RFC_9106_SECOND_RECOMMENDED : builder.kdfParameters, allowWeakKdf);
    }

    /**
     * Creates a source configured from the process environment: the secrets file named by {@value #FILE_VARIABLE}
     * (by default {@code $XDG_CONFIG_HOME/bigledger/vault.blgv} or {@code ~/.config/bigledger/vault.blgv}), the key
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
     * Returns the secrets file's path.
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
        open(() -> checkName(ref.path()));
    }

    /**
     * Loads an entry, or one field of it. Blocks on file I/O, and on key derivation the first time.
     *
     * @param ref {@code file:NAME[#field]}
     * @return the value and its version
     * @throws CredentialNotFoundException if there is no secrets file or no such entry or field
     * @throws CredentialException of kind {@link CredentialException.Kind#CONFIGURATION} if the file needs a
     *     passphrase and none is set
     * @throws SecretsFileException if the file is unsafe, tampered, truncated, of an unknown format,
     *     asks for a key derivation out of range, or the key does not open it
     * @throws SourceUnavailableException if the file cannot be read
     * @throws IllegalStateException if this source was closed
     */
    @Override
    public VersionedSecret load(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        return open(() -> secretsFile.load(ref));
    }

    /**
     * {@inheritDoc} Every write holds the secrets file's lock (threads and processes) and compares the entry's
     * version.
     */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        return true;
    }

    /**
     * Writes an entry, or one field of its JSON object, if its version is still {@code expectedVersion}. Blocks on
     * the file lock (while another thread or process writes) and on file I/O. Creates the secrets file, and its
     * folder with mode 0700, when missing.
     *
     * @param ref {@code file:NAME[#field]}
     * @param value the new value
     * @param expectedVersion the entry's version last read; empty to write whatever is there (or to create)
     * @return the new version, or a conflict with the current one (empty when the entry is gone)
     * @throws SecretsFileException or a subtype if the existing file cannot be opened safely
     * @throws SourceUnavailableException if the file cannot be written
     * @throws IllegalStateException if this source was closed
     */
    @Override
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        checkName(ref.path());
        return open(() -> secretsFile.write(ref, value, expectedVersion));
    }

    /**
     * Removes an entry. Blocks like {@link #write}.
     *
     * @param name the entry's name
     * @return {@code true} if it was there
     * @throws SecretsFileException or a subtype if the file cannot be opened safely
     * @throws SourceUnavailableException if the file cannot be written
     * @throws IllegalStateException if this source was closed
     */
    public boolean remove(String name) {
        CredentialRef ref = CredentialRef.of(SCHEME, checkName(name));
        return open(() -> secretsFile.remove(ref, name));
    }

    /**
     * Returns the names of the entries, sorted, after checking that the key opens the file. Blocks on file I/O.
     *
     * @return the names; empty when there is no secrets file
     * @throws SecretsFileException or a subtype if the file cannot be opened safely
     * @throws SourceUnavailableException if the file cannot be read
     * @throws IllegalStateException if this source was closed
     */
    public List<String> names() {
        CredentialRef ref = CredentialRef.of(SCHEME, "*");
        return open(() -> secretsFile.names(ref));
    }

    /**
     * Wipes the keys derived for the secrets file and this source's copy of the passphrase. Waits for operations in
     * progress; every later use fails with {@link IllegalStateException}. Calling it again does nothing.
     */
    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            secretsFile.keyCache().destroy();
            keyMaterial.destroy();
        } finally {
            closeLock.writeLock().unlock();
        }
    }

    /** How many times this source derived the file's keys from a master key; for tests of the key cache. */
    long keyDerivations() {
        return secretsFile.keyCache().derivations();
    }

    /** The keys now cached, if any; for tests that they are wiped on close. */
    Optional<SecretsFileKeys> cachedKeys() {
        return secretsFile.keyCache().cached();
    }

    @Override
    public String toString() {
        return "FileCredentialSource[" + file + ", " + keyMaterial.describe() + "]";
    }

    /** Runs an operation unless this source was closed; {@link #close()} waits for it. */
    private <T> T open(Supplier<T> operation) {
        closeLock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The file credential source for " + file + " is closed; its keys "
                        + "were wiped");
            }
            return operation.get();
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > SecretsFileFormat.MAX_NAME_BYTES
                || name.chars().anyMatch(Character::isISOControl) || name.equals("*")) {
            throw new IllegalArgumentException("Entry name '" + name.replaceAll("\\p{Cntrl}", "?") + "' is not "
                    + "valid: 1 to " + SecretsFileFormat.MAX_NAME_BYTES + " bytes of UTF-8, no control characters, "
                    + "not '*'");
        }
        return name;
    }

    /**
     * Configures a {@link FileCredentialSource}. Each option may be set once; the key options exclude each other.
     * Not thread-safe.
     */
    public static final class Builder {
        private EnvironmentSettings environment;
        private Path file;
        private Path keyFile;
        private Secret passphrase;
        private CredentialRef passphraseRef;
        private CredentialVault passphraseVault;
        private KdfParameters kdfParameters;
        private Boolean allowWeakKdf;
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
            return environment(EnvironmentSettings.of(environment));
        }

        /**
         * Sets the environment the defaults are read from, with where its deprecation warnings go (such as a
         * command line's standard error). By default, the process environment, with warnings logged.
         *
         * @param environment the settings
         * @return this builder
         */
        public Builder environment(EnvironmentSettings environment) {
            once(this.environment, "environment");
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * Sets the secrets file. By default, {@value #FILE_VARIABLE}, else {@code bigledger/vault.blgv} under
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
            Objects.requireNonNull(passphrase, "passphrase");
            key("passphrase(Secret)");
            this.passphrase = BuilderOptions.copy(passphrase);
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
         * Reads the passphrase at a reference through a given {@link CredentialVault}.
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
         * For tests only: creates files with, and opens files asking for, an Argon2id cost below RFC 9106's floor
         * (64 MiB, and memory times passes at least 64 MiB times 3), such as {@code KdfParameters.argon2id(64, 1,
         * 1)}, so that tests do not spend seconds per file. By default, {@code false}, unless
         * {@value #ALLOW_WEAK_KDF_VARIABLE} is {@code true} (for child processes of tests). The limits every file
         * must keep within (see {@link KdfParameters#argon2id}) apply either way.
         *
         * @param allow whether weak parameters are accepted
         * @return this builder
         */
        public Builder allowWeakKdf(boolean allow) {
            once(this.allowWeakKdf, "allowWeakKdf");
            this.allowWeakKdf = allow;
            return this;
        }

        /**
         * Builds the source. Nothing is read until the first load or write.
         *
         * @return the source
         * @throws IllegalStateException if no file can be chosen (no home folder)
         * @throws IllegalArgumentException if {@link #kdfParameters} are below RFC 9106's floor without
         *     {@link #allowWeakKdf(boolean)}
         */
        public FileCredentialSource build() {
            if (environment == null) {
                environment = EnvironmentSettings.system();
            }
            environment = SecretsFileSettings.withOldNames(environment);
            if (file == null) {
                file = defaultFile(environment);
            }
            boolean weak = allowWeakKdf != null ? allowWeakKdf : environment.isTrue(ALLOW_WEAK_KDF_VARIABLE);
            if (kdfParameters != null && !kdfParameters.meetsRfc9106Floor() && !weak) {
                throw new IllegalArgumentException("kdfParameters " + kdfParameters + " are below RFC 9106's floor "
                        + "(64 MiB, and memory times passes at least 64 MiB times 3); use allowWeakKdf(true), in "
                        + "tests only");
            }
            return new FileCredentialSource(this, weak);
        }

        KeyMaterial keyMaterial() {
            if (!keySet) {
                Optional<Path> keyFileVariable = environment.path(KEY_FILE_VARIABLE);
                Optional<CredentialRef> refVariable = keyFileVariable.isPresent() ? Optional.empty()
                        : environment.reference(PASSPHRASE_REF_VARIABLE);
                if (keyFileVariable.isPresent()) {
                    keyFile = keyFileVariable.get();
                } else if (refVariable.isPresent()) {
                    passphraseRef = checkRef(refVariable.get());
                } else {
                    passphraseRef = CredentialRef.of("env", PASSPHRASE_VARIABLE);
                }
            }
            // Each source its own copy, so that closing one does not wipe another's.
            return new KeyMaterial(keyFile, passphrase == null ? null : BuilderOptions.copy(passphrase), passphraseRef,
                    environment, passphraseVault);
        }

        /** The secrets file used when none is set: see {@link SecretsFileSettings#defaultFile}. */
        static Path defaultFile(EnvironmentSettings environment) {
            return SecretsFileSettings.defaultFile(environment);
        }

        private static CredentialRef checkRef(CredentialRef ref) {
            Objects.requireNonNull(ref, "ref");
            if (ref.scheme().equals(SCHEME)) {
                throw new IllegalArgumentException("The secrets file's passphrase cannot be kept in the secrets file "
                        + "itself: " + ref);
            }
            return ref;
        }

        private void key(String option) {
            if (keySet) {
                throw new IllegalStateException("The secrets file's key is already set; cannot also use " + option);
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
