package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.store.file.SecretsFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The exit codes and messages every command gives a credential that cannot be resolved. */
class CommandRunTest {

    private static final CredentialRef REF = CredentialRef.parse("env:APP_SECRET");

    @Test
    void eachKindOfResolutionFailureHasItsExitCode() {
        assertThat(CommandRun.credentialExitCode(new CredentialNotFoundException(REF, "not set")))
                .isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(CommandRun.credentialExitCode(new CredentialException(Kind.CONFIGURATION, REF, "bad setup",
                null)))
                .isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(CommandRun.credentialExitCode(new SourceUnavailableException(REF, "down", null)))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new CredentialException(Kind.ACCESS_DENIED, REF, "refused", null)))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new CredentialException(Kind.INVALID, REF, "not JSON", null)))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new IllegalStateException("two stores for one scheme")))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new IllegalArgumentException("unsupported option")))
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aSchemeNoStoreServesIsAnErrorNotASettingToFix() {
        CredentialRef unserved = CredentialRef.parse("nosuchstore:some/secret");

        assertThat(CommandRun.credentialExitCode(new CredentialException(Kind.CONFIGURATION, unserved,
                "no credential source for scheme 'nosuchstore'", null))).isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new CredentialException(Kind.CONFIGURATION,
                CredentialRef.parse("fake:setup"), "a setting is missing", null))).isEqualTo(ExitCodes.CONFIGURATION);
    }

    @Test
    void aSecretsFileThatDoesNotOpenHasTheExitCodeOfItsKind() {
        CredentialRef ref = CredentialRef.parse("file:api_key");
        Path file = Path.of("vault.blgv");

        assertThat(CommandRun.credentialExitCode(new SecretsFileException(SecretsFileException.Reason.WRONG_KEY, ref,
                file, "the passphrase does not open it"))).isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new SecretsFileException(SecretsFileException.Reason.TAMPERED, ref,
                file, "it fails authentication"))).isEqualTo(ExitCodes.ERROR);
        assertThat(CommandRun.credentialExitCode(new SecretsFileException(
                SecretsFileException.Reason.UNSAFE_PERMISSIONS, ref, file, "chmod 600"))).isEqualTo(
                ExitCodes.CONFIGURATION);
    }

    @Test
    void onlyTheLibrarysFailuresAndStoreConflictsOrOptionsCountAsResolutionFailures() {
        assertThat(CommandRun.isCredentialFailure(new CredentialNotFoundException(REF, "not set"))).isTrue();
        assertThat(CommandRun.isCredentialFailure(new IllegalStateException("conflict"))).isTrue();
        assertThat(CommandRun.isCredentialFailure(new IllegalArgumentException("option"))).isTrue();
        assertThat(CommandRun.isCredentialFailure(new NullPointerException("bug"))).isFalse();
    }

    @Test
    void theDetailDropsTheReferenceThatCredentialMessagesStartWithAndJoinsLines() {
        assertThat(CommandRun.credentialDetail(REF, new CredentialNotFoundException(REF, "not set").getMessage()))
                .doesNotStartWith(REF.toString());
        assertThat(CommandRun.credentialDetail(REF, REF + ": not set")).isEqualTo("not set");
        assertThat(CommandRun.credentialDetail(REF, "the store cannot start\nno region")).isEqualTo(
                "the store cannot start; no region");
    }
}
