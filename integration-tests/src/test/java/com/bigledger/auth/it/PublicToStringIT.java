package com.bigledger.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.Pkce;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.store.vault.VaultDouble;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code toString} of every public type that holds a secret, built from canary values and from tokens the real
 * server issued, shows none of them; and the TRACE scan itself finds a planted canary and names where.
 */
class PublicToStringIT {

    @Test
    void publicTypesHoldingSecretsPrintNoneOfThem() throws Exception {
        AuthServer server = AuthServer.shared();
        Secret clientSecret = server.clientSecret("tm-client");
        OAuthClient client = server.client("cc-client").build();
        TokenResponse issued = client.clientCredentials(Set.of("api.read"));
        Canary.remember(issued.accessToken().reveal());
        Secret refresh = Canary.secret("blg_oauth_rt_");
        AccessToken token = new AccessToken(issued.accessToken(), Instant.now().plusSeconds(60), Set.of("api.read"));
        Pkce pkce = Pkce.create();
        AuthorizationRequest request = AuthorizationRequest.builder()
                .authorizationEndpoint(server.authorizationEndpoint())
                .clientId("tm-client")
                .redirectUri(AuthServer.REDIRECT_URI)
                .pkce(pkce)
                .allowInsecureLoopback(true)
                .build();
        Canary.remember(pkce.verifier().reveal());
        String code = Canary.value("");
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(AuthServer.REDIRECT_URI + "?code="
                + code + "&state=" + request.state()), request);
        InMemoryCredentialSource memory = new InMemoryCredentialSource("mem");
        CredentialRef ref = memory.put("api_key", Canary.secret("blg_live_sk_"));
        List<Object> printed = new ArrayList<>();
        try (VaultDouble vault = VaultDouble.start(Clock.systemUTC());
                var vaultSource = vault.source();
                CredentialVault credentials = CredentialVault.builder().source(memory).discoverSources(false).build();
                TokenManager manager = TokenManager.builder()
                        .client(server.client("tm-client", server.tokenEndpoint(), clientSecret).build())
                        .refreshToken(refresh)
                        .build()) {
            CredentialHandle handle = credentials.handle(ref);
            VersionedSecret resolved = credentials.resolve(ref);
            printed.addAll(List.of(clientSecret, refresh, token, issued, client, pkce, request, response, handle,
                    handle.get(), resolved, credentials, manager, vaultSource));
            for (Object object : printed) {
                assertThat(Canary.leaksIn(object.toString())).as("toString of %s", object.getClass().getName())
                        .isFalse();
            }
        }
        assertThat(printed).hasSize(14);
    }

    @Test
    void traceScanFindsAPlantedCanaryAndNamesTheLoggerAndLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("trace.log");
        String planted = Canary.value("blg_oauth_rt_");
        Files.writeString(log, "@@ DEBUG com.example.Quiet [main] nothing here\n"
                + "@@ TRACE com.example.Loud [main] sending\n"
                + "  continued " + planted + "\n", StandardCharsets.UTF_8);

        List<String> hits = TraceLeakScan.scan(log);

        assertThat(hits).containsExactly("line 3 (logger com.example.Loud)");
        assertThat(Canary.leaksIn(String.join(" ", hits))).isFalse();
        // The planted value must not stay where the suite-wide scan reads.
        assertThat(log.toString()).doesNotContain(TraceLeakScan.file().toString());
        Files.delete(log);
    }
}
