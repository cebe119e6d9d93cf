package com.bigledger.auth.spi;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.VersionedSecret;
import java.util.Set;

/**
 * A store of secrets for one reference scheme: {@code env}, {@code aws-sm}, {@code vault}, …
 *
 * <p>Implementations must be thread-safe: the vault calls {@link #load} from several threads at once, though
 * never twice at once for one reference. Failures are reported with the library's exceptions:
 * {@link com.bigledger.auth.CredentialNotFoundException} when the store answered that nothing is there,
 * {@link com.bigledger.auth.SourceUnavailableException} when it could not be asked (retryable), and otherwise a
 * {@link com.bigledger.auth.CredentialException} of the {@linkplain com.bigledger.auth.CredentialException.Kind kind}
 * that fits: {@code ACCESS_DENIED} when it refused, {@code INVALID} when the value cannot be used as the reference
 * asks, {@code CONFIGURATION} when the store or the reference is set up wrong. No message may contain a secret value,
 * including messages of wrapped causes.
 */
public interface CredentialSource extends AutoCloseable {

    /**
     * Returns the scheme this source serves.
     *
     * @return the scheme, such as {@code env}
     */
    String scheme();

    /**
     * Returns the reference options this source understands; any other option is refused before a load. The vault
     * checks a source registered on its builder against these names; a discovered source's references are checked
     * against its provider's fuller declaration ({@link CredentialSourceProvider#options()}), which a source
     * should agree with ({@code options().names()}).
     *
     * <p>By default, none.
     *
     * @return the option names
     */
    default Set<String> supportedOptions() {
        return Set.of();
    }

    /**
     * Checks a reference of this source's scheme before any load, so that a malformed path fails when a handle is
     * made rather than at every reload. By default, accepts every path.
     *
     * @param ref a reference of this source's scheme
     * @throws IllegalArgumentException if the reference can never be loaded; the message quotes it
     */
    default void check(CredentialRef ref) {
    }

    /**
     * Loads the secret at a reference, and its version where the store keeps versions. When the reference has a
     * field, the source returns that field's value. This method may block on I/O.
     *
     * @param ref a reference of this source's scheme
     * @return the secret
     * @throws com.bigledger.auth.CredentialException or a subtype, when the secret cannot be loaded
     */
    VersionedSecret load(CredentialRef ref);

    /** Releases what this source created (clients, connections). By default, nothing. */
    @Override
    default void close() {
    }
}
