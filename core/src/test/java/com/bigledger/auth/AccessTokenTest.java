package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.testing.Canary;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokenTest {

    @Test
    void tokenTextIsHeldOnceAndHandedOutWithoutACopy() {
        String text = Canary.value("blg_oauth_at_");
        AccessToken token = new AccessToken(Secret.of(text), Instant.now(), Set.of("read:accounts"));

        // The header text and the secret's text are one string: the token is not kept as bytes and as a string.
        assertThat(token.reveal()).isEqualTo(text);
        assertThat(token.value().reveal()).isSameAs(token.reveal());
        assertThat(token.value()).isEqualTo(Secret.of(text));
        assertThat(Secret.of(text)).isEqualTo(token.value());
        assertThat(token.value().hashCode()).isEqualTo(Secret.of(text).hashCode());
        assertThat(token.value().startsWith("blg_oauth_at_")).isTrue();
        assertThat(token.value().knownPrefix()).contains("blg_oauth_at_");
        assertThat(new String(token.value().revealBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(token.toString()).doesNotContain(text.substring("blg_oauth_at_".length()));
    }

    @Test
    void destroyedTokenTextIsNoLongerHandedOut() {
        AccessToken token = new AccessToken(Canary.secret("blg_oauth_at_"), Instant.now(), Set.of());
        token.value().destroy();

        assertThat(token.value().isDestroyed()).isTrue();
        assertThatThrownBy(token.value()::reveal).isInstanceOf(IllegalStateException.class);
        assertThat(token.value().toString()).isEqualTo("Secret[destroyed]");
    }
}
