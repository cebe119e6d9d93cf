package com.bigledger.auth.cli;

import com.bigledger.auth.AuthorizationException;
import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.oauth.TokenResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
 * paste. A one-shot HTTP listener on 127.0.0.1 and a random port is the redirect URI; the authorize URL is printed
 * (and opened in a browser when one is available); the callback's state is checked in constant time; the code is
 * exchanged with the PKCE verifier; the refresh token is written to {@code file:bigledger/refresh_token} by default
 * (or {@code --store REF}), never printed. By default, the command gives up after 5 minutes without a callback.
 * Against BigLedger's token endpoint ({@link Profile#BIGLEDGER}) the client is confidential, as the BigLedger
 * document sends {@code client_secret} in every token request; a public client is an explicit
 * {@code --public-client}, which the document does not describe.
 * Not thread-safe: picocli sets the fields before each run.
 */
@Command(
        name = "login",
        description = {
            "Logs in with the OAuth 2.0 authorization-code flow with PKCE (RFC 7636, RFC 8252): listens once on "
                    + "127.0.0.1 at a random port, prints the authorize URL (and opens it in a browser when one is "
                    + "available), checks the state of the callback, exchanges the code, and stores the refresh "
                    + "token (by default at " + TokenCommand.DEFAULT_REFRESH_TOKEN_REF + "; "
                    + TokenCommand.REFRESH_TOKEN_REF + " or --store REF for another). It is never printed.",
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
            "4:other error: no callback before the timeout, a state mismatch, the server refused or failed, the "
                    + "store failed", ExitCodes.REFUSED_HELP
        })
final class LoginCommand implements java.util.concurrent.Callable<Integer> {

    static final String AUTHORIZATION_ENDPOINT = "BIGLEDGER_AUTHORIZATION_ENDPOINT";
    static final String DEFAULT_AUTHORIZATION_ENDPOINT = "https://auth.bigledger.com/oauth/authorize";

    private static final String PREFIX = "bigledger-auth login: ";
    private static final String CALLBACK_PATH = "/callback";

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

    @Option(names = "--store", paramLabel = "REF", description = "Where the refresh token is written. By default, "
            + TokenCommand.REFRESH_TOKEN_REF + ", else " + TokenCommand.DEFAULT_REFRESH_TOKEN_REF + ".")
    private String storeOption;

    @Option(names = "--format", paramLabel = "FORMAT", converter = TokenCommand.FormatConverter.class,
            description = "Token request body: json or form. By default, json with the bigledger profile, form "
                    + "with oauth2.")
    private RequestFormat formatOption;

