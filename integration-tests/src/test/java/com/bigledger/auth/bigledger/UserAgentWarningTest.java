package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The BigLedger document asks for a descriptive {@code User-Agent}: a client built without one says so in a warning,
 * once, when it is built (never per request). Read through logback, the binding of this module's tests.
 */
class UserAgentWarningTest {

    private static final String COMPANY = "company_abc123";

    private final FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional");
    private final Logger logger = (Logger) LoggerFactory.getLogger("com.bigledger.auth.bigledger");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void listen() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(events);
        api.close();
    }

    private List<String> warnings() {
        return events.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    @Test
    void aClientWithoutAUserAgentWarnsOnceAtBuildAndSendsTheLibrarysAlone() {
        String key = api.issueApiKey(COMPANY, "read:accounts");

        BigLedgerHttpClient client = BigLedgerHttpClient.create(BigLedgerAuth.builder().baseUrl(api.baseUrl())
                .allowInsecureLoopback(true).apiKey(Secret.of(key)).companyId(COMPANY).build());
        List<String> atBuild = warnings();
        client.verify();
        client.verify();

        assertThat(atBuild).singleElement().asString().contains("No User-Agent set", BigLedgerAuth.libraryProduct(),
                "BigLedger document asks", "userAgent(");
        assertThat(warnings()).isEqualTo(atBuild);
        assertThat(api.requests("/v1/auth/verify")).allSatisfy(r -> assertThat(r.header("User-Agent"))
                .contains(BigLedgerAuth.libraryProduct()));
    }

    @Test
    void aClientWithAUserAgentSendsItAndWarnsOfNothing() {
        String key = api.issueApiKey(COMPANY, "read:accounts");

        BigLedgerHttpClient.create(BigLedgerAuth.builder().baseUrl(api.baseUrl()).allowInsecureLoopback(true)
                .apiKey(Secret.of(key)).companyId(COMPANY).userAgent("MyApp/1.0.0 (https://myapp.com)").build())
                .verify();

        assertThat(warnings()).isEmpty();
        assertThat(api.requests("/v1/auth/verify").get(0).header("User-Agent"))
                .contains("MyApp/1.0.0 (https://myapp.com) " + BigLedgerAuth.libraryProduct());
    }

    @Test
    void anOAuthClientWithoutAUserAgentWarnsAtBuildToo() {
        BigLedgerOAuth.builder().authorizationServer(api.authorizationServer()).allowInsecureLoopback(true)
                .clientId("my-app").clientSecret(Canary.secret("")).redirectUri(URI.create("https://yourapp.com/cb"))
                .build();

        assertThat(warnings()).singleElement().asString().contains("No User-Agent set", "my-app");
    }
}
