package com.bigledger.auth.cli;

import static com.bigledger.auth.cli.TokenCommand.CLIENT_ID;
import static com.bigledger.auth.cli.TokenCommand.CLIENT_SECRET;
import static com.bigledger.auth.cli.TokenCommand.CLIENT_SECRET_REF;
import static com.bigledger.auth.cli.TokenCommand.DEFAULT_TOKEN_ENDPOINT;
import static com.bigledger.auth.cli.TokenCommand.DEFAULT_TOKEN_RECORD_REF;
import static com.bigledger.auth.cli.TokenCommand.REFRESH_TOKEN_REF;
import static com.bigledger.auth.cli.TokenCommand.SCOPES;
import static com.bigledger.auth.cli.TokenCommand.TOKEN_ENDPOINT;
import static com.bigledger.auth.cli.TokenCommand.TOKEN_RECORD_REF;
import static com.bigledger.auth.cli.TokenCommand.defaultAuthentication;
import static com.bigledger.auth.cli.TokenCommand.line;
import static com.bigledger.auth.cli.TokenCommand.shown;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options of one {@code bigledger-auth token} run, and the settings checked from them and the environment
 * before anything is sent: the endpoint, the client, the scopes, the grant (where the refresh token is) and the
 * client secret's reference. Each setting is an option or an environment variable, the option winning. Not
 * thread-safe: one per run.
 */
final class TokenSettings {

    String tokenEndpointOption;
    String clientIdOption;
    String clientSecretRefOption;
    /** Taken only to refuse it without echoing it: picocli would quote an unknown option's value. */
    String plainClientSecret;
    List<String> scopeOptions;
    Profile profileOption;
    boolean clientCredentialsMode;
    boolean publicClient;
    RequestFormat formatOption;
    ClientAuthentication authOption;
    boolean allowInsecureLoopback;
    boolean refreshTokenMode;
    String tokenRecordOption;
    String refreshTokenRefOption;
    boolean header;
    boolean verbose;
    Duration timeout;

    private TokenSettings() {
    }

    /** Takes this run's values from the parsed model. */
    static TokenSettings read(CommandSpec spec) {
        TokenSettings o = new TokenSettings();
        o.tokenEndpointOption = CommandSpecs.value(spec, "--token-endpoint");
        o.clientIdOption = CommandSpecs.value(spec, "--client-id");
        o.clientSecretRefOption = CommandSpecs.value(spec, "--client-secret-ref");
        o.plainClientSecret = CommandSpecs.value(spec, "--client-secret");
        o.scopeOptions = CommandSpecs.value(spec, "--scope");
        o.profileOption = CommandSpecs.value(spec, "--profile");
        o.clientCredentialsMode = CommandSpecs.isSet(spec, "--client-credentials");
        o.publicClient = CommandSpecs.isSet(spec, "--public-client");
        o.formatOption = CommandSpecs.value(spec, "--format");
        o.authOption = CommandSpecs.value(spec, "--auth");
        o.allowInsecureLoopback = CommandSpecs.isSet(spec, "--allow-insecure-loopback");
        o.refreshTokenMode = CommandSpecs.isSet(spec, "--refresh-token");
        o.tokenRecordOption = CommandSpecs.value(spec, "--token-record");
        o.refreshTokenRefOption = CommandSpecs.value(spec, "--refresh-token-ref");
        o.header = CommandSpecs.isSet(spec, "--header");
        o.verbose = CommandSpecs.isSet(spec, "--verbose");
        o.timeout = TimeoutOption.of(spec);
        return o;
    }

    /** Reads the settings from the options and the environment, and checks them; nothing is sent yet. */
    Settings settings(Stores stores, LazyHttpClient httpClient) throws Failure {
        URI endpoint = endpoint(stores.setting(tokenEndpointOption, TOKEN_ENDPOINT).orElse(DEFAULT_TOKEN_ENDPOINT));
        String clientId = stores.setting(clientIdOption, CLIENT_ID).orElseThrow(() -> new Failure(ExitCodes.USAGE,
                "no client id: pass --client-id ID or set " + CLIENT_ID));
        Set<String> scopes = scopes(stores);
        Profile profile = profileOption != null ? profileOption : Profile.of(endpoint);
        RefreshSource refresh = refreshSource(stores, profile);
        CredentialRef refreshRef = refresh == null ? null : refresh.ref;
        if (publicClient && refreshRef == null) {
            throw new Failure(ExitCodes.USAGE, "--public-client: the client_credentials grant needs a client "
                    + "secret; a public client can only use the refresh token login stored");
        }
        // BigLedger takes client_secret in every token request; other servers need none for a refresh token.
        boolean secretOptional = profile == Profile.OAUTH2 && refreshRef != null;
        CredentialRef secretRef = publicClient ? null : secretRef(stores, secretOptional, profile);
        RequestFormat format = formatOption != null ? formatOption : profile.format();
        ClientAuthentication auth = secretRef == null ? ClientAuthentication.NONE
                : authOption != null ? authOption : defaultAuthentication(format);
        try {
            // A public client of the same endpoint and id checks them before any store or server is called.
            OAuthClient.builder()
                    .httpClient(httpClient)
                    .tokenEndpoint(endpoint)
                    .clientId(clientId)
                    .allowInsecureLoopback(allowInsecureLoopback)
                    .build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The endpoint's shape or transport, or the client id; the messages quote no credential.
            throw new Failure(ExitCodes.USAGE, inCommandLineTerms(Messages.oneLine(e.getMessage())));
        }
        return new Settings(endpoint, clientId, scopes, secretRef, format, auth, refresh, profile);
    }

