package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context from PEM files: a CA bundle to trust, and a client certificate with its key.
 *
 * <p>Done here rather than with the driver's {@code SslConfig}, which trusts only the first certificate of a bundle,
 * pins TLS 1.2, takes RSA keys only, and reads {@code VAULT_SSL_VERIFY} from the environment, where a stray
 * {@code false} would turn certificate checks off. Messages name the files, never their content. Stateless.
 */
final class Tls {

    private Tls() {
    }

    /**
     * Returns the context, or {@code null} for the JDK's default (its trust store, no client certificate).
     *
     * @throws BigLedgerAuthException if a file cannot be read or parsed; not retryable
     */
    static SSLContext context(Path caBundle, Path clientCertificate, Path clientKey) {
        if (caBundle == null && clientCertificate == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (caBundle != null) {
                List<Certificate> cas = certificates(caBundle, "CA bundle");
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (clientCertificate != null) {
                List<Certificate> chain = certificates(clientCertificate, "client certificate");
                PrivateKey key = privateKey(clientKey, chain.get(0).getPublicKey().getAlgorithm());
                // The key store lives in memory only; its password protects nothing and is never shown.
                char[] password = new char[24];
                SecureRandom random = new SecureRandom();
                for (int i = 0; i < password.length; i++) {
                    password[i] = (char) ('a' + random.nextInt(26));
                }
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
                Arrays.fill(password, '\0');
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new BigLedgerAuthException("Cannot set up TLS for Vault: " + e.getClass().getName(), e, false);
        }
    }

    private static List<Certificate> certificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new BigLedgerAuthException("The Vault " + what + " " + file + " holds no PEM certificate", null,
                        false);
            }
            return certificates;
        } catch (IOException e) {
            throw new BigLedgerAuthException("Cannot read the Vault " + what + " " + file + " ("
                    + e.getClass().getName() + ")", null, false);
        } catch (GeneralSecurityException e) {
            throw new BigLedgerAuthException("The Vault " + what + " " + file + " is not a PEM certificate file ("
                    + e.getClass().getName() + ")", null, false);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BigLedgerAuthException("Cannot read the Vault client key " + file + " (" + e.getClass().getName()
                    + ")", null, false);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        String text = new String(bytes, StandardCharsets.US_ASCII);
        Arrays.fill(bytes, (byte) 0);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new BigLedgerAuthException("The Vault client key " + file + " is not an unencrypted PKCS#8 PEM key ("
                    + begin + "); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8", null, false);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new BigLedgerAuthException("The Vault client key " + file + " is not valid base64 PEM", null, false);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new BigLedgerAuthException("The Vault client key " + file + " is not a " + algorithm + " key matching "
                    + "the client certificate (" + e.getClass().getName() + ")", null, false);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
