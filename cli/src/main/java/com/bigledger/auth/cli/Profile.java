package com.bigledger.auth.cli;

import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import java.net.URI;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The kind of token endpoint {@code token} and {@code login} talk to, which decides their defaults.
 *
 * <p>{@link #BIGLEDGER} follows the BigLedger authentication document: JSON bodies with {@code client_id} and
 * {@code client_secret} in every request (so a client secret is required, unless the client is declared public,
 * which the document does not describe), the refresh token {@code login} stored as the grant of {@code token} (the
 * document names no {@code client_credentials} grant), and one-hour access tokens when a response has no
 * {@code expires_in}. {@link #OAUTH2} is plain RFC 6749: form bodies (and so HTTP Basic client authentication), the
 * {@code client_credentials} grant, and {@code expires_in} required. Immutable and thread-safe.
 */
enum Profile {

    /** BigLedger's token endpoint, as its document describes it. */
    BIGLEDGER,

    /** Any other OAuth 2.0 server, as RFC 6749 describes it. */
    OAUTH2;

    /**
     * Returns the profile of a token endpoint when none is given: {@link #BIGLEDGER} for {@code bigledger.com} and
     * its subdomains (the default endpoint, {@code https://auth.bigledger.com/oauth/token}, among them), else
     * {@link #OAUTH2}.
     *
     * @param endpoint the token endpoint
     * @return the profile
     */
    static Profile of(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.equals("bigledger.com") || host.endsWith(".bigledger.com") ? BIGLEDGER : OAUTH2;
    }

    /** The request format: JSON for BigLedger, the RFC 6749 form otherwise. */
    RequestFormat format() {
        return this == BIGLEDGER ? RequestFormat.JSON : RequestFormat.FORM;
    }

    /** Sets what the profile adds to a token client: BigLedger's one-hour lifetime for a missing expires_in. */
    OAuthClient.Builder configure(OAuthClient.Builder client) {
        return this == BIGLEDGER ? client.defaultExpiresIn(BigLedgerOAuth.ACCESS_TOKEN_LIFETIME) : client;
    }

    /** The name on the command line. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code bigledger} or {@code oauth2}. */
    static final class Converter implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "bigledger":
                    return BIGLEDGER;
                case "oauth2":
                    return OAUTH2;
                default:
                    throw new TypeConversionException("expected bigledger or oauth2: '" + value + "'");
            }
        }
    }
}