    /**
     * Chooses the grant: where the refresh token is for {@code refresh_token} (asked for, or BigLedger's default),
     * else {@code null} for {@code client_credentials} (asked for, or the default of other servers). The token
     * record unless a plain refresh token's reference is given; the two together are a usage error, as an option
     * that silently won over the other would leave the user unsure which one a rotation went to.
     */
    private RefreshSource refreshSource(Stores stores, Profile profile) throws Failure {
        boolean refreshAsked = refreshTokenMode || refreshTokenRefOption != null || tokenRecordOption != null;
        if (refreshAsked && clientCredentialsMode) {
            throw new Failure(ExitCodes.USAGE, "--client-credentials conflicts with --refresh-token, --token-record "
                    + "and --refresh-token-ref: choose one grant");
        }
        if (tokenRecordOption != null && refreshTokenRefOption != null) {
            throw new Failure(ExitCodes.USAGE, "--token-record and --refresh-token-ref conflict: give one, "
                    + "--token-record REF for a token record that several processes can share, or "
                    + "--refresh-token-ref REF for a plain refresh token");
        }
        boolean refresh = refreshAsked || (profile == Profile.BIGLEDGER && !clientCredentialsMode);
        if (!refresh) {
            return null;
        }
        String text;
        String source;
        boolean record;
        boolean byDefault = false;
        if (tokenRecordOption != null || refreshTokenRefOption != null) {
            record = tokenRecordOption != null;
            text = record ? tokenRecordOption : refreshTokenRefOption;
            source = record ? "--token-record" : "--refresh-token-ref";
        } else {
            Optional<String> recordVariable = stores.setting(null, TOKEN_RECORD_REF);
            Optional<String> plainVariable = stores.setting(null, REFRESH_TOKEN_REF);
            if (recordVariable.isPresent() && plainVariable.isPresent()) {
                throw new Failure(ExitCodes.USAGE, TOKEN_RECORD_REF + " and " + REFRESH_TOKEN_REF + " are both set; "
                        + "set only one (" + TOKEN_RECORD_REF + " for a token record that several processes can "
                        + "share)");
            }
            record = plainVariable.isEmpty();
            byDefault = record && recordVariable.isEmpty();
            text = record ? recordVariable.orElse(DEFAULT_TOKEN_RECORD_REF) : plainVariable.get();
            source = record ? TOKEN_RECORD_REF : REFRESH_TOKEN_REF;
        }
        try {
            return new RefreshSource(CredentialRef.parse(text), record, byDefault);
        } catch (IllegalArgumentException e) {
            throw new Failure(ExitCodes.USAGE, (record ? "the token record's reference (" : "the refresh token's "
                    + "reference (") + source + "): " + Messages.without(e.getMessage(), text));
        }
    }

    /** Rewords the builder's names in a client's message as the options a user of this command knows. */
    private static String inCommandLineTerms(String message) {
        return message.replaceFirst("^tokenEndpoint ", "the token endpoint ")
                .replaceFirst("^clientId ", "the client id ")
                .replace("allowInsecureLoopback(true)", "--allow-insecure-loopback");
    }

    private URI endpoint(String text) throws Failure {
        URI endpoint;
        try {
            endpoint = new URI(text.strip());
        } catch (URISyntaxException e) {
            // The reason and position only: the URL may hold credentials in its user info or query.
            throw new Failure(ExitCodes.USAGE, "the token endpoint is not a valid URL: " + e.getReason()
                    + " at position " + e.getIndex());
        }
        if ("http".equalsIgnoreCase(endpoint.getScheme()) && !allowInsecureLoopback) {
            throw new Failure(ExitCodes.USAGE, "the token endpoint " + shown(endpoint) + " uses http: only https "
                    + "is allowed, except to a loopback host (127.0.0.1, ::1, localhost) with "
                    + "--allow-insecure-loopback, for tests and local servers");
        }
        return endpoint;
    }