    @Option(names = "--login-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = TimeoutOption.Converter.class,
            description = "How long to wait for the browser to come back. By default, ${DEFAULT-VALUE}.")
    private Duration loginTimeout;

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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Stores stores = new Stores(environment, timeoutOption.timeout())) {
            return run(stores, err);
        } catch (Failure f) {
            err.println(PREFIX + f.getMessage());
            return f.exitCode;
        } catch (BigLedgerAuthException e) {
            err.println(PREFIX + Messages.oneLine(e.getMessage()));
            return ExitCodes.ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(Stores stores, PrintWriter err) throws Failure {
        String clientId = setting(stores, clientIdOption, TokenCommand.CLIENT_ID).orElseThrow(() -> new Failure(
                ExitCodes.USAGE, "no client id: pass --client-id ID or set " + TokenCommand.CLIENT_ID));
        URI authorize = uri(setting(stores, authorizationEndpointOption, AUTHORIZATION_ENDPOINT)
                .orElse(DEFAULT_AUTHORIZATION_ENDPOINT), "authorization endpoint");
        URI tokenEndpoint = uri(setting(stores, tokenEndpointOption, TokenCommand.TOKEN_ENDPOINT)
                .orElse(TokenCommand.DEFAULT_TOKEN_ENDPOINT), "token endpoint");
        CredentialRef store = ref(setting(stores, storeOption, TokenCommand.REFRESH_TOKEN_REF)
                .orElse(TokenCommand.DEFAULT_REFRESH_TOKEN_REF), "--store");
        Set<String> scopes = new LinkedHashSet<>();
        if (scopeOptions != null) {
            scopeOptions.forEach(s -> scopes.addAll(List.of(s.strip().split("\\s+"))));
        } else {
            setting(stores, null, TokenCommand.SCOPES).ifPresent(s -> scopes.addAll(List.of(s.strip().split("\\s+"))));
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

        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new Failure(ExitCodes.ERROR, "cannot listen on the loopback address: " + e.getMessage());
        }
        CompletableFuture<URI> callback = new CompletableFuture<>();
        URI redirect = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + CALLBACK_PATH);
        server.createContext(CALLBACK_PATH, exchange -> answer(exchange, redirect, callback));
        server.start();
        try {
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
            if (!noBrowser) {
                browser.accept(request.uri());
            }
            URI returned = await(callback);
            AuthorizationResponse response;
            try {
                response = AuthorizationResponse.parse(returned, request);
            } catch (AuthorizationException e) {
                throw new Failure(ExitCodes.ERROR, Messages.oneLine(e.getMessage()));
            }
            TokenResponse tokens;
            try {
                tokens = client.exchangeCode(response.code(), redirect, request.pkce().verifier());
            } catch (ReauthenticationRequiredException e) {
                throw new Failure(ExitCodes.REFUSED, Messages.oneLine(e.getMessage()));
            }
            Secret refreshToken = tokens.refreshToken().orElseThrow(() -> new Failure(ExitCodes.ERROR,
                    "the token endpoint " + TokenCommand.shown(tokenEndpoint) + " returned no refresh token; ask "
                            + "for a scope that grants one (such as offline_access) or allow the client to get one"));
            WriteResult written = stores.vault().write(store, refreshToken, Optional.empty());
            if (!written.isWritten()) {
                throw new Failure(ExitCodes.ERROR, "the refresh token could not be written to " + store + ": " + written);
            }
            err.println("Logged in. The refresh token is stored at " + store
                    + written.version().map(v -> " (version " + v + ")").orElse("") + ".");
            return ExitCodes.OK;
        } finally {
            server.stop(0);
        }
    }

    private URI await(CompletableFuture<URI> callback) throws Failure {
        try {
            return callback.get(loginTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Failure(ExitCodes.ERROR, "no callback came from the browser within " + loginTimeout.toSeconds()
                    + " s; run login again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ExitCodes.ERROR, "interrupted while waiting for the browser");
        } catch (ExecutionException e) {
            throw new Failure(ExitCodes.ERROR, "the callback failed");
        }
    }

    /** Takes the first callback only; the page tells the user to go back to the terminal. */
    private static void answer(HttpExchange exchange, URI redirect, CompletableFuture<URI> callback)
            throws IOException {
        try (exchange) {
            boolean first = false;
            if ("GET".equals(exchange.getRequestMethod())) {
                String rawQuery = exchange.getRequestURI().getRawQuery();
                first = callback.complete(URI.create(redirect + (rawQuery == null ? "" : "?" + rawQuery)));
            }
            byte[] page = (first ? "<!DOCTYPE html><title>bigledger-auth</title><p>Done: you may close this window "
                    + "and go back to the terminal.</p>" : "<!DOCTYPE html><title>bigledger-auth</title><p>This "
                    + "login was already answered.</p>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(first ? 200 : 400, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        }
    }

    private Optional<CredentialRef> secretRef(Stores stores) throws Failure {
        if (clientSecretRefOption != null) {
            return Optional.of(ref(clientSecretRefOption, "--client-secret-ref"));
        }
        Optional<String> fromVariable = setting(stores, null, TokenCommand.CLIENT_SECRET_REF);
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

    private static Optional<String> setting(Stores stores, String option, String variable) {
        if (option != null) {
            return Optional.of(option);
        }
        return stores.variable(variable).map(Secret::reveal);
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

    /** A failure of the run: its exit code and one line without a secret. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }
}
