package com.bigledger.auth.store.vault;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The options a {@code vault:} reference takes, as the store declares them to the credential vault. */
class VaultReferenceOptionsTest {

    private final VaultCredentialSourceProvider provider = new VaultCredentialSourceProvider();

    static Stream<Arguments> refusedReferences() {
        return Stream.of(
                Arguments.of("vault:secret/x?stage=A", 15, "the 'vault' store does not support the option there "
                        + "(supported: kv, version)"),
                Arguments.of("vault:secret/x?kv=3", 18, "option 'kv' must be 1 or 2"),
                Arguments.of("vault:secret/x?kv=0", 18, "option 'kv' must be 1 or 2"),
                Arguments.of("vault:secret/x?kv=02", 18, "option 'kv' must be 1 or 2"),
                Arguments.of("vault:secret/x?kv=v2", 18, "option 'kv' must be 1 or 2"),
                Arguments.of("vault:secret/x?version=0", 23, "option 'version' must be a positive whole number"),
                Arguments.of("vault:secret/x?version=-1", 23, "option 'version' must be a positive whole number"),
                Arguments.of("vault:secret/x?version=03", 23, "option 'version' must be a positive whole number"),
                Arguments.of("vault:secret/x?version=1.5", 23, "option 'version' must be a positive whole number"),
                Arguments.of("vault:secret/x?version=latest", 23, "option 'version' must be a positive whole number"),
                Arguments.of("vault:secret/x?kv=2&version=%2B3", 28, "option 'version' must be a positive whole "
                        + "number"),
                Arguments.of("vault:secret/x?kv=1&version=3", 15, "option 'version' needs a KV version 2 mount, not "
                        + "kv=1"),
                Arguments.of("vault:secret/x?version=3&kv=1", 15, "option 'version' needs a KV version 2 mount, not "
                        + "kv=1"));
    }

    @ParameterizedTest
    @MethodSource("refusedReferences")
    void refusedOptionsAreNamedWithTheirPosition(String text, int position, String problem) {
        CredentialRef ref = CredentialRef.parse(text);

        assertThatThrownBy(() -> provider.options().check(ref))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid credential reference 'vault:secret/x?")
                .hasMessageEndingWith("' at position " + position + ": " + problem);
        // The source checks the same declaration, for a reference that reaches it another way.
        assertThatThrownBy(() -> VaultPath.of(ref))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vault:secret/x?kv=1", "vault:secret/x?kv=2", "vault:secret/x?version=1",
        "vault:secret/x?version=42", "vault:secret/x?kv=2&version=3", "vault:secret/x?version=3&kv=2"})
    void acceptedOptionsPass(String text) {
        CredentialRef ref = CredentialRef.parse(text);

        provider.options().check(ref);
        assertThat(VaultPath.of(ref).kv()).isEqualTo(text.contains("kv=1") ? 1 : 2);
    }

    @Test
    void theSourceSupportsWhatTheProviderDeclares() {
        assertThat(provider.options().names()).containsExactlyInAnyOrder("kv", "version");
    }
}
