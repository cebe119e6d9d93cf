package com.bigledger.auth.store.aws;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.testing.Canary;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.regions.Region;

/**
 * Secret values and rotated refresh tokens cross the wire to the Secrets Manager endpoint, so an endpoint override,
 * from the builder or from the SDK's settings, follows the library's rule: https, or http to a loopback literal only
 * with the explicit opt-in. Nothing here sends a request: a refused endpoint is refused before one.
 */
@Isolated("sets the SDK's endpoint system properties, which every client built meanwhile would read")
class EndpointOverrideTransportTest {

    private static final CredentialRef REF = CredentialRef.parse("aws-sm:prod/bigledger#refresh_token");

    @Test
    void httpEndpointOverrideToAnotherHostIsRefusedEvenWithTheOptIn() {
        for (boolean optIn : new boolean[] {false, true}) {
            Throwable thrown = catchThrowable(() -> AwsSecretsManagerSource.builder()
                    .endpointOverride(URI.create("http://secretsmanager.internal.example:8080"))
                    .allowInsecureLoopback(optIn)
                    .build());

            assertThat(thrown).as("opt-in %s", optIn).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("endpointOverride").hasMessageContaining("secretsmanager.internal.example")
                    .hasMessageContaining("https");
        }
    }

    @Test
    void httpEndpointOverrideToALoopbackLiteralNeedsTheOptIn() {
        URI moto = URI.create("http://127.0.0.1:4566");

        Throwable refused = catchThrowable(() -> AwsSecretsManagerSource.builder().endpointOverride(moto).build());
        AwsSecretsManagerSource allowed = AwsSecretsManagerSource.builder().endpointOverride(moto)
                .allowInsecureLoopback(true).build();

        assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("endpointOverride")
                .hasMessageContaining("127.0.0.1").hasMessageContaining("allowInsecureLoopback(true)")
                .hasMessageContaining(AwsSecretsManagerSource.ALLOW_INSECURE_LOOPBACK_VARIABLE);
        assertThat(allowed.toString()).contains("endpointOverride=http://127.0.0.1:4566");
        allowed.close();
    }

    @Test
    void httpsEndpointOverrideNeedsNoOptIn() {
        AwsSecretsManagerSource source = AwsSecretsManagerSource.builder()
                .endpointOverride(URI.create("https://vpce-0123.secretsmanager.eu-west-1.vpce.amazonaws.com")).build();

        assertThat(source.toString()).contains("vpce-0123");
        source.close();
    }

    @Test
    void endpointOverrideWithUserInfoIsRefusedWithoutShowingIt() {
        String password = Canary.value("");

        Throwable thrown = catchThrowable(() -> AwsSecretsManagerSource.builder()
                .endpointOverride(URI.create("https://user:" + password + "@secretsmanager.example.com/")));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpointOverride")
                .hasMessageContaining("user info");
    }

    @Test
    void httpEndpointFromTheSdkSettingsToAnotherHostIsRefusedBeforeAnyRequest() {
        Throwable thrown = loadWithProperty("aws.endpointUrlSecretsManager", "http://secretsmanager.invalid:8080",
                true);

        assertThat(thrown).isInstanceOf(CredentialException.class).hasMessageStartingWith(REF.toString())
                .hasMessageContaining("AWS_ENDPOINT_URL_SECRETS_MANAGER").hasMessageContaining("secretsmanager.invalid")
                .hasMessageContaining("https");
        assertThat(((CredentialException) thrown).retryable()).isFalse();
    }

    @Test
    void httpLoopbackEndpointFromTheGlobalSettingNeedsTheOptIn() {
        Throwable thrown = loadWithProperty("aws.endpointUrl", "http://127.0.0.1:1", false);

        assertThat(thrown).isInstanceOf(CredentialException.class).hasMessageStartingWith(REF.toString())
                .hasMessageContaining("AWS_ENDPOINT_URL").hasMessageContaining("127.0.0.1")
                .hasMessageContaining(AwsSecretsManagerSource.ALLOW_INSECURE_LOOPBACK_VARIABLE);
        assertThat(((CredentialException) thrown).retryable()).isFalse();
    }

    @Test
    void endpointFromTheSdkSettingsIsShownWithoutItsUserInfo() {
        String password = Canary.value("");

        Throwable thrown = loadWithProperty("aws.endpointUrlSecretsManager", "http://user:" + password
                + "@secretsmanager.invalid:8080", true);

        assertThat(thrown).isInstanceOf(CredentialException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    }

    /** Loads {@link #REF} through a source whose clients read the endpoint from a system property. */
    private static Throwable loadWithProperty(String property, String value, boolean optIn) {
        System.setProperty(property, value);
        try (AwsSecretsManagerSource source = AwsSecretsManagerSource.builder().region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).allowInsecureLoopback(optIn).build()) {
            return catchThrowable(() -> source.load(REF));
        } finally {
            System.clearProperty(property);
        }
    }
}
