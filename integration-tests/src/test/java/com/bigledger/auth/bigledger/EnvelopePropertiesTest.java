package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.FuzzInputs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The BigLedger error envelope and verify body under thousands of generated bodies: typed outcomes only. */
class EnvelopePropertiesTest {

    private static final String SECRET = com.bigledger.auth.testing.Canary.value("blg_live_sk_");
    private static final List<String> ENVELOPE = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\"success\"",
            "false", "true", "null", "\"error\"", "\"code\"", "\"message\"", "\"UNAUTHORIZED\"", "\"FORBIDDEN\"",
            "\"INVALID_COMPANY\"", "\"data\"", "\"authenticated\"", "\"company\"", "\"id\"", "\"name\"", "\"plan\"",
            "\"permissions\"", "1", "1e999", " ", "{\"success\":false,\"error\":{\"code\":\"UNAUTHORIZED\",",
            "\"message\":\"x\"}}", "{\"success\":true,\"data\":{", "\"" + SECRET + "\"", SECRET);

    @Property(tries = 3000)
    void errorEnvelopesAreReadOrIgnoredWithoutThrowing(@ForAll("bodies") String body) {
        ApiBodies.Envelope envelope = ApiBodies.parseError(body.getBytes(StandardCharsets.UTF_8));
        if (envelope != null) {
            assertThat(envelope.toString()).isNotNull();
        }
    }

    @Property(tries = 3000)
    void verifyBodiesAreReadOrFailWithAProblem(@ForAll("bodies") String body) {
        try {
            assertThat(ApiBodies.parseVerify(body.getBytes(StandardCharsets.UTF_8))).isNotNull();
        } catch (ApiBodies.Problem expected) {
            assertThat(expected.getMessage()).isNotBlank();
            assertThat(com.bigledger.auth.testing.Canary.leaksIn(expected.getMessage()))
                    .as("the problem quotes the body").isFalse();
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        return FuzzInputs.hostile("{}[]\":,\\ 0123456789.-+eE\n", ENVELOPE);
    }
}
