/**
 * The {@code file} credential source: one local file of named secrets, each encrypted with AES-256-GCM under a key
 * derived with Argon2id from a passphrase, or read from a raw 256-bit key file. Found by
 * {@link java.util.ServiceLoader} through {@link FileCredentialSourceProvider}, or built with
 * {@link FileCredentialSource#builder()}.
 */
package com.bigledger.auth.store.file;
