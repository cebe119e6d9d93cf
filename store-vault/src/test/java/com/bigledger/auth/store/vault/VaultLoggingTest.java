package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java.util.logging} logger at FINEST (the driver's, the JDK HTTP client's and server's) while the
 * source logs in, reads, writes and fails: the leak check, which reads every JUL record, proves no token, secret id
 * or value reaches a log line.
 */
class VaultLoggingTest {

    @Test
    void loggingAtFinestShowsNoSecretThroughLoginReadsWritesAndErrors() {
        Logger root = Logger.getLogger("");
        Logger driver = Logger.getLogger("io.github.jopenlibs.vault");
        Level rootLevel = root.getLevel();
        Level driverLevel = driver.getLevel();
        AtomicInteger records = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.incrementAndGet();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        counter.setLevel(Level.ALL);
        root.addHandler(counter);
        root.setLevel(Level.FINEST);
        driver.setLevel(Level.FINEST);
        try (VaultHttpDouble vault = VaultHttpDouble.start(Clock.systemUTC())) {
            Secret secretId = Canary.secret("");
            Secret apiKey = Canary.secret("blg_live_sk_");
            vault.root().appRole("approle", "role-1", secretId.reveal(), Duration.ofHours(1), Duration.ofHours(2),
                    "app");
            vault.root().put("secret", "app", TestVaults.fields("api_key", apiKey.reveal()));
            vault.root().deny("secret/data/denied");
            InMemoryCredentialSource secretIds = new InMemoryCredentialSource("mem");
            CredentialRef secretIdRef = secretIds.put("secret-id", secretId);
            try (VaultCredentialSource source = TestVaults.builder(vault)
                    .authentication(VaultAuthentication.appRole("role-1", secretIdRef, secretIds)).build()) {
                CredentialRef ref = CredentialRef.parse("vault:secret/app#api_key");

                assertThat(source.load(ref).secret()).isEqualTo(apiKey);
                assertThat(source.write(ref, Canary.secret("blg_live_sk_"), Optional.of("1")).isWritten()).isTrue();
                assertThat(source.write(ref, Canary.secret("blg_live_sk_"), Optional.of("1")).isConflict()).isTrue();
                assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/denied")))
                        .isInstanceOf(CredentialException.class)
                        .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED));
                vault.failNext(500, 1, "secret/");
                assertThatThrownBy(() -> source.load(ref)).isInstanceOf(SourceUnavailableException.class);
                vault.root().revokeAll();
                assertThat(source.load(ref).version()).contains("2");
            }
        } finally {
            root.setLevel(rootLevel);
            driver.setLevel(driverLevel);
            root.removeHandler(counter);
        }
        assertThat(records.get()).as("log records seen at FINEST").isPositive();
    }
}
