package com.bigledger.auth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.cli.CliInProcess;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import com.bigledger.auth.testing.Canary;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bigledger-auth login} end to end against Spring Authorization Server, then {@code token --refresh-token}
 * with rotation.
 *
 * <p>The command line runs in the test JVM ({@link CliInProcess}) over an environment of its own: the server's
 * endpoints, the confidential client {@code login-client} (its secret in the secrets file), and a secrets file made
 * here with a cheap Argon2id cost. {@code login} listens on 127.0.0.1 at a random port and prints the authorize URL;
 * the {@link Browser} takes that URL from the command's output, logs in through the server's form and follows the
 * redirects to the command's listener. The refresh token must end up in the vault and nowhere in the output; each
 * {@code token --refresh-token} must print a live access token and replace the stored refresh token, the replaced
 * one then refused with {@code invalid_grant}. Every server-issued value is a {@link Canary}, so the leak scans look
 * for it in the output and the TRACE log.
 */
class LoginIT {

    private static final String CLIENT_ID = "login-client";
    private static final CredentialRef REFRESH_TOKEN = CredentialRef.parse("file:bigledger/refresh_token");
    private static final CredentialRef CLIENT_SECRET = CredentialRef.parse("file:bigledger/client_secret");
    private static final Pattern AUTHORIZE_LINE = Pattern.compile("(?m)^\\s+(http://127\\.0\\.0\\.1:\\d+/oauth2/"
            + "authorize\\?\\S+)\\R");
    private static final Pattern LOOPBACK_CALLBACK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/callback");

    @TempDir
    Path folder;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void logsInThroughTheBrowserThenRefreshesWithRotation() throws Exception {
        AuthServer server = AuthServer.shared();
        Secret passphrase = Canary.secret("");
        Path vaultFile = folder.resolve("vault.blgv");
        try (FileCredentialSource vault = FileCredentialSource.builder()
                .file(vaultFile)
                .passphrase(passphrase)
                .kdfParameters(KdfParameters.argon2id(64, 1, 1))
                .allowWeakKdf(true)
                .build()) {
            // Creates the file, with the cheap cost in its header that the command then reads.
            assertThat(vault.write(CLIENT_SECRET, server.clientSecret(CLIENT_ID), Optional.empty()).isWritten())
                    .isTrue();
            Map<String, String> environment = Map.of(
                    "BIGLEDGER_AUTHORIZATION_ENDPOINT", server.authorizationEndpoint().toString(),
                    "BIGLEDGER_TOKEN_ENDPOINT", server.tokenEndpoint().toString(),
                    "BIGLEDGER_CLIENT_ID", CLIENT_ID,
                    "BIGLEDGER_CLIENT_SECRET_REF", CLIENT_SECRET.toString(),
                    "BIGLEDGER_SECRETS_FILE", vaultFile.toString(),
                    "BIGLEDGER_SECRETS_PASSPHRASE", passphrase.reveal(),
                    FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true",
                    // A plain refresh token, not the token record: each token run then refreshes, and the rotation
                    // is seen run by run. The record's own behaviour is checked by the cli module's tests.
                    "BIGLEDGER_REFRESH_TOKEN_REF", REFRESH_TOKEN.toString());

            // login, on its own thread: it waits for the browser's callback.
            StringWriter loginOut = new StringWriter();
            UrlWatcher loginErr = new UrlWatcher();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            Future<Integer> login;
            try {
                login = executor.submit(() -> CliInProcess.run(environment, loginOut, loginErr, "login",
                        "--no-browser", "--allow-insecure-loopback", "--format", "form", "--scope", "api.read",
                        "--login-timeout", "60s"));
                URI authorize = loginErr.url.get(30, TimeUnit.SECONDS);
                String redirect = query(authorize, "redirect_uri");
                assertThat(redirect).as("redirect URI").matches(LOOPBACK_CALLBACK);

                Browser browser = new Browser();
                URI callback = browser.authorize(server, authorize, URI.create(redirect));
                assertThat(query(callback, "code")).as("the server's code").isNotEmpty();
                HttpResponse<String> page = browser.get(callback);
                assertThat(page.statusCode()).as("the command's callback page").isEqualTo(200);

                assertThat(login.get(30, TimeUnit.SECONDS)).as("login exit code; stderr: %s", loginErr)
                        .isZero();
            } finally {
                executor.shutdownNow();
            }
            Secret stored = vault.load(REFRESH_TOKEN).secret();
            Canary.remember(stored.reveal());
            assertThat(server.isActive(stored)).as("the stored refresh token is live").isTrue();
            assertThat((loginOut + loginErr.toString()).contains(stored.reveal()))
                    .as("the refresh token printed by login").isFalse();
            assertThat(loginOut.toString()).as("login prints nothing on stdout").isEmpty();

            OAuthClient client = server.client(CLIENT_ID).build();
            List<Secret> history = new ArrayList<>(List.of(stored));
            for (int i = 0; i < 2; i++) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exitCode = CliInProcess.run(environment, out, err, "token", "--refresh-token",
                        "--allow-insecure-loopback", "--format", "form");
                assertThat(exitCode).as("token %d exit code; stderr: %s", i, err).isZero();
                String accessToken = out.toString().strip();
                Canary.remember(accessToken);
                assertThat(accessToken).as("token %d prints one token", i).isNotEmpty().doesNotContainAnyWhitespaces();
                assertThat(server.isActive(Secret.of(accessToken))).as("access token %d live", i).isTrue();

                Secret rotated = vault.load(REFRESH_TOKEN).secret();
                Canary.remember(rotated.reveal());
                Secret previous = history.get(history.size() - 1);
                assertThat(rotated.equals(previous)).as("token %d rotated the stored refresh token", i).isFalse();
                assertThat((out + err.toString()).contains(rotated.reveal()) || (out + err.toString())
                        .contains(previous.reveal())).as("token %d printed a refresh token", i).isFalse();
                history.add(rotated);

                ReauthenticationRequiredException refused = catchThrowableOfType(
                        ReauthenticationRequiredException.class, () -> client.refresh(previous, Set.of("api.read")));
                assertThat(refused).as("the replaced refresh token %d refused", i).isNotNull();
                assertThat(refused.errorCode()).contains("invalid_grant");
            }
            assertThat(server.isActive(history.get(history.size() - 1))).as("the newest refresh token is live")
                    .isTrue();
        }
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + uri.getPath());
    }

    /** The command's standard error, which completes {@link #url} once the authorize URL's line is printed. */
    private static final class UrlWatcher extends Writer {
        final CompletableFuture<URI> url = new CompletableFuture<>();
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(char[] buffer, int offset, int length) {
            text.append(buffer, offset, length);
            if (!url.isDone()) {
                Matcher matcher = AUTHORIZE_LINE.matcher(text);
                if (matcher.find()) {
                    url.complete(URI.create(matcher.group(1)));
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
