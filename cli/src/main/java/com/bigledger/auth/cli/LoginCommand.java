package com.bigledger.auth.cli;

import com.bigledger.auth.AuthorizationException;
import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bigledger-auth login}: the OAuth 2.0 authorization-code flow with PKCE for a person at a terminal, as
 * RFC 8252 describes for native applications, ending with the refresh token in a store.
 *
 * <p>Why a loopback listener: the browser hands the code back to this process directly, with nothing to copy and
 * paste. An HTTP listener on 127.0.0.1 and a random port (or the loopback address and port {@code --redirect-uri}
 * names, and only that address) is the redirect URI; the authorize URL is printed (and opened in a browser when one
 * is available); requests that do not carry this login's state are answered 400 and ignored
 * ({@link CallbackListener}); the code is
 * exchanged with the PKCE verifier; the refresh token is written, never printed, as a new generation of the token
 * record at {@code file:bigledger/token_record} by default (or {@code --token-record REF}), the record that
 * {@code token} and fleet-mode {@link com.bigledger.auth.TokenManager TokenManager}s share, or as a plain refresh
 * token at {@code --store REF}. By default, the command gives up after 5 minutes without a callback.
 * Against BigLedger's token endpoint ({@link Profile#BIGLEDGER}) the client is confidential, as the BigLedger
 * document sends {@code client_secret} in every token request; a public client is an explicit
 * {@code --public-client}, which the document does not describe.
 * Not thread-safe: picocli sets the fields before each run.
 */
@Command(
        name = "login",
        description = {
            "Logs in with the OAuth 2.0 authorization-code flow with PKCE (RFC 7636, RFC 8252): listens on "
                    + "127.0.0.1 at a random port (or where --redirect-uri says), prints the authorize URL (and opens "
                    + "it in a browser when one is available), answers 400 to and ignores any request without this "
                    + "login's state, exchanges the code, and stores the refresh "
                    + "token in a token record (by default at " + TokenCommand.DEFAULT_TOKEN_RECORD_REF + "; "
                    + "--token-record REF or " + TokenCommand.TOKEN_RECORD_REF + " for another), or as a plain "
                    + "refresh token with --store REF or " + TokenCommand.REFRESH_TOKEN_REF + ". It is never printed.",
            "Then 'bigledger-auth token' gets access tokens with it (with --refresh-token for servers other than "
                    + "BigLedger's).",
            "",
            "Settings, the option winning: --authorization-endpoint or " + LoginCommand.AUTHORIZATION_ENDPOINT
                    + " (by default " + LoginCommand.DEFAULT_AUTHORIZATION_ENDPOINT + "), --token-endpoint or "
                    + TokenCommand.TOKEN_ENDPOINT + ", --client-id or " + TokenCommand.CLIENT_ID + ", and the client "
                    + "secret: --client-secret-ref or " + TokenCommand.CLIENT_SECRET_REF + " (or "
                    + TokenCommand.CLIENT_SECRET + ").",
            "BigLedger's token endpoint (the default; profile bigledger) takes client_secret in every request, so "
                    + "a secret is required there unless --public-client; other servers (profile oauth2) take a "
                    + "public client when no secret is set."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:logged in: the refresh token was stored", ExitCodes.USAGE_HELP, ExitCodes.NOT_FOUND_HELP,
            "4:other error: no callback with this login's state before the timeout, the server refused or "
                    + "failed, the store failed", ExitCodes.REFUSED_HELP
        })
final class LoginCommand implements java.util.concurrent.Callable<Integer> {

    static final String AUTHORIZATION_ENDPOINT = "BIGLEDGER_AUTHORIZATION_ENDPOINT";
    static final String DEFAULT_AUTHORIZATION_ENDPOINT = "https://auth.bigledger.com/oauth/authorize";
    static final String REDIRECT_URI = "BIGLEDGER_REDIRECT_URI";

    private static final String PREFIX = "bigledger-auth login: ";

