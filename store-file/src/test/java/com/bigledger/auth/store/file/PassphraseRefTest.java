package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A passphrase pasted in place of its reference is refused without being quoted. */
class PassphraseRefTest {

    @TempDir
    Path folder;

    @Test
    void passphraseInPlaceOfItsReferenceIsRefusedWithoutQuotingIt() {
        String pasted = Canary.value("hunter") + " correct horse";

        Throwable thrown = com.bigledger.auth.testing.LeakAssertions.catchThrowable(() -> FileCredentialSource.builder()
                .environment(Map.of(FileCredentialSource.FILE_VARIABLE, folder.resolve("v.blgv").toString(),
                        FileCredentialSource.PASSPHRASE_REF_VARIABLE, pasted))
                .build().write(com.bigledger.auth.CredentialRef.of("file", "x"), com.bigledger.auth.Secret.of("v"),
                        java.util.Optional.empty()));

        assertThat(thrown).isInstanceOf(com.bigledger.auth.spi.EnvironmentSettings.InvalidSettingException.class)
                .hasMessageStartingWith(FileCredentialSource.PASSPHRASE_REF_VARIABLE + " is not a valid reference")
                .hasMessageContaining("position");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(Canary.leaksIn(t.getMessage())).as("the message quotes the passphrase").isFalse();
        }
    }
}
