package com.bigledger.auth.store.aws;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.testing.Canary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** The value codec of the Secrets Manager store, and the library's field merge on its values, without a client. */
class SecretValuesTest {

    private static final CredentialRef FIELD = CredentialRef.parse("aws-sm:prod/bigledger#refresh_token");

    @Test
    void fieldIsMergedIntoTheCurrentObjectKeepingTheOtherFields() {
        String other = Canary.value("blg_test_sk_");
        String fresh = Canary.value("blg_oauth_rt_");
        GetSecretValueResponse current = GetSecretValueResponse.builder().versionId("v1")
                .secretString("{\"api_key\":\"" + other + "\",\"refresh_token\":\"old\"}").build();

        Secret merged = SecretFields.merge(FIELD, Optional.of(SecretValues.valueOf(FIELD, current)),
                Secret.of(fresh));

        assertThat(merged.reveal()).contains("\"api_key\":\"" + other + "\"")
                .contains("\"refresh_token\":\"" + fresh + "\"").doesNotContain("old");
    }

    @Test
    void fieldCannotBeMergedIntoABinaryValue() {
        GetSecretValueResponse binary = GetSecretValueResponse.builder().versionId("v1")
                .secretBinary(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build();

        assertThatThrownBy(() -> SecretValues.valueOf(FIELD, binary))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("SecretBinary");
    }

    @Test
    void utf8TextIsSentAsSecretStringAndOtherBytesAsSecretBinary() {
        List<String> texts = new ArrayList<>();
        List<SdkBytes> binaries = new ArrayList<>();
        String text = Canary.value("blg_oauth_rt_");

        SecretValues.setValue(Secret.of(text), texts::add, binaries::add);
        SecretValues.setValue(Secret.ofBytes(new byte[] {(byte) 0xff, 0x00, (byte) 0xfe}), texts::add,
                binaries::add);

        assertThat(texts).containsExactly(text);
        assertThat(binaries).singleElement()
                .satisfies(b -> assertThat(b.asByteArray()).containsExactly((byte) 0xff, 0x00, (byte) 0xfe));
    }

    @Test
    void binaryValueIsReadAsItsBytes() {
        GetSecretValueResponse binary = GetSecretValueResponse.builder().versionId("v1")
                .secretBinary(SdkBytes.fromByteArray(new byte[] {7, 8})).build();

        assertThat(SecretValues.valueOf(FIELD.withoutField(), binary).revealBytes()).containsExactly(7, 8);
    }
}
