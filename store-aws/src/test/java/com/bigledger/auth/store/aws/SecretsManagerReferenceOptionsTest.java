package com.bigledger.auth.store.aws;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options an {@code aws-sm:} reference takes, as the store declares them to the credential vault. */
class SecretsManagerReferenceOptionsTest {

    private static final String UUID = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE";

    private final AwsSecretsManagerSourceProvider provider = new AwsSecretsManagerSourceProvider();

    @Test
    void unknownOptionsAndPinningTwiceAreRefusedByTheProviderAndTheSource() {
        Map<String, String> refused = Map.of(
                "aws-sm:x?colour=red", "at position 9: the 'aws-sm' store does not support the option there "
                        + "(supported: region, stage, version)",
                "aws-sm:x?stage=A&kv=2", "at position 17: the 'aws-sm' store does not support the option there",
                "aws-sm:x?stage=AWSPREVIOUS&version=" + UUID, "at position 9: options 'stage' and 'version' cannot "
                        + "be combined",
                "aws-sm:x?version=" + UUID + "&stage=AWSCURRENT", "at position 9: options 'stage' and 'version' "
                        + "cannot be combined");

        refused.forEach((text, problem) -> {
            CredentialRef ref = CredentialRef.parse(text);
            assertThatThrownBy(() -> provider.options().check(ref)).as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid credential reference 'aws-sm:x?").hasMessageContaining(problem);
            assertThatThrownBy(() -> SecretsManagerRefs.check(ref)).as(text)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
        });
    }

    @Test
    void stageOrVersionWithARegionPass() {
        for (String text : List.of("aws-sm:x?stage=AWSCURRENT", "aws-sm:x?stage=custom-label",
                "aws-sm:x?region=eu-west-1", "aws-sm:x?region=us-east-1&version=" + UUID,
                "aws-sm:x?stage=AWSPENDING&region=ap-south-1")) {
            provider.options().check(CredentialRef.parse(text));
            SecretsManagerRefs.check(CredentialRef.parse(text));
        }
    }
}
