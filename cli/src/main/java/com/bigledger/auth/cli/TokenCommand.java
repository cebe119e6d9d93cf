package com.bigledger.auth.cli;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialConfigurationException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.Durations;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code bigledger-auth token}: gets an access token through a {@link TokenManager} and prints it alone on stdout,
 * for {@code $(bigledger-auth token)} in scripts. Against BigLedger's token endpoint (the default), the grant is
 * {@code refresh_token} with the token in a token record (where {@code login} put it), since the BigLedger document
 * names only the authorization-code and refresh-token grants. The record is the one a fleet-mode
 * {@link TokenManager.Builder#tokenRecord TokenManager} shares: an access token still valid there is printed with no
 * request, and only the holder of the record's lease asks the token endpoint, so that any number of shells running
 * this command at once never present a refresh token another one has already rotated. {@code --refresh-token-ref}
 * keeps the plain mode of earlier versions: a refresh token alone at a reference, safe for one process at a time. A
 * refresh token the server rotates is written back before the access token is printed. Against another server (see
 * {@link Profile}), or with {@code --client-credentials}, the grant is
 * {@code client_credentials}; {@code --refresh-token} asks for {@code refresh_token} there.
 *
 * <p>Each setting is an option or an environment variable, the option winning; variables are read through the
 * environment store, so a {@code .env} file named by {@code BIGLEDGER_DOTENV} counts. The client secret is taken
 * only by reference ({@code --client-secret-ref}, {@code BIGLEDGER_CLIENT_SECRET_REF}, or by default
 * {@code env:BIGLEDGER_CLIENT_SECRET}), never as an option value, which shell history and process lists would
 * keep. Failures are one line on stderr naming the endpoint or the reference, never a secret; a client the token
 * endpoint refuses has its own exit code, {@link ExitCodes#REFUSED}.
 *
 * <p>Its model is built by {@link #spec}, without annotations (see {@link CommandSpecs}), and the HTTP client is
 * made on the first request only ({@link LazyHttpClient}): a still-valid token in the record is printed without
 * either cost. Not thread-safe: picocli sets the model's values before each run.
 */
final class TokenCommand implements Callable<Integer> {

    private static final String[] DESCRIPTION = {
            "Gets an OAuth 2.0 access token and prints it alone on stdout, followed by a newline, for scripts.",
            "  TOKEN=$(bigledger-auth token)",
            "Against BigLedger's token endpoint (the default; profile bigledger) the grant is refresh_token, with "
                    + "the refresh token 'login' stored in the token record, as the BigLedger document describes; "
                    + "client_credentials, "
                    + "which the document does not name, only with --client-credentials. Against other servers "
                    + "(profile oauth2) the grant is client_credentials, or refresh_token with --refresh-token.",
            "The token record (--token-record, " + TokenCommand.TOKEN_RECORD_REF + ", by default "
                    + TokenCommand.DEFAULT_TOKEN_RECORD_REF + ") holds the refresh token and the last access token: "
                    + "one still valid is printed with no request, and any number of shells may run this command "
                    + "at once (one of them refreshes, the others wait for it). --refresh-token-ref REF (or "
                    + TokenCommand.REFRESH_TOKEN_REF + ") uses a plain refresh token instead, for one process at a "
                    + "time.",
            "With --header, prints 'Authorization: Bearer TOKEN' instead. With --verbose, also prints the settings, "
                    + "the token's expiry and its scopes on stderr (never the token).",
            "",
            "Each setting is an option or an environment variable; the option wins:",
            "  --token-endpoint     " + TokenCommand.TOKEN_ENDPOINT,
            "                       (by default " + TokenCommand.DEFAULT_TOKEN_ENDPOINT + ")",
            "  --client-id          " + TokenCommand.CLIENT_ID + " (required)",
            "  --client-secret-ref  " + TokenCommand.CLIENT_SECRET_REF,
            "                       (by default env:" + TokenCommand.CLIENT_SECRET + " if that is set; "
                    + "required by BigLedger, which takes client_secret in every token request, unless "
                    + "--public-client)",
            "  --scope, repeated    " + TokenCommand.SCOPES + ", separated by spaces",
            "Variables may also come from the .env file named by BIGLEDGER_DOTENV.",
            "",
            "The client secret is given by reference only, never on the command line, where shell history and "
                    + "process lists would keep it. For example:",
            "  env:" + TokenCommand.CLIENT_SECRET,
            "  aws-sm:prod/bigledger#client_secret",
            "",
            "--timeout bounds each wait: for the store that holds the client secret, then for the token "
                    + "endpoint, which is retried meanwhile after a temporary failure (HTTP 5xx or 429, no "
                    + "connection). A refused client fails at once. A token request already sent when --timeout "
                    + "ends is still waited for, up to the client's own bound, so that a refresh token it rotates "
                    + "is not lost."
    };


    /** The production authorization server's token endpoint, as the BigLedger authentication document gives it. */
    static final String DEFAULT_TOKEN_ENDPOINT = "https://auth.bigledger.com/oauth/token";

    static final String TOKEN_ENDPOINT = "BIGLEDGER_TOKEN_ENDPOINT";
    static final String CLIENT_ID = "BIGLEDGER_CLIENT_ID";
    static final String CLIENT_SECRET = "BIGLEDGER_CLIENT_SECRET";
    static final String CLIENT_SECRET_REF = "BIGLEDGER_CLIENT_SECRET_REF";
    static final String SCOPES = "BIGLEDGER_SCOPES";
    static final String REFRESH_TOKEN_REF = "BIGLEDGER_REFRESH_TOKEN_REF";
    static final String TOKEN_RECORD_REF = "BIGLEDGER_TOKEN_RECORD_REF";

    /** Where {@code login} stores the token record, and {@code token} reads it, by default. */
    static final String DEFAULT_TOKEN_RECORD_REF = "file:bigledger/token_record";

    /** Where earlier versions' {@code login} stored a plain refresh token by default: named in a hint only. */
    static final String EARLIER_REFRESH_TOKEN_REF = "file:bigledger/refresh_token";

    private static final String PREFIX = "bigledger-auth token: ";

    private final Map<String, String> environment;

    private String tokenEndpointOption;
    private String clientIdOption;
    private String clientSecretRefOption;
    /** Taken only to refuse it without echoing it: picocli would quote an unknown option's value. */
    private String plainClientSecret;
    private List<String> scopeOptions;
    private Profile profileOption;
    private boolean clientCredentialsMode;
    private boolean publicClient;
    private RequestFormat formatOption;
    private ClientAuthentication authOption;
    private boolean allowInsecureLoopback;
    private boolean refreshTokenMode;
    private String tokenRecordOption;
    private String refreshTokenRefOption;
    private boolean header;
    private boolean verbose;
    private Duration timeout;

    private CommandSpec spec;

    /** Made on the first token request: the endpoint checks and a stored token need none. */
    private final LazyHttpClient httpClient = new LazyHttpClient(OAuthClient.DEFAULT_CONNECT_TIMEOUT);

    /** Whether this run sent a token request, rather than using a token another run stored. */
    private boolean tokenRequested;

    private TokenCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * Builds the command's model over an environment.
     *
     * @param environment the variables the settings and {@code env:} references are read from
     * @return the model, which runs the command
     */
    static CommandSpec spec(Map<String, String> environment) {
        TokenCommand command = new TokenCommand(environment);
        CommandSpec spec = CommandSpecs.command(command, "token", DESCRIPTION, "0:success: the token was printed",
                ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP, "3:the client secret was not found at its reference",
                ExitCodes.ERROR_HELP, ExitCodes.REFUSED_HELP);
        spec.addOption(CommandSpecs.text("--token-endpoint", "URL",
                "The token endpoint's URL. By default, the BigLedger authorization server's (see above)."));
        spec.addOption(CommandSpecs.text("--client-id", "ID", "The client id. Required."));
        spec.addOption(CommandSpecs.text("--client-secret-ref", "REF",
                "The reference of the client secret (see above). By default, the secret is read from "
                        + CLIENT_SECRET + "."));
        spec.addOption(OptionSpec.builder("--client-secret").type(String.class).paramLabel("SECRET").hidden(true)
                .build());
        spec.addOption(OptionSpec.builder("--scope").type(List.class).auxiliaryTypes(String.class)
                .paramLabel("SCOPE").description("A scope to ask for, such as read:accounts; repeat the option for "
                        + "more. By default, none: the server's default scopes.").build());
        spec.addOption(CommandSpecs.typed("--profile", "PROFILE", Profile.class, new Profile.Converter(),
                "The kind of token endpoint: bigledger (JSON bodies, client_id and client_secret in the "
                        + "body, the refresh_token grant, one-hour tokens when expires_in is missing) or oauth2 "
                        + "(RFC 6749: form bodies, Basic authentication, the client_credentials grant). By default, "
                        + "bigledger for bigledger.com and its subdomains, oauth2 for other hosts."));
        spec.addOption(CommandSpecs.flag("Use the client_credentials grant, which the BigLedger document does not "
                + "name: the default against other servers only.", "--client-credentials"));
        spec.addOption(CommandSpecs.flag("The client has no secret: send none and rely on the refresh token alone. "
                + "The BigLedger document does not describe public clients; use this only for one registered as "
                + "such.", "--public-client"));
        spec.addOption(CommandSpecs.typed("--format", "FORMAT", RequestFormat.class, new FormatConverter(),
                "How the request body is encoded: json (what the BigLedger token endpoint takes) or form "
                        + "(RFC 6749). By default, json with the bigledger profile, form with oauth2."));
        spec.addOption(CommandSpecs.typed("--auth", "METHOD", ClientAuthentication.class, new AuthConverter(),
                "How the client authenticates: post (client_id and client_secret in the body, what the "
                        + "BigLedger token endpoint expects) or basic (an Authorization: Basic header, RFC 6749). By "
                        + "default, post with the json format, basic with form."));
        spec.addOption(CommandSpecs.flag("Allow an http token endpoint on a loopback host (127.0.0.1, ::1, "
                + "localhost), for tests and local servers. Other hosts always need https.",
                "--allow-insecure-loopback"));
        spec.addOption(CommandSpecs.flag("Use the refresh_token grant with the refresh token in the token record "
                + "(see --token-record; by default " + DEFAULT_TOKEN_RECORD_REF + ", where login stores it): the "
                + "default against BigLedger, the way to ask for it elsewhere. A refresh token the server "
                + "rotates is written back there before the access token is printed. Against other servers the "
                + "client secret is optional then (a public client).", "--refresh-token"));
        spec.addOption(CommandSpecs.text("--token-record", "REF",
                "Like --refresh-token, with the token record at REF, in a store with compare-and-set "
                        + "writes (file:, vault: with KV version 2, aws-sm:). By default, " + TOKEN_RECORD_REF
                        + ", else " + DEFAULT_TOKEN_RECORD_REF + ". A still-valid access token stored there is "
                        + "printed with no request; shells and services sharing the record refresh one at a time."));
        spec.addOption(CommandSpecs.text("--refresh-token-ref", "REF",
                "Like --refresh-token, with a plain refresh token at REF (or " + REFRESH_TOKEN_REF
                        + ") instead of a token record: no access token is kept, and two processes must not refresh "
                        + "with it at once. Not with --token-record."));
        spec.addOption(CommandSpecs.flag("Print 'Authorization: Bearer TOKEN' instead of the token alone.",
                "--header"));
        spec.addOption(CommandSpecs.flag("Also print the settings, the token's expiry and its scopes on stderr "
                + "(never the token).", "-v", "--verbose"));
        spec.addOption(TimeoutOption.option());
        command.spec = spec;
        return spec;
    }

    /** Takes this run's values from the parsed model. */
    private void readOptions() {
        tokenEndpointOption = CommandSpecs.value(spec, "--token-endpoint");
        clientIdOption = CommandSpecs.value(spec, "--client-id");
        clientSecretRefOption = CommandSpecs.value(spec, "--client-secret-ref");
        plainClientSecret = CommandSpecs.value(spec, "--client-secret");
        scopeOptions = CommandSpecs.value(spec, "--scope");
        profileOption = CommandSpecs.value(spec, "--profile");
        clientCredentialsMode = CommandSpecs.isSet(spec, "--client-credentials");
        publicClient = CommandSpecs.isSet(spec, "--public-client");
        formatOption = CommandSpecs.value(spec, "--format");
        authOption = CommandSpecs.value(spec, "--auth");
        allowInsecureLoopback = CommandSpecs.isSet(spec, "--allow-insecure-loopback");
        refreshTokenMode = CommandSpecs.isSet(spec, "--refresh-token");
        tokenRecordOption = CommandSpecs.value(spec, "--token-record");
        refreshTokenRefOption = CommandSpecs.value(spec, "--refresh-token-ref");
        header = CommandSpecs.isSet(spec, "--header");
        verbose = CommandSpecs.isSet(spec, "--verbose");
        timeout = TimeoutOption.of(spec);
    }

    @Override
    public Integer call() {
        readOptions();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (plainClientSecret != null) {
                plainClientSecret = null;
                throw new Failure(ExitCodes.USAGE, "--client-secret is not accepted: a secret on the command line "
                        + "stays in shell history and process lists. Put it in " + CLIENT_SECRET + " or a store, "
                        + "and name it with --client-secret-ref REF");
            }
            // The secret and the token are used before the stores close: a value need not outlive its store.
            try (Stores stores = new Stores(environment, timeout, Stores.warnings(err))) {
                Settings settings = settings(stores);
                if (verbose) {
                    settings.print(err);
                }
                Secret clientSecret = settings.secretRef == null ? null : clientSecret(stores, settings.secretRef);
                AccessToken token = fetch(stores, settings, clientSecret, err);
                if (verbose) {
                    printDetails(token, err);
                    if (settings.refresh != null && settings.refresh.record) {
                        line(err, "from", tokenRequested ? "the token endpoint (stored in the token record)"
                                : "the token record (no request)");
                    }
                }
                out.print(header ? "Authorization: Bearer " + token.reveal() : token.reveal());
                out.print('\n');
                return ExitCodes.OK;
            } catch (EnvironmentSettings.InvalidSettingException e) {
                // A variable given twice: under its old and its new name, with different values.
                throw new Failure(ExitCodes.CONFIGURATION, Messages.oneLine(e.getMessage()));
            } catch (BigLedgerAuthException e) {
                // The environment store could not start or read a variable (a malformed .env file).
                throw new Failure(ExitCodes.ERROR, "the environment cannot be read: " + Messages.oneLine(
                        e.getMessage()));
            }
        } catch (Failure f) {
            err.println(PREFIX + f.getMessage());
            return f.exitCode;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Reads the settings from the options and the environment, and checks them; nothing is sent yet. */
    private Settings settings(Stores stores) throws Failure {
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

    private static Secret clientSecret(Stores stores, CredentialRef ref) throws Failure {
        try {
            return stores.vault().handle(ref).get();
        } catch (CredentialNotFoundException e) {
            throw new Failure(ExitCodes.NOT_FOUND, cannotResolve(ref, e.getMessage()));
        } catch (CredentialConfigurationException e) {
            throw new Failure(ExitCodes.CONFIGURATION, cannotResolve(ref, e.getMessage()));
        } catch (BigLedgerAuthException | IllegalStateException e) {
            // IllegalStateException: the stores on the class path conflict (two for one scheme).
            throw new Failure(ExitCodes.ERROR, cannotResolve(ref, e.getMessage()));
        } catch (IllegalArgumentException e) {
            // The store does not support an option of the reference.
            throw new Failure(ExitCodes.USAGE, cannotResolve(ref, e.getMessage()));
        }
    }

    private AccessToken fetch(Stores stores, Settings settings, Secret clientSecret, PrintWriter err)
            throws Failure {
        OAuthClient.Builder builder = OAuthClient.builder()
                .httpClient(httpClient)
                .tokenEndpoint(settings.endpoint)
                .clientId(settings.clientId)
                .clientAuthentication(settings.auth)
                .requestFormat(settings.format)
                .allowInsecureLoopback(allowInsecureLoopback)
                .userAgent(userAgent());
        settings.profile.configure(builder);
        if (clientSecret != null) {
            builder.clientSecret(clientSecret);
        }
        OAuthClient client = builder.build();
        RetryReport retries = new RetryReport(err, shown(settings.endpoint), timeout);
        RequestInFlight inFlight = new RequestInFlight();
        TokenManager.Builder manager = TokenManager.builder()
                .client(client)
                .addListener(retries)
                .addListener(inFlight)
                .scopes(settings.scopes)
                // The endpoint without its query: the name goes into log lines.
                .name(shown(settings.endpoint).toString())
                .timeout(timeout)
                // A request sent just before --timeout ended is given the client's whole bound, so that the
                // refresh token it rotates is written back rather than lost when the manager closes.
                .closeTimeout(client.overallTimeout().plus(timeout));
        RefreshSource refresh = settings.refresh;
        if (refresh != null && refresh.record) {
            // Fleet mode: a valid stored access token is used as it is; otherwise one process at a time refreshes.
            manager.tokenRecord(stores.vault(), refresh.ref);
        } else if (refresh != null) {
            // Each rotated refresh token is written back, compare-and-set, before the access token is handed out.
            manager.refreshToken(stores.vault(), refresh.ref);
        } else {
            manager.clientCredentials();
        }
        TokenManager built;
        try {
            built = manager.build();
        } catch (IllegalArgumentException e) {
            // A token record in a store without compare-and-set; the message names the reference and the store.
            throw new Failure(ExitCodes.USAGE, Messages.oneLine(e.getMessage()));
        }
        try {
            AccessToken token;
            try (TokenManager tokens = built) {
                try {
                    token = tokens.token();
                } catch (TokenRefreshException e) {
                    if (!e.retryable() || !inFlight.sent()) {
                        throw e;
                    }
                    // --timeout ended while a request was out: its answer may carry a rotated refresh token. Wait
                    // for it, up to the client's own bound, rather than print a failure for a token that arrives.
                    token = tokens.token(client.overallTimeout());
                }
            }
            // Read once the manager is closed: by then its listeners have heard of every request it sent.
            tokenRequested = inFlight.everSent();
            return token;
        } catch (ReauthenticationRequiredException e) {
            retries.stop();
            throw new Failure(ExitCodes.REFUSED, Messages.oneLine(e.getMessage()) + earlierLoginHint(stores,
                    refresh, e));
        } catch (BigLedgerAuthException e) {
            // No retry line after the failure's: a refresh still running when the manager closed stays quiet.
            retries.stop();
            // Messages name the endpoint and never a secret: the client redacts any it sent.
            throw new Failure(ExitCodes.ERROR, Messages.oneLine(e.getMessage()));
        }
    }

    /**
     * Points a user of an earlier version, whose login stored a plain refresh token, at it when the default token
     * record does not exist yet; the store is only asked whether that entry exists, its value is not read.
     */
    private static String earlierLoginHint(Stores stores, RefreshSource refresh, ReauthenticationRequiredException e) {
        if (refresh == null || !refresh.byDefault || !(e.getCause() instanceof CredentialNotFoundException)) {
            return "";
        }
        try {
            stores.vault().read(CredentialRef.parse(EARLIER_REFRESH_TOKEN_REF));
            return "; an earlier login stored a plain refresh token at " + EARLIER_REFRESH_TOKEN_REF + ": log in "
                    + "again, or use it with --refresh-token-ref " + EARLIER_REFRESH_TOKEN_REF;
        } catch (RuntimeException notThere) {
            return "";
        }
    }

    private static void printDetails(AccessToken token, PrintWriter err) {
        Instant expiresAt = token.expiresAt().truncatedTo(ChronoUnit.SECONDS);
        long seconds = Duration.between(Instant.now(), token.expiresAt()).toSeconds();
        line(err, "expires at", expiresAt + " (in " + seconds + " s)");
        Set<String> scopes = new TreeSet<>(token.scopes());
        line(err, "scopes", scopes.isEmpty() ? "(none listed by the server)" : String.join(" ", scopes));
    }

    private static void line(PrintWriter err, String label, String text) {
        err.println(String.format(Locale.ROOT, "%-12s %s", label, text));
    }


    /**
     * Chooses the request format for an endpoint when none is given: JSON for BigLedger's hosts, whose token
     * endpoint takes JSON, and the RFC 6749 form for any other server.
     *
     * @param endpoint the token endpoint
     * @return {@link RequestFormat#JSON} for {@code bigledger.com} and its subdomains, else {@link RequestFormat#FORM}
     */
    static RequestFormat defaultFormat(URI endpoint) {
        return Profile.of(endpoint).format();
    }

    /**
     * Chooses how the client authenticates when no method is given: in the body for JSON, as the BigLedger token
     * endpoint expects, and with the Basic header, which every RFC 6749 server must accept, for the form.
     *
     * @param format the request format
     * @return the method
     */
    static ClientAuthentication defaultAuthentication(RequestFormat format) {
        return format == RequestFormat.JSON ? ClientAuthentication.CLIENT_SECRET_POST
                : ClientAuthentication.CLIENT_SECRET_BASIC;
    }

    /** Returns an endpoint as it may be shown: without user info, query or fragment, which may hold credentials. */
    static URI shown(URI endpoint) {
        try {
            return new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), endpoint.getPath(),
                    null, null);
        } catch (URISyntaxException e) {
            return URI.create(endpoint.getScheme() + ":redacted");
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

    private static String cannotResolve(CredentialRef ref, String exceptionMessage) {
        String message = Messages.oneLine(exceptionMessage);
        // Credential exceptions already start with the reference; others (a store that cannot start) do not.
        String detail = message.startsWith(ref + ": ") ? message.substring(ref.toString().length() + 2) : message;
        return "cannot resolve the client secret at " + ref + ": " + detail;
    }

    /** The command line's product, sent as {@code User-Agent} as the BigLedger document asks. */
    static String userAgent() {
        String version = TokenCommand.class.getPackage().getImplementationVersion();
        return version == null ? "bigledger-auth-cli" : "bigledger-auth-cli/" + version;
    }

    /** The checked settings of one run. The client secret is not among them: only its reference. */
    private static final class Settings {
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
    private static final class RefreshSource {
        final CredentialRef ref;
        final boolean record;
        final boolean byDefault;

        RefreshSource(CredentialRef ref, boolean record, boolean byDefault) {
            this.ref = ref;
            this.record = record;
            this.byDefault = byDefault;
        }
    }

    /**
     * Tells whether a token request has been sent and not yet answered: {@code refreshStarted} is reported when a
     * request goes out (in fleet mode only by the lease holder), and success or failure ends it. Thread-safe.
     */
    private static final class RequestInFlight implements TokenListener {
        private volatile boolean sent;
        private volatile boolean everSent;

        @Override
        public void refreshStarted(String manager, boolean tokenStillServed) {
            sent = true;
            everSent = true;
        }

        @Override
        public void refreshSucceeded(String manager, Duration took, Instant expiresAt, boolean refreshTokenRotated) {
            sent = false;
        }

        @Override
        public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutiveFailures,
                boolean tokenStillServed) {
            sent = false;
        }

        boolean sent() {
            return sent;
        }

        boolean everSent() {
            return everSent;
        }
    }

    /**
     * Says on stderr that the token endpoint is being retried and why, so that a person does not wait out
     * {@code --timeout} in silence. Called on the manager's threads; {@link PrintWriter} locks each line.
     */
    private static final class RetryReport implements TokenListener {
        private final PrintWriter err;
        private final URI endpoint;
        private final Duration timeout;
        private volatile Duration pendingDelay;
        private volatile boolean stopped;

        RetryReport(PrintWriter err, URI endpoint, Duration timeout) {
            this.err = err;
            this.endpoint = endpoint;
            this.timeout = timeout;
        }

        @Override
        public void retryScheduled(String manager, Duration delay, int consecutiveFailures) {
            // The manager schedules the retry, then reports the failure that caused it.
            pendingDelay = delay;
        }

        @Override
        public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutiveFailures,
                boolean tokenStillServed) {
            Duration delay = pendingDelay;
            pendingDelay = null;
            if (delay != null && failure.retryable() && !stopped) {
                err.println(PREFIX + "retrying in " + Durations.format(delay) + ": " + reason(failure) + " ("
                        + endpoint + "; giving up after " + Durations.format(timeout) + ")");
                err.flush();
            }
        }

        void stop() {
            stopped = true;
        }

        /** The cause in a few words: the I/O exception's kind, else the library's one-line message. */
        private static String reason(BigLedgerAuthException failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.ConnectException) {
                    return "connection refused";
                }
                if (cause instanceof java.net.UnknownHostException) {
                    return "unknown host";
                }
                if (cause instanceof java.net.http.HttpTimeoutException) {
                    return "no answer in time";
                }
            }
            return Messages.oneLine(failure.getMessage());
        }
    }

    /** A failure of the run: its exit code and the one line that says what went wrong, without a secret. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Reads {@code form} or {@code json}. */
    static final class FormatConverter implements ITypeConverter<RequestFormat> {
        @Override
        public RequestFormat convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "form":
                    return RequestFormat.FORM;
                case "json":
                    return RequestFormat.JSON;
                default:
                    throw new TypeConversionException("expected form or json: '" + value + "'");
            }
        }
    }

    /** Reads {@code basic} or {@code post}. */
    static final class AuthConverter implements ITypeConverter<ClientAuthentication> {
        @Override
        public ClientAuthentication convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "basic":
                    return ClientAuthentication.CLIENT_SECRET_BASIC;
                case "post":
                    return ClientAuthentication.CLIENT_SECRET_POST;
                default:
                    throw new TypeConversionException("expected basic or post: '" + value + "'");
            }
        }
    }
}