    private final Map<String, String> environment;
    private final Consumer<URI> browser;

    @Option(names = "--authorization-endpoint", paramLabel = "URL",
            description = "The authorize URL. By default, " + AUTHORIZATION_ENDPOINT + ", else BigLedger's.")
    private String authorizationEndpointOption;

    @Option(names = "--token-endpoint", paramLabel = "URL",
            description = "The token endpoint. By default, " + TokenCommand.TOKEN_ENDPOINT + ", else BigLedger's.")
    private String tokenEndpointOption;

    @Option(names = "--client-id", paramLabel = "ID", description = "The client id. Required.")
    private String clientIdOption;

    @Option(names = "--client-secret-ref", paramLabel = "REF",
            description = "The client secret's reference. By default, " + TokenCommand.CLIENT_SECRET_REF + ", else "
                    + "env:" + TokenCommand.CLIENT_SECRET + " if that is set; required with the bigledger profile "
                    + "unless --public-client.")
    private String clientSecretRefOption;

    @Option(names = "--profile", paramLabel = "PROFILE", converter = Profile.Converter.class,
            description = "The kind of token endpoint: bigledger (JSON bodies, a client secret, one-hour tokens when "
                    + "expires_in is missing) or oauth2 (RFC 6749). By default, bigledger for bigledger.com and its "
                    + "subdomains, oauth2 for other hosts.")
    private Profile profileOption;