    private Set<String> scopes(Stores stores) throws Failure {
        Set<String> scopes = new TreeSet<>();
        String source;
        if (scopeOptions != null) {
            source = "--scope";
            for (String option : scopeOptions) {
                scopes.addAll(List.of(split(option)));
            }
        } else {
            source = SCOPES;
            stores.setting(null, SCOPES).ifPresent(value -> scopes.addAll(List.of(split(value))));
        }
        for (String scope : scopes) {
            if (!isScopeToken(scope)) {
                throw new Failure(ExitCodes.USAGE, source + ": not a valid OAuth scope (printable ASCII without "
                        + "space, \" or \\): " + scope.replaceAll("[^\\x21-\\x7e]", "?"));
            }
        }
        return scopes;
    }

    private CredentialRef secretRef(Stores stores, boolean optional, Profile profile) throws Failure {
        String text;
        String source;
        if (clientSecretRefOption != null) {
            text = clientSecretRefOption;
            source = "--client-secret-ref";
        } else {
            Optional<String> fromVariable = stores.setting(null, CLIENT_SECRET_REF);
            // Only whether it is set: the secret itself is read through its reference, later.
            boolean secretSet = stores.variable(CLIENT_SECRET).isPresent();
            if (fromVariable.isPresent() && secretSet) {
                throw new Failure(ExitCodes.USAGE, CLIENT_SECRET + " and " + CLIENT_SECRET_REF + " are both set; "
                        + "set only one");
            }
            if (fromVariable.isEmpty() && !secretSet) {
                if (optional) {
                    return null;
                }
                throw new Failure(ExitCodes.USAGE, "no client secret: set " + CLIENT_SECRET + ", or give its "
                        + "reference with --client-secret-ref REF or " + CLIENT_SECRET_REF + " (such as "
                        + "aws-sm:prod/bigledger#client_secret)" + (profile == Profile.BIGLEDGER ? "; BigLedger's "
                        + "token endpoint takes client_secret in every request (for a client registered as public, "
                        + "which the BigLedger document does not describe, pass --public-client)" : ""));
            }
            text = fromVariable.orElse("env:" + CLIENT_SECRET);
            source = fromVariable.isPresent() ? CLIENT_SECRET_REF : CLIENT_SECRET;
        }
        try {
            return CredentialRef.parse(text);
        } catch (IllegalArgumentException e) {
            // Quoted nowhere: a secret pasted in place of its reference would otherwise be printed.
            throw new Failure(ExitCodes.USAGE, source + ": " + Messages.without(e.getMessage(), text));
        }
    }

    private static String[] split(String scopes) {
        String trimmed = scopes.strip();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static boolean isScopeToken(String scope) {
        return !scope.isEmpty() && scope.chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != '"' && c != '\\');
    }

    /** The checked settings of one run. The client secret is not among them: only its reference. */
    static final class Settings {
        final URI endpoint;
        final String clientId;
        final Set<String> scopes;
        final CredentialRef secretRef;
        final RequestFormat format;
        final ClientAuthentication auth;
        final RefreshSource refresh;
        final Profile profile;

        Settings(URI endpoint, String clientId, Set<String> scopes, CredentialRef secretRef, RequestFormat format,
                ClientAuthentication auth, RefreshSource refresh, Profile profile) {
            this.refresh = refresh;
            this.profile = profile;
            this.endpoint = endpoint;
            this.clientId = clientId;
            this.scopes = Set.copyOf(scopes);
            this.secretRef = secretRef;
            this.format = format;
            this.auth = auth;
        }

        void print(PrintWriter err) {
            line(err, "endpoint", shown(endpoint) + " (" + format.name().toLowerCase(Locale.ROOT) + " body, profile "
                    + profile.id() + ")");
            line(err, "client id", clientId + " (" + auth.name().toLowerCase(Locale.ROOT) + ")");
            line(err, "secret ref", secretRef == null ? "(none: a public client)" : secretRef.toString());
            line(err, "grant", refresh == null ? "client_credentials" : refresh.record
                    ? "refresh_token in the token record at " + refresh.ref : "refresh_token at " + refresh.ref);
            line(err, "scopes asked", scopes.isEmpty() ? "(none: the server's default)"
                    : String.join(" ", new TreeSet<>(scopes)));
        }
    }

    /** Where the refresh token of the {@code refresh_token} grant is: a token record, or a plain refresh token. */
    static final class RefreshSource {
        final CredentialRef ref;
        final boolean record;
        final boolean byDefault;

        RefreshSource(CredentialRef ref, boolean record, boolean byDefault) {
            this.ref = ref;
            this.record = record;
            this.byDefault = byDefault;
        }
    }
}
