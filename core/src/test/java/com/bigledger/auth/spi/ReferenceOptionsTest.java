package com.bigledger.auth.spi;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceOptionsTest {

    private static final ReferenceOptions OPTIONS = ReferenceOptions.builder("demo")
            .option("mode", Set.of("a", "b", "c"))
            .option("limit", value -> value.matches("[1-9][0-9]*"), "a positive whole number")
            .option("label")
            .refuse(options -> options.containsKey("mode") && options.containsKey("limit"),
                    "options 'mode' and 'limit' cannot be combined")
            .build();

    @Test
    void declaredOptionsWithAllowedValuesPass() {
        OPTIONS.check(CredentialRef.parse("demo:x?mode=b&label=anything#f"));
        OPTIONS.check(CredentialRef.parse("demo:x?limit=10"));
        OPTIONS.check(CredentialRef.parse("demo:x"));

        assertThat(OPTIONS.names()).containsExactly("mode", "limit", "label");
    }

    @Test
    void unknownOptionIsRefusedWithThePositionAndTheSupportedOnes() {
        assertThatThrownBy(() -> OPTIONS.check(CredentialRef.parse("demo:x?label=1&colour=red")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid credential reference 'demo:x?label=***&***=***' at position 15: the 'demo' store "
                        + "does not support the option there (supported: label, limit, mode)");
    }

    @Test
    void storeWithoutOptionsSaysItTakesNone() {
        assertThatThrownBy(() -> ReferenceOptions.none().check(CredentialRef.parse("env:X?stage=A")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid credential reference 'env:X?***=***' at position 6: the 'env' store does not "
                        + "support the option there (it takes none)");
    }

    @Test
    void valueOutsideTheAllowedOnesIsRefusedAtTheValue() {
        assertThatThrownBy(() -> OPTIONS.check(CredentialRef.parse("demo:x?mode=d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid credential reference 'demo:x?mode=***' at position 12: option 'mode' must be a, b "
                        + "or c");
        assertThatThrownBy(() -> OPTIONS.check(CredentialRef.parse("demo:x?label=y&limit=0#f")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid credential reference 'demo:x?label=***&limit=***#f' at position 21: option "
                        + "'limit' must be a positive whole number");
    }

    @Test
    void refusedCombinationIsRefusedAtTheFirstOption() {
        assertThatThrownBy(() -> OPTIONS.check(CredentialRef.parse("demo:x?limit=3&mode=a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid credential reference 'demo:x?limit=***&mode=***' at position 7: options 'mode' "
                        + "and 'limit' cannot be combined");
    }

    @Test
    void refusalsNeverRepeatAnOptionValueOrAnUnknownName() {
        String word = Canary.value("hunter");
        for (String text : List.of("demo:x?" + word + "=1", "demo:x?mode=" + word, "demo:x?limit=" + word,
                "demo:x?label=" + word + "&limit=2&mode=a")) {
            Throwable thrown = com.bigledger.auth.testing.LeakAssertions.catchThrowable(
                    () -> OPTIONS.check(CredentialRef.parse(text)));

            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("demo:x?");
            assertThat(Canary.leaksIn(thrown.getMessage())).as("the message quotes an option").isFalse();
        }
    }

    @Test
    void optionIsDeclaredOnce() {
        assertThatThrownBy(() -> ReferenceOptions.builder("demo").option("a").option("a", Set.of("1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> ReferenceOptions.builder("demo").option("a", Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // Through the vault: the provider's declaration is checked before its source is created.

    public static final class DeclaringProvider implements CredentialSourceProvider {
        static final AtomicInteger CREATED = new AtomicInteger();

        @Override
        public String scheme() {
            return "demo";
        }

        @Override
        public ReferenceOptions options() {
            return OPTIONS;
        }

        @Override
        public CredentialSource create() {
            CREATED.incrementAndGet();
            return new InMemoryCredentialSource("demo");
        }
    }

    @Test
    void vaultChecksTheProvidersDeclarationBeforeCreatingItsSource(@TempDir Path dir) throws IOException {
        DeclaringProvider.CREATED.set(0);
        try (CredentialVault vault = CredentialVault.builder().classLoader(providers(dir)).build()) {
            assertThatThrownBy(() -> vault.handle(CredentialRef.parse("demo:x?mode=z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("option 'mode' must be a, b or c");
            assertThat(DeclaringProvider.CREATED).hasValue(0);

            vault.handle(CredentialRef.parse("demo:x?mode=a"));
            assertThat(DeclaringProvider.CREATED).hasValue(1);
        }
    }

    private static ClassLoader providers(Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(CredentialSourceProvider.class.getName()),
                List.of(DeclaringProvider.class.getName()));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReferenceOptionsTest.class.getClassLoader());
    }
}
