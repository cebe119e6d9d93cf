package com.bigledger.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerTextTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String fake(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + "fake" + HexFormat.of().formatHex(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blg_live_sk_", "blg_test_sk_", "blg_oauth_at_", "blg_oauth_rt_", "blg_"})
    void aCredentialEchoedByTheServerIsMaskedToItsPrefix(String prefix) {
        String key = fake(prefix);

        String description = ServerText.description("the key " + key + " was revoked");

        assertThat(description).doesNotContain(key).startsWith("the key blg_").endsWith(" was revoked")
                .contains(ServerText.NOT_SHOWN);
    }

    @Test
    void aCredentialInsideAnErrorCodeIsMasked() {
        String token = fake("blg_oauth_at_");

        String code = ServerText.code("error=code=" + token + "&state=abc");

        assertThat(code).isEqualTo("error=code=blg_oauth_at_" + ServerText.NOT_SHOWN + "&state=abc");
    }

    @Test
    void everyCredentialInATextIsMasked() {
        String first = fake("blg_live_sk_");
        String second = fake("blg_oauth_rt_");

        String description = ServerText.description(first + "," + second);

        assertThat(description).isEqualTo("blg_live_sk_" + ServerText.NOT_SHOWN + ",blg_oauth_rt_"
                + ServerText.NOT_SHOWN);
    }

    @Test
    void aCredentialCutByTheCapIsStillMasked() {
        String key = fake("blg_live_sk_");
        String text = "x".repeat(ServerText.MAX_CODE - 20) + key;

        String code = ServerText.code(text);

        assertThat(code).doesNotContain(key.substring(0, 24)).contains("blg_live_sk_");
        assertThat(code.length()).isLessThanOrEqualTo(ServerText.MAX_CODE + 1);
    }

    @Test
    void ordinaryErrorCodesAreKept() {
        assertThat(ServerText.code("invalid_grant")).isEqualTo("invalid_grant");
        assertThat(ServerText.code("access_denied")).isEqualTo("access_denied");
    }
}
