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
import com.bigledger.auth.internal.Durations;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code bigledger-auth token}: gets an access token with the {@code client_credentials} grant through a
 * {@link TokenManager} and prints it alone on stdout, for {@code $(bigledger-auth token)} in scripts. With
 * {@code --refresh-token}, the {@code refresh_token} grant with the token at a reference (where {@code login} put
 * it), each rotated refresh token written back before the access token is printed.
 *
 * <p>Each setting is an option or an environment variable, the option winning; variables are read through the
 * environment store, so a {@code .env} file named by {@code BIGLEDGER_DOTENV} counts. The client secret is taken
 * only by reference ({@code --client-secret-ref}, {@code BIGLEDGER_CLIENT_SECRET_REF}, or by default
 * {@code env:BIGLEDGER_CLIENT_SECRET}), never as an option value, which shell history and process lists would
 * keep. Failures are one line on stderr naming the endpoint or the reference, never a secret; a client the token
 * endpoint refuses has its own exit code, {@link ExitCodes#REFUSED}. Not thread-safe: picocli sets its fields
 * before each run.
 */
@Command(
        name = "token",
        description = {
            "Gets an OAuth 2.0 access token with the client_credentials grant (or, with --refresh-token, the "
                    + "refresh_token grant and the refresh token 'login' stored) and prints it alone on stdout, "
                    + "followed by a newline, for scripts.",
            "  TOKEN=$(bigledger-auth token)",
            "With --header, prints 'Authorization: Bearer TOKEN' instead. With --verbose, also prints the settings, "
                    + "the token's expiry and its scopes on stderr (never the token).",
            "",
            "Each setting is an option or an environment variable; the option wins:",
            "  --token-endpoint     " + TokenCommand.TOKEN_ENDPOINT,
            "                       (by default " + TokenCommand.DEFAULT_TOKEN_ENDPOINT + ")",
            "  --client-id          " + TokenCommand.CLIENT_ID + " (required)",
            "  --client-secret-ref  " + TokenCommand.CLIENT_SECRET_REF,
            "                       (by default env:" + TokenCommand.CLIENT_SECRET + " if that is set)",
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
                    + "connection). A refused client fails at once."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success: the token was printed", ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP, "3:the client secret was not found at its "
                    + "reference", ExitCodes.ERROR_HELP, ExitCodes.REFUSED_HELP
        })
final class TokenCommand implements Callable<Integer> {

    /** The production authorization server's token endpoint, as the BigLedger authentication document gives it. */
    static final String DEFAULT_TOKEN_ENDPOINT = "https://auth.bigledger.com/oauth/token";

    static final String TOKEN_ENDPOINT = "BIGLEDGER_TOKEN_ENDPOINT";
    static final String CLIENT_ID = "BIGLEDGER_CLIENT_ID";
    static final String CLIENT_SECRET = "BIGLEDGER_CLIENT_SECRET";
    static final String CLIENT_SECRET_REF = "BIGLEDGER_CLIENT_SECRET_REF";
    static final String SCOPES = "BIGLEDGER_SCOPES";
    static final String REFRESH_TOKEN_REF = "BIGLEDGER_REFRESH_TOKEN_REF";

    /** Where {@code login} stores the refresh token, and {@code token --refresh-token} reads it, by default. */
    static final String DEFAULT_REFRESH_TOKEN_REF = "file:bigledger/refresh_token";

    private static final String PREFIX = "bigledger-auth token: ";

    private final Map<String, String> environment;

    @Option(names = "--token-endpoint", paramLabel = "URL",
            description = "The token endpoint's URL. By default, the BigLedger authorization server's (see above).")
    private String tokenEndpointOption;

    @Option(names = "--client-id", paramLabel = "ID", description = "The client id. Required.")
    private String clientIdOption;

    @Option(names = "--client-secret-ref", paramLabel = "REF",
            description = "The reference of the client secret (see above). By default, the secret is read from "
                    + CLIENT_SECRET + ".")
    private String clientSecretRefOption;

    /** Taken only to refuse it without echoing it: picocli would quote an unknown option's value. */
    @Option(names = "--client-secret", paramLabel = "SECRET", hidden = true)
    private String plainClientSecret;

    @Option(names = "--scope", paramLabel = "SCOPE",
            description = "A scope to ask for, such as read:accounts; repeat the option for more. By default, "
                    + "none: the server's default scopes.")
    private List<String> scopeOptions;

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "How the request body is encoded: json (what the BigLedger token endpoint takes) or form "
                    + "(RFC 6749). By default, json for bigledger.com and its subdomains, form for other hosts.")
    private RequestFormat formatOption;

    @Option(names = "--auth", paramLabel = "METHOD", converter = AuthConverter.class,
            description = "How the client authenticates: post (client_id and client_secret in the body, what the "
                    + "BigLedger token endpoint expects) or basic (an Authorization: Basic header, RFC 6749). By "
                    + "default, post with the json format, basic with form.")
    private ClientAuthentication authOption;

    @Option(names = "--allow-insecure-loopback",
            description = "Allow an http token endpoint on a loopback host (127.0.0.1, ::1, localhost), for tests "
                    + "and local servers. Other hosts always need https.")
    private boolean allowInsecureLoopback;

    @Option(names = "--refresh-token",
            description = "Use the refresh_token grant with the refresh token at " + REFRESH_TOKEN_REF + " (by "
                    + "default " + DEFAULT_REFRESH_TOKEN_REF + ", where login stores it) instead of "
                    + "client_credentials. A rotated refresh token is written back there before the access token "
                    + "is printed. The client secret is optional then (a public client).")
    private boolean refreshTokenMode;

    @Option(names = "--refresh-token-ref", paramLabel = "REF",
            description = "Like --refresh-token, with the refresh token at REF.")
    private String refreshTokenRefOption;

    @Option(names = "--header", description = "Print 'Authorization: Bearer TOKEN' instead of the token alone.")
    private boolean header;

    @Option(names = {"-v", "--verbose"},
            description = "Also print the settings, the token's expiry and its scopes on stderr (never the "
                    + "token).")
    private boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean helpRequested;

    @Mixin
    private TimeoutOption timeoutOption;

    @Spec
    private CommandSpec spec;

    /** Creates the command over the process environment. */
    TokenCommand() {
        this(System.getenv());
    }

    /**
     * Creates the command over an environment.
     *
     * @param environment the variables the settings and {@code env:} references are read from
     */
    TokenCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Integer call() {
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
            try (Stores stores = new Stores(environment, timeoutOption.timeout())) {
                Settings settings = settings(stores);
                if (verbose) {
                    settings.print(err);
                }
                Secret clientSecret = settings.secretRef == null ? null : clientSecret(stores, settings.secretRef);
                AccessToken token = fetch(stores, settings, clientSecret, err);
                if (verbose) {
                    printDetails(token, err);
                }
                out.print(header ? "Authorization: Bearer " + token.reveal() : token.reveal());
                out.print('\n');
                return ExitCodes.OK;
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
        URI endpoint = endpoint(setting(stores, tokenEndpointOption, TOKEN_ENDPOINT).orElse(DEFAULT_TOKEN_ENDPOINT));
        String clientId = setting(stores, clientIdOption, CLIENT_ID).orElseThrow(() -> new Failure(ExitCodes.USAGE,
                "no client id: pass --client-id ID or set " + CLIENT_ID));
        Set<String> scopes = scopes(stores);
        CredentialRef refreshRef = refreshTokenRef(stores);
        CredentialRef secretRef = secretRef(stores, refreshRef != null);
        RequestFormat format = formatOption != null ? formatOption : defaultFormat(endpoint);
        ClientAuthentication auth = secretRef == null ? ClientAuthentication.NONE
                : authOption != null ? authOption : defaultAuthentication(format);
        try {
            // A public client of the same endpoint and id checks them before any store or server is called.
            OAuthClient.builder()
                    .tokenEndpoint(endpoint)
                    .clientId(clientId)
                    .allowInsecureLoopback(allowInsecureLoopback)
                    .build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The endpoint's shape or transport, or the client id; the messages quote no credential.
            throw new Failure(ExitCodes.USAGE, inCommandLineTerms(Messages.oneLine(e.getMessage())));
        }
        return new Settings(endpoint, clientId, scopes, secretRef, format, auth, refreshRef);
    }

    /** The refresh token's reference in refresh-token mode, else {@code null}. */
    private CredentialRef refreshTokenRef(Stores stores) throws Failure {
        if (refreshTokenRefOption == null && !refreshTokenMode) {
            return null;
        }
        String text = refreshTokenRefOption != null ? refreshTokenRefOption
                : setting(stores, null, REFRESH_TOKEN_REF).orElse(DEFAULT_REFRESH_TOKEN_REF);
        try {
            return CredentialRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failure(ExitCodes.USAGE, "the refresh token's reference: " + Messages.without(e.getMessage(),
                    text));
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
            setting(stores, null, SCOPES).ifPresent(value -> scopes.addAll(List.of(split(value))));
        }
        for (String scope : scopes) {
            if (!isScopeToken(scope)) {
                throw new Failure(ExitCodes.USAGE, source + ": not a valid OAuth scope (printable ASCII without "
                        + "space, \" or \\): " + scope.replaceAll("[^\\x21-\\x7e]", "?"));
            }
        }
        return scopes;
    }

    private CredentialRef secretRef(Stores stores, boolean optional) throws Failure {
        String text;
        String source;
        if (clientSecretRefOption != null) {
            text = clientSecretRefOption;
            source = "--client-secret-ref";
        } else {
            Optional<String> fromVariable = setting(stores, null, CLIENT_SECRET_REF);
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
                        + "aws-sm:prod/bigledger#client_secret)");
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
                .tokenEndpoint(settings.endpoint)
                .clientId(settings.clientId)
                .clientAuthentication(settings.auth)
                .requestFormat(settings.format)
                .allowInsecureLoopback(allowInsecureLoopback)
                .userAgent(userAgent());
        if (clientSecret != null) {
            builder.clientSecret(clientSecret);
        }
        RetryReport retries = new RetryReport(err, shown(settings.endpoint), timeoutOption.timeout());
        TokenManager.Builder manager = TokenManager.builder()
                .client(builder.build())
                .addListener(retries)
                .scopes(settings.scopes)
                // The endpoint without its query: the name goes into log lines.
                .name(shown(settings.endpoint).toString())
                .timeout(timeoutOption.timeout());
        if (settings.refreshRef != null) {
            // Each rotated refresh token is written back, compare-and-set, before the access token is handed out.
            manager.refreshToken(stores.vault(), settings.refreshRef);
        } else {
            manager.clientCredentials();
        }
        try (TokenManager tokens = manager.build()) {
            return tokens.token();
        } catch (ReauthenticationRequiredException e) {
            retries.stop();
            throw new Failure(ExitCodes.REFUSED, Messages.oneLine(e.getMessage()));
        } catch (BigLedgerAuthException e) {
            // No retry line after the failure's: a refresh still running when the manager closed stays quiet.
            retries.stop();
            // Messages name the endpoint and never a secret: the client redacts any it sent.
            throw new Failure(ExitCodes.ERROR, Messages.oneLine(e.getMessage()));
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
     * Returns the option's value if it was given, else the variable's, if set and not empty.
     *
     * @throws BigLedgerAuthException if the variable cannot be read
     */
    private static Optional<String> setting(Stores stores, String option, String variable) {
        if (option != null) {
            return Optional.of(option);
        }
        return stores.variable(variable).map(Secret::reveal);
    }

    /**
     * Chooses the request format for an endpoint when none is given: JSON for BigLedger's hosts, whose token
     * endpoint takes JSON, and the RFC 6749 form for any other server.
     *
     * @param endpoint the token endpoint
     * @return {@link RequestFormat#JSON} for {@code bigledger.com} and its subdomains, else {@link RequestFormat#FORM}
     */
    static RequestFormat defaultFormat(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.equals("bigledger.com") || host.endsWith(".bigledger.com") ? RequestFormat.JSON
                : RequestFormat.FORM;
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

    private static String userAgent() {
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
        final CredentialRef refreshRef;

        Settings(URI endpoint, String clientId, Set<String> scopes, CredentialRef secretRef, RequestFormat format,
                ClientAuthentication auth, CredentialRef refreshRef) {
            this.refreshRef = refreshRef;
            this.endpoint = endpoint;
            this.clientId = clientId;
            this.scopes = Set.copyOf(scopes);
            this.secretRef = secretRef;
            this.format = format;
            this.auth = auth;
        }

        void print(PrintWriter err) {
            line(err, "endpoint", shown(endpoint) + " (" + format.name().toLowerCase(Locale.ROOT) + " body)");
            line(err, "client id", clientId + " (" + auth.name().toLowerCase(Locale.ROOT) + ")");
            line(err, "secret ref", secretRef == null ? "(none: a public client)" : secretRef.toString());
            if (refreshRef != null) {
                line(err, "grant", "refresh_token at " + refreshRef);
            }
            line(err, "scopes asked", scopes.isEmpty() ? "(none: the server's default)"
                    : String.join(" ", new TreeSet<>(scopes)));
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
