package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.store.file.SecretsFileException.Reason;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core kind each reason of a secrets file that does not open gives, and what stays as it was. */
class SecretsFileExceptionTest {

    private static final CredentialRef REF = CredentialRef.parse("file:api_key");
    private static final Path FILE = Path.of("/home/u/.config/bigledger/vault.blgv");

    @Test
    void eachReasonHasTheKindThatSaysWhatToFix() {
        Map<Reason, Kind> expected = new EnumMap<>(Reason.class);
        expected.put(Reason.WRONG_KEY, Kind.ACCESS_DENIED);
        expected.put(Reason.TAMPERED, Kind.INVALID);
        expected.put(Reason.TRUNCATED, Kind.INVALID);
        expected.put(Reason.UNSUPPORTED_FORMAT, Kind.INVALID);
        expected.put(Reason.UNSAFE_PERMISSIONS, Kind.CONFIGURATION);
        expected.put(Reason.UNSAFE_KDF_PARAMETERS, Kind.INVALID);
        expected.put(Reason.INVALID_KEY_FILE, Kind.CONFIGURATION);
        assertThat(expected.keySet()).containsExactly(Reason.values());

        for (Reason reason : Reason.values()) {
            SecretsFileException e = new SecretsFileException(reason, REF, FILE, "what is wrong");

            assertThat(e.kind()).as(reason.name()).isEqualTo(expected.get(reason));
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.retryable()).as(reason.name()).isFalse();
            assertThat(e.ref()).isEqualTo(REF);
            assertThat(e.file()).isEqualTo(FILE);
            assertThat(e).hasMessage("file:api_key: secrets file " + FILE + ": what is wrong").hasNoCause();
        }
    }
}
