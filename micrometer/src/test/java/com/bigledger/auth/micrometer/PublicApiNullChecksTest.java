package com.bigledger.auth.micrometer;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.net.URI;
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

    /** Parameters documented as accepting {@code null}, as {@link PublicTypes.Parameter#key()} names them. */
    private static final Set<String> NULLABLE = Set.of();

    /** Instances to call instance methods on; a fresh one for each check, as builders refuse an option set twice. */
    private static final Map<Class<?>, Supplier<?>> SAMPLES = Map.of(
            CredentialVaultMetrics.class, () -> CredentialVaultMetrics.of(vault(), "null-check"),
            TokenManagerMetrics.class, () -> TokenManagerMetrics.of(manager(new FakeClock()), "null-check"));

    private static CredentialVault vault() {
        return CredentialVault.builder().discoverSources(false).source(new InMemoryCredentialSource("mem")).build();
    }

    private static TokenManager manager(FakeClock clock) {
        return TokenManager.builder().client(OAuthClient.builder()
                .tokenEndpoint(URI.create("https://auth.example.test/token")).clientId("null-check").build())
                .clientCredentials().clock(clock).scheduler(new FakeScheduler(clock)).build();
    }

    @TestFactory
    Stream<DynamicTest> everyPublicConstructorAndMethodRejectsNull() {
        FakeClock clock = new FakeClock();
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Secret.class, Canary.secret("null_check_"))
                .setDefault(CredentialRef.class, CredentialRef.parse("env:NULL_CHECK"))
                .setDefault(java.time.Clock.class, clock)
                .setDefault(CredentialVault.class, vault())
                .setDefault(TokenManager.class, manager(clock));
        return NullChecks.forModuleOf(TokenManagerMetrics.class, NULLABLE, SAMPLES,
                tester::testConstructorParameter, tester::testMethodParameter);
    }
}
