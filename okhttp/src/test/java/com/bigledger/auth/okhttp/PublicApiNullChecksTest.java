package com.bigledger.auth.okhttp;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.bigledger.BigLedgerAuth;
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
    private static final Set<String> NULLABLE = Set.of(
            // OkHttp passes a null route when there is none (Authenticator's contract).
            "BigLedgerAuthenticator.authenticate(Route,Response)#0",
            // Not checked: NullPointerTester cannot make the okhttp3.Route it needs for the other parameter.
            "BigLedgerAuthenticator.authenticate(Route,Response)#1");

    /** Instances to call instance methods on; a fresh one for each check, as builders refuse an option set twice. */
    private static final Map<Class<?>, Supplier<?>> SAMPLES = Map.of(
            BigLedgerInterceptor.class, () -> BigLedgerInterceptor.of(auth()),
            BigLedgerAuthenticator.class, () -> BigLedgerAuthenticator.of(auth()));

    private static BigLedgerAuth auth() {
        return BigLedgerAuth.builder().apiKey(Canary.secret("blg_live_sk_")).companyId("company_null_check").build();
    }

    @TestFactory
    Stream<DynamicTest> everyPublicConstructorAndMethodRejectsNull() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Secret.class, Canary.secret("null_check_"))
                .setDefault(CredentialRef.class, CredentialRef.parse("env:NULL_CHECK"))
                .setDefault(BigLedgerAuth.class, auth());
        return NullChecks.forModuleOf(BigLedgerInterceptor.class, NULLABLE, SAMPLES,
                tester::testConstructorParameter, tester::testMethodParameter);
    }
}
