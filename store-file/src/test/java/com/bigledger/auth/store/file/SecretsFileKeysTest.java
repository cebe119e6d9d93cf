package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

/** The subkey derivation of a secrets file: HKDF-SHA256 as RFC 5869 defines it. */
class SecretsFileKeysTest {

    @Test
    void theDerivationGivesRfc5869sOutputForItsTestCaseWithoutSaltOrInfo() {
        // RFC 5869, appendix A.3: no salt, no info; the first 32 of its 42 output bytes.
        byte[] ikm = HexFormat.of().parseHex("0b".repeat(22));

        byte[] okm = SecretsFileKeys.hkdf(ikm, new byte[0]);

        assertThat(HexFormat.of().formatHex(okm))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
    }

    @Test
    void theDerivationMatchesBouncyCastlesHkdfForEveryKeyAndInfo() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 50; i++) {
            byte[] master = new byte[32];
            random.nextBytes(master);
            byte[] info = ("BLGV 2 subkey " + i).getBytes(StandardCharsets.US_ASCII);

            HKDFBytesGenerator reference = new HKDFBytesGenerator(new SHA256Digest());
            reference.init(new HKDFParameters(master, null, info));
            byte[] expected = new byte[32];
            reference.generateBytes(expected, 0, expected.length);

            assertThat(SecretsFileKeys.hkdf(master, info)).isEqualTo(expected);
        }
    }
}