    @Option(names = "--public-client",
            description = "The client has no secret and relies on PKCE alone. The BigLedger document does not "
                    + "describe public clients; use this only for one registered as such.")
    private boolean publicClient;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope to ask for; repeat for more. By "
            + "default, " + TokenCommand.SCOPES + ", else none (the server's default).")
    private List<String> scopeOptions;

    @Option(names = "--token-record", paramLabel = "REF",
            description = "The token record the refresh token is written to, as its next generation, in a store "
                    + "with compare-and-set writes (file:, vault: with KV version 2, aws-sm:). By default, "
                    + TokenCommand.TOKEN_RECORD_REF + ", else " + TokenCommand.DEFAULT_TOKEN_RECORD_REF + ".")
    private String tokenRecordOption;

    @Option(names = "--store", paramLabel = "REF", description = "Write a plain refresh token at REF (or "
            + TokenCommand.REFRESH_TOKEN_REF + ") instead of a token record, for 'token --refresh-token-ref'. Not "
            + "with --token-record.")
    private String storeOption;

    @Option(names = "--format", paramLabel = "FORMAT", converter = TokenCommand.FormatConverter.class,
            description = "Token request body: json or form. By default, json with the bigledger profile, form "
                    + "with oauth2.")
    private RequestFormat formatOption;

    @Option(names = "--login-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = TimeoutOption.Converter.class,
            description = "How long to wait for the browser to come back. By default, ${DEFAULT-VALUE}.")
    private Duration loginTimeout;

    @Option(names = "--redirect-uri", paramLabel = "URL",
            description = "Where the browser comes back: http on 127.0.0.1, [::1] or localhost (served on 127.0.0.1 "
                    + "only); without a port, a free one. Only that address is listened on. By default, "
                    + REDIRECT_URI + ", else " + "http://127.0.0.1/callback at a free port.")
    private String redirectUriOption;

    @Option(names = "--no-browser", description = "Only print the URL; do not try to open a browser.")
    private boolean noBrowser;

    @Option(names = "--allow-insecure-loopback",
            description = "Allow http endpoints on a loopback host, for tests and local servers.")
    private boolean allowInsecureLoopback;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean helpRequested;

    @Mixin
    private TimeoutOption timeoutOption;

    @Spec
    private CommandSpec spec;

    /**
     * Creates the command.
     *
     * @param environment the variables the settings and stores are read from
     * @param browser opens the authorize URL for the user; may do nothing
     */
    LoginCommand(Map<String, String> environment, Consumer<URI> browser) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.browser = Objects.requireNonNull(browser, "browser");
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        return CommandRun.run(spec, PREFIX, () -> {
            try (Stores stores = new Stores(environment, timeoutOption.timeout(), Stores.warnings(err))) {
                return run(stores, err);
            } catch (EnvironmentSettings.InvalidSettingException e) {
                throw new Failure(ExitCodes.CONFIGURATION, Messages.oneLine(e.getMessage()));
            } catch (BigLedgerAuthException e) {
                throw new Failure(ExitCodes.ERROR, Messages.oneLine(e.getMessage()));
            }
        });
    }

    private int run(Stores stores, PrintWriter err) throws Failure {
        String clientId = stores.setting(clientIdOption, TokenCommand.CLIENT_ID).orElseThrow(() -> new Failure(
                ExitCodes.USAGE, "no client id: pass --client-id ID or set " + TokenCommand.CLIENT_ID));
        URI authorize = uri(stores.setting(authorizationEndpointOption, AUTHORIZATION_ENDPOINT)
                .orElse(DEFAULT_AUTHORIZATION_ENDPOINT), "authorization endpoint");
        URI tokenEndpoint = uri(stores.setting(tokenEndpointOption, TokenCommand.TOKEN_ENDPOINT)
                .orElse(TokenCommand.DEFAULT_TOKEN_ENDPOINT), "token endpoint");
        Destination destination = destination(stores);
        CredentialRef store = destination.ref;
        Set<String> scopes = new LinkedHashSet<>();
        if (scopeOptions != null) {
            scopeOptions.forEach(s -> scopes.addAll(List.of(s.strip().split("\\s+"))));
        } else {
            stores.setting(null, TokenCommand.SCOPES).ifPresent(s -> scopes.addAll(List.of(s.strip().split("\\s+"))));
        }
        scopes.remove("");
        Profile profile = profileOption != null ? profileOption : Profile.of(tokenEndpoint);
        Optional<CredentialRef> secretRef = publicClient ? Optional.empty() : secretRef(stores);
        if (secretRef.isEmpty() && !publicClient && profile == Profile.BIGLEDGER) {
            throw new Failure(ExitCodes.USAGE, "no client secret: BigLedger's token endpoint takes client_secret in "
                    + "every token request; set " + TokenCommand.CLIENT_SECRET + ", or give its reference with "
                    + "--client-secret-ref REF or " + TokenCommand.CLIENT_SECRET_REF + " (for a client registered as "
                    + "public, which the BigLedger document does not describe, pass --public-client)");
        }

        URI redirectAsked;
        try {
            redirectAsked = CallbackListener.check(new URI(stores.setting(redirectUriOption, REDIRECT_URI)
                    .orElse(CallbackListener.DEFAULT_REDIRECT_URI.toString()).strip()));
        } catch (URISyntaxException e) {
            throw new Failure(ExitCodes.USAGE, "the redirect URI (--redirect-uri or " + REDIRECT_URI + ") is not a "
                    + "valid URL: " + e.getReason());
        } catch (IllegalArgumentException e) {
            throw new Failure(ExitCodes.USAGE, "the redirect URI (--redirect-uri or " + REDIRECT_URI + ") "
                    + e.getMessage());
        }
        CallbackListener listener;
        try {
            listener = CallbackListener.bind(redirectAsked);
        } catch (IOException e) {
            throw new Failure(ExitCodes.ERROR, "cannot listen at " + redirectAsked + ": " + e.getMessage());
        }
        URI redirect = listener.redirectUri();
        try (listener) {
            AuthorizationRequest request;
            OAuthClient client;
            try {
                request = AuthorizationRequest.builder()
                        .authorizationEndpoint(authorize)
                        .clientId(clientId)
                        .redirectUri(redirect)
                        .scopes(scopes)
                        .allowInsecureLoopback(allowInsecureLoopback)
                        .build();
                RequestFormat format = formatOption != null ? formatOption : profile.format();
                OAuthClient.Builder builder = profile.configure(OAuthClient.builder()
                        .tokenEndpoint(tokenEndpoint)
                        .clientId(clientId)
                        .requestFormat(format)
                        .allowInsecureLoopback(allowInsecureLoopback));
                if (secretRef.isPresent()) {
                    builder.clientSecret(resolve(stores, secretRef.get()))
                            .clientAuthentication(TokenCommand.defaultAuthentication(format));
                } else {
                    builder.clientAuthentication(ClientAuthentication.NONE);
                }
                client = builder.build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new Failure(ExitCodes.USAGE, Messages.oneLine(e.getMessage()));
            }

            err.println("Open this URL in a browser to log in (waiting " + loginTimeout.toSeconds() + " s):");
            err.println("  " + request.uri());
            err.flush();
            listener.start(request);
            if (!noBrowser) {
                browser.accept(request.uri());
            }
            AuthorizationResponse response = await(listener);
            TokenResponse tokens;
            try {
                tokens = client.exchangeCode(response.code(), redirect, request.pkce().verifier());
            } catch (ReauthenticationRequiredException e) {
                throw new Failure(ExitCodes.REFUSED, Messages.oneLine(e.getMessage()));
            }
            Secret refreshToken = tokens.refreshToken().orElseThrow(() -> new Failure(ExitCodes.ERROR,
                    "the token endpoint " + TokenCommand.shown(tokenEndpoint) + " returned no refresh token; ask "
                            + "for a scope that grants one (such as offline_access) or allow the client to get one"));
            if (destination.record) {
                long generation;
                try {
                    // A new generation, compare-and-set: processes running 'token' on the record meanwhile see it.
                    generation = TokenManager.storeRefreshToken(stores.vault(), store, refreshToken);
                } catch (CredentialException e) {
                    throw new Failure(ExitCodes.ERROR, "the refresh token could not be written to the token record "
                            + "at " + store + ": " + Messages.oneLine(e.getMessage()));
                }
                err.println("Logged in. The refresh token is stored in the token record at " + store
                        + " (generation " + generation + ").");
                return ExitCodes.OK;
            }
            WriteResult written = stores.vault().write(store, refreshToken, Optional.empty());
            if (!written.isWritten()) {
                throw new Failure(ExitCodes.ERROR, "the refresh token could not be written to " + store + ": " + written);
            }
            err.println("Logged in. The refresh token is stored at " + store
                    + written.version().map(v -> " (version " + v + ")").orElse("") + ".");
            return ExitCodes.OK;
        }
    }

    /**
     * Chooses where the refresh token goes, before the browser is involved: the token record unless a plain
     * reference is given, the two together being a usage error. A record in a store without compare-and-set is
     * refused here, not after the person has logged in.
     */
    private Destination destination(Stores stores) throws Failure {
        if (tokenRecordOption != null && storeOption != null) {
            throw new Failure(ExitCodes.USAGE, "--token-record and --store conflict: give one, --token-record REF "
                    + "for a token record that several processes can share, or --store REF for a plain refresh "
                    + "token");
        }
        boolean record;
        CredentialRef ref;
        if (tokenRecordOption != null || storeOption != null) {
            record = tokenRecordOption != null;
            ref = record ? ref(tokenRecordOption, "--token-record") : ref(storeOption, "--store");
        } else {
            Optional<String> recordVariable = stores.setting(null, TokenCommand.TOKEN_RECORD_REF);
            Optional<String> plainVariable = stores.setting(null, TokenCommand.REFRESH_TOKEN_REF);
            if (recordVariable.isPresent() && plainVariable.isPresent()) {
                throw new Failure(ExitCodes.USAGE, TokenCommand.TOKEN_RECORD_REF + " and "
                        + TokenCommand.REFRESH_TOKEN_REF + " are both set; set only one");
            }
            record = plainVariable.isEmpty();
            ref = record ? ref(recordVariable.orElse(TokenCommand.DEFAULT_TOKEN_RECORD_REF),
                    TokenCommand.TOKEN_RECORD_REF) : ref(plainVariable.get(), TokenCommand.REFRESH_TOKEN_REF);
        }
        if (record) {
            boolean compareAndSet;
            try {
                compareAndSet = stores.vault().supportsCompareAndSet(ref);
            } catch (RuntimeException e) {
                throw new Failure(ExitCodes.CONFIGURATION, "the token record at " + ref + ": "
                        + Messages.oneLine(e.getMessage()));
            }
            if (!compareAndSet) {
                throw new Failure(ExitCodes.USAGE, "the token record at " + ref + " needs a store with "
                        + "compare-and-set writes, and the '" + ref.scheme() + "' store has none for it (use file:, "
                        + "vault: with KV version 2, or aws-sm:)");
            }
        }
        return new Destination(ref, record);
    }

    /** Where the refresh token is written: a token record, or a plain refresh token. */
    private static final class Destination {
        final CredentialRef ref;
        final boolean record;

        Destination(CredentialRef ref, boolean record) {
            this.ref = ref;
            this.record = record;
        }
    }

    private AuthorizationResponse await(CallbackListener listener) throws Failure {
        try {
            return listener.await(loginTimeout);
        } catch (TimeoutException e) {
            throw new Failure(ExitCodes.ERROR, "no callback came from the browser within " + loginTimeout.toSeconds()
                    + " s; run login again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ExitCodes.ERROR, "interrupted while waiting for the browser");
        } catch (AuthorizationException e) {
            throw new Failure(ExitCodes.ERROR, Messages.oneLine(e.getMessage()));
        }
    }

    private Optional<CredentialRef> secretRef(Stores stores) throws Failure {
        if (clientSecretRefOption != null) {
            return Optional.of(ref(clientSecretRefOption, "--client-secret-ref"));
        }
        Optional<String> fromVariable = stores.setting(null, TokenCommand.CLIENT_SECRET_REF);
        if (fromVariable.isPresent()) {
            return Optional.of(ref(fromVariable.get(), TokenCommand.CLIENT_SECRET_REF));
        }
        return stores.variable(TokenCommand.CLIENT_SECRET).isPresent()
                ? Optional.of(CredentialRef.of("env", TokenCommand.CLIENT_SECRET)) : Optional.empty();
    }

    private static Secret resolve(Stores stores, CredentialRef ref) throws Failure {
        try {
            return stores.vault().handle(ref).get();
        } catch (CredentialNotFoundException e) {
            throw new Failure(ExitCodes.NOT_FOUND, Messages.oneLine(e.getMessage()));
        }
    }

    private URI uri(String text, String what) throws Failure {
        try {
            URI uri = new URI(text.strip());
            if ("http".equalsIgnoreCase(uri.getScheme()) && !allowInsecureLoopback) {
                throw new Failure(ExitCodes.USAGE, "the " + what + " " + TokenCommand.shown(uri) + " uses http: "
                        + "only https is allowed, except to a loopback host with --allow-insecure-loopback");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Failure(ExitCodes.USAGE, "the " + what + " is not a valid URL: " + e.getReason());
        }
    }

    private static CredentialRef ref(String text, String what) throws Failure {
        try {
            return CredentialRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failure(ExitCodes.USAGE, what + ": " + Messages.without(e.getMessage(), text));
        }
    }

    /**
     * Opens a URL in the desktop's browser when there is a desktop (xdg-open, or open on macOS); otherwise does
     * nothing, and the printed URL is all there is.
     *
     * @return the opener
     */
    static Consumer<URI> systemBrowser() {
        return uri -> {
            String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
            List<String> command;
            if (os.contains("mac")) {
                command = List.of("open", uri.toString());
            } else if (System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null) {
                command = List.of("xdg-open", uri.toString());
            } else {
                return;
            }
            try {
                new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                // No opener installed: the URL is printed above.
            }
        };
    }
}
