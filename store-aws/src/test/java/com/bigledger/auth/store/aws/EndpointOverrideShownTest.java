package com.bigledger.auth.store.aws;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * An endpoint override's user info and query (where people put credentials) are never shown; user info is refused
 * outright ({@code EndpointOverrideTransportTest}), a query is kept but not shown.
 */
class EndpointOverrideShownTest {

    @Test
    void toStringAndMessagesLeaveOutTheQuery() {
        String password = Canary.value("");
        URI endpoint = URI.create("https://secretsmanager.example.com/?token=" + password);

        AwsSecretsManagerSource.Builder builder = AwsSecretsManagerSource.builder().endpointOverride(endpoint);
        Throwable twice = catchThrowable(() -> builder.endpointOverride(endpoint));
        String shown = builder.build().toString();

        assertThat(shown).contains("secretsmanager.example.com");
        assertThat(Canary.leaksIn(shown)).as("toString shows the query").isFalse();
        assertThat(twice).isInstanceOf(IllegalStateException.class);
        assertThat(Canary.leaksIn(twice.getMessage())).as("the message shows the query").isFalse();
    }
}
