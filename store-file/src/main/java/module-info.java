/**
 * The {@code file} credential source: one local file of named secrets, each encrypted with AES-256-GCM under a key
 * derived with Argon2id from a passphrase, or read from a raw 256-bit key file.
 *
 * <p>Found by {@link java.util.ServiceLoader} through
 * {@link com.bigledger.auth.store.file.FileCredentialSourceProvider}, or built explicitly with
 * {@link com.bigledger.auth.store.file.FileCredentialSource#builder()}.
 */
module com.bigledger.auth.store.file {
    // Transitive: the public API of this module is made of core's types (CredentialSource, CredentialRef, …).
    requires transitive com.bigledger.auth;
    requires org.bouncycastle.provider;

    exports com.bigledger.auth.store.file;

    provides com.bigledger.auth.spi.CredentialSourceProvider
            with com.bigledger.auth.store.file.FileCredentialSourceProvider;
}
