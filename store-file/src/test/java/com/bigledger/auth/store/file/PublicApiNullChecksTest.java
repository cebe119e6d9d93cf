package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.nio.file.Path;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.NullChecks;
import com.bigledger.auth.testing.PublicTypes;
import com.google.common.testing.NullPointerTester;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public constructor and method of this module rejects a {@code null} argument with a
 * {@link NullPointerException}, except the parameters in {@link #NULLABLE}, whose Javadoc says "or {@code null}".
 */
class PublicApiNullChecksTest {

    /** A file that is never written: every check fails before any I/O. */
    private static final Path FILE = Path.of("target", "null-check", "vault.json");

    /** Parameters documented as accepting {@code null}, as {@link PublicTypes.Parameter#key()} names them. */
    private static final Set<String> NULLABLE = Set.of();

    /** Instances to call instance methods on; a fresh one for each check, as builders refuse an option set twice. */
    private static final Map<Class<?>, Supplier<?>> SAMPLES = Map.of(
            FileCredentialSource.class, () -> FileCredentialSource.builder().environment(Map.of())
                    .file(FILE).passphrase(Canary.secret("")).build(),
            FileCredentialSource.Builder.class, FileCredentialSource::builder);

    @TestFactory
    Stream<DynamicTest> everyPublicConstructorAndMethodRejectsNull() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Secret.class, Canary.secret("null_check_"))
                .setDefault(CredentialRef.class, CredentialRef.parse("env:NULL_CHECK"))
                .setDefault(Path.class, FILE)
                .setDefault(CredentialVault.class, CredentialVault.builder().discoverSources(false)
                        .source(new InMemoryCredentialSource("mem")).build());
        return NullChecks.forModuleOf(FileCredentialSource.class, NULLABLE, SAMPLES,
                tester::testConstructorParameter, tester::testMethodParameter);
    }
}
