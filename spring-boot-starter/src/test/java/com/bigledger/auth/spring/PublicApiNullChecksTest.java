package com.bigledger.auth.spring;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.NullChecks;
import com.bigledger.auth.testing.PublicTypes;
import com.google.common.testing.NullPointerTester;
import java.util.List;
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
            BigLedgerAuthAutoConfiguration.class, BigLedgerAuthAutoConfiguration::new,
            BigLedgerMetricsAutoConfiguration.class, BigLedgerMetricsAutoConfiguration::new,
            BigLedgerClientHttpRequestInterceptor.class, () -> new BigLedgerClientHttpRequestInterceptor(auth()),
            BigLedgerExchangeFilterFunction.class, () -> new BigLedgerExchangeFilterFunction(auth()));

    /**
     * The public types, less the configuration properties: Spring binds an absent property as {@code null}, which
     * their Javadoc documents as "by default, …".
     */
    static List<Class<?>> publicTypes() {
        return PublicTypes.of(BigLedgerHealthIndicator.class).stream()
                .filter(type -> !type.getName().startsWith(BigLedgerAuthProperties.class.getName())).toList();
    }

    private static BigLedgerAuth auth() {
        return BigLedgerAuth.builder().apiKey(Canary.secret("blg_live_sk_")).companyId("company_null_check").build();
    }

    private static CredentialVault vault() {
        return CredentialVault.builder().discoverSources(false).source(new InMemoryCredentialSource("mem")).build();
    }

    @TestFactory
    Stream<DynamicTest> everyPublicConstructorAndMethodRejectsNull() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Secret.class, Canary.secret("null_check_"))
                .setDefault(CredentialRef.class, CredentialRef.parse("env:NULL_CHECK"))
                .setDefault(java.net.URI.class, java.net.URI.create("https://api.example.test/v1"))
                .setDefault(BigLedgerAuth.class, auth())
                .setDefault(CredentialVault.class, vault())
                .setDefault(BigLedgerAuthProperties.class, new BigLedgerAuthProperties(true, "production",
                        null, "company_null_check", null, null, false, null, null, null, null));
        return NullChecks.forTypes(publicTypes(), NULLABLE, SAMPLES,
                tester::testConstructorParameter, tester::testMethodParameter);
    }
}
