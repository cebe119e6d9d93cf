package com.bigledger.auth.cli;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenManagerBuilder;
import com.bigledger.auth.TokenRefreshException;
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
 * {@link TokenManagerBuilder#tokenRecord TokenManager} shares: an access token still valid there is printed with no
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

    static final String PREFIX = "bigledger-auth token: ";

    private final Map<String, String> environment;

    /** This run's options, read from the parsed model when it starts. */
    private TokenSettings options;

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

    @Override
    public Integer call() {
        options = TokenSettings.read(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CommandRun.run(spec, PREFIX, () -> run(out, err));
    }

    private int run(PrintWriter out, PrintWriter err) throws Failure {
        if (options.plainClientSecret != null) {
            options.plainClientSecret = null;
            throw new Failure(ExitCodes.USAGE, "--client-secret is not accepted: a secret on the command line "
                    + "stays in shell history and process lists. Put it in " + CLIENT_SECRET + " or a store, "
                    + "and name it with --client-secret-ref REF");
        }
        // The secret and the token are used before the stores close: a value need not outlive its store.
        try (Stores stores = new Stores(environment, options.timeout, Stores.warnings(err))) {
            TokenSettings.Settings settings = options.settings(stores, httpClient);
            if (options.verbose) {
                settings.print(err);
            }
            Secret clientSecret = settings.secretRef == null ? null : clientSecret(stores, settings.secretRef);
            AccessToken token = fetch(stores, settings, clientSecret, err);
            if (options.verbose) {
                printDetails(token, err);
                if (settings.refresh != null && settings.refresh.record) {
                    line(err, "from", tokenRequested ? "the token endpoint (stored in the token record)"
                            : "the token record (no request)");
                }
            }
            out.print(options.header ? "Authorization: Bearer " + token.reveal() : token.reveal());
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
    }

    private static Secret clientSecret(Stores stores, CredentialRef ref) throws Failure {
        try {
            return stores.vault().handle(ref).get();
        } catch (RuntimeException e) {
            // IllegalStateException: the stores on the class path conflict (two for one scheme);
            // IllegalArgumentException: the store does not support an option of the reference.
            if (!CommandRun.isCredentialFailure(e)) {
                throw e;
            }
            throw new Failure(CommandRun.credentialExitCode(e), cannotResolve(ref, e.getMessage()));
        }
    }

    private AccessToken fetch(Stores stores, TokenSettings.Settings settings, Secret clientSecret, PrintWriter err)
            throws Failure {
        OAuthClient.Builder builder = OAuthClient.builder()
                .httpClient(httpClient)
                .tokenEndpoint(settings.endpoint)
                .clientId(settings.clientId)
                .clientAuthentication(settings.auth)
                .requestFormat(settings.format)
                .allowInsecureLoopback(options.allowInsecureLoopback)
                .userAgent(userAgent());
        settings.profile.configure(builder);
        if (clientSecret != null) {
            builder.clientSecret(clientSecret);
        }
        OAuthClient client = builder.build();
        TokenProgress.RetryReport retries = new TokenProgress.RetryReport(err, shown(settings.endpoint),
                options.timeout);
        TokenProgress.RequestInFlight inFlight = new TokenProgress.RequestInFlight();
        TokenManagerBuilder manager = TokenManager.builder()
                .client(client)
                .addListener(retries)
                .addListener(inFlight)
                .scopes(settings.scopes)
                // The endpoint without its query: the name goes into log lines.
                .name(shown(settings.endpoint).toString())
                .timeout(options.timeout)
                // A request sent just before --timeout ended is given the client's whole bound, so that the
                // refresh token it rotates is written back rather than lost when the manager closes.
                .closeTimeout(client.overallTimeout().plus(options.timeout));
        TokenSettings.RefreshSource refresh = settings.refresh;
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
    private static String earlierLoginHint(Stores stores, TokenSettings.RefreshSource refresh,
            ReauthenticationRequiredException e) {
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

    static void line(PrintWriter err, String label, String text) {
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

    private static String cannotResolve(CredentialRef ref, String exceptionMessage) {
        return "cannot resolve the client secret at " + ref + ": " + CommandRun.credentialDetail(ref, exceptionMessage);
    }

    /** The command line's product, sent as {@code User-Agent} as the BigLedger document asks. */
    static String userAgent() {
        String version = TokenCommand.class.getPackage().getImplementationVersion();
        return version == null ? "bigledger-auth-cli" : "bigledger-auth-cli/" + version;
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
