package com.bigledger.auth.testing;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.google.common.testing.NullPointerTester;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
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
            "LeakAssertions.check(Throwable)#0",
            "Canary.leaksIn(CharSequence)#0",
            "Response.oauthError(int,String,String)#2",
            // A JUnit callback: JUnit passes a context, and the extension rethrows what it is given.
            "LeakCheckExtension.handleTestExecutionException(ExtensionContext,Throwable)#0",
            "LeakCheckExtension.beforeEach(ExtensionContext)#0",
            "LeakCheckExtension.afterEach(ExtensionContext)#0");

    /** One of each server for the whole class: a check fails before anything is sent. */
    private static final FakeTokenEndpoint ENDPOINT = FakeTokenEndpoint.start();
    private static final FakeBigLedgerApi API = FakeBigLedgerApi.start();

    /** Instances to call instance methods on; a fresh one for each check, as builders refuse an option set twice. */
    private static final Map<Class<?>, Supplier<?>> SAMPLES = Map.ofEntries(
            Map.entry(FakeClock.class, FakeClock::new),
            Map.entry(FakeTokenEndpoint.Response.class, () -> FakeTokenEndpoint.Response.status(200)),
            Map.entry(FakeScheduler.class, () -> new FakeScheduler(new FakeClock())),
            Map.entry(InMemoryCredentialSource.class, () -> new InMemoryCredentialSource("mem")),
            Map.entry(FaultPolicy.class, () -> FaultPolicy.firstRequests(1, () -> FakeTokenEndpoint.Response.status(503))),
            Map.entry(FakeTokenEndpoint.class, () -> ENDPOINT),
            Map.entry(FakeBigLedgerApi.class, () -> API),
            Map.entry(FakeTokenEndpoint.RecordedRequest.class, PublicApiNullChecksTest::recordedRequest),
            Map.entry(FakeTokenEndpoint.RotatingIssuer.class,
                    () -> new FakeTokenEndpoint.RotatingIssuer("client", "secret", 60)),
            Map.entry(FaultPolicy.Dispatcher.class, () -> FaultPolicy.firstRequests(1,
                    () -> FakeTokenEndpoint.Response.status(503)).otherwise(request -> FakeTokenEndpoint.Response.status(200))),
            Map.entry(ExtensionGrantIssuer.class, () -> new ExtensionGrantIssuer(60)),
            Map.entry(LeakCheckExtension.class, LeakCheckExtension::new));

    @AfterAll
    static void stopServers() {
        ENDPOINT.close();
        API.close();
    }

    /** A request the endpoint received, sent with the JDK's client. */
    private static FakeTokenEndpoint.RecordedRequest recordedRequest() {
        ENDPOINT.enqueue(FakeTokenEndpoint.Response.status(200));
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(ENDPOINT.uri())
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return ENDPOINT.takeRequest();
    }

    @TestFactory
    Stream<DynamicTest> everyPublicConstructorAndMethodRejectsNull() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Secret.class, Canary.secret("null_check_"))
                .setDefault(CredentialRef.class, CredentialRef.parse("env:NULL_CHECK"))
                .setDefault(java.net.URI.class, java.net.URI.create("https://app.example.test/callback"))
                .setDefault(FakeTokenEndpoint.Response.class, FakeTokenEndpoint.Response.status(200));
        return NullChecks.forModuleOf(FakeClock.class, NULLABLE, SAMPLES,
                tester::testConstructorParameter, tester::testMethodParameter);
    }
}
