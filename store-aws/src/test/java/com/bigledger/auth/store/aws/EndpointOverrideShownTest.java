package com.bigledger.auth.store.aws;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** An endpoint override's user info (where people put credentials) is never shown. */
class EndpointOverrideShownTest {

    @Test
    void toStringAndMessagesLeaveOutTheUserInfo() {
        String password = Canary.value("");
        URI endpoint = URI.create("https://user:" + password + "@secretsmanager.example.com/");

        AwsSecretsManagerSource.Builder builder = AwsSecretsManagerSource.builder().endpointOverride(endpoint);
        Throwable twice = catchThrowable(() -> builder.endpointOverride(endpoint));
        String shown = builder.build().toString();

        assertThat(shown).contains("secretsmanager.example.com");
        assertThat(Canary.leaksIn(shown)).as("toString shows the user info").isFalse();
        assertThat(twice).isInstanceOf(IllegalStateException.class);
        assertThat(Canary.leaksIn(twice.getMessage())).as("the message shows the user info").isFalse();
    }
}
