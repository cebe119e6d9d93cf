package com.bigledger.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.bigledger.auth.BigLedgerAuthException;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Proves that the suite-wide leak check fails a test through each way a secret can leak. */
class LeakCheckExtensionTest {

    /** Runs one method of {@link Fixtures} in a nested engine, with the leak check registered as in the build. */
    private static Events run(String method) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectMethod(Fixtures.class, method))
                .execute()
                .testEvents();
    }

    @Test
    void secretPrintedToStandardOutputFailsTheTest() {
        Events events = run("printsASecret");
        assertThat(events.failed().count()).isEqualTo(1);
        assertThat(events.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .hasMessageContaining("value withheld");
    }

    @Test
    void secretInAJavaUtilLoggingRecordFailsTheTest() {
        assertThat(run("logsASecret").failed().count()).isEqualTo(1);
    }

    @Test
    void secretInAnExceptionMessageFailsTheTestWithoutShowingIt() {
        Events events = run("throwsWithASecret");
        assertThat(events.failed().count()).isEqualTo(1);
        Throwable thrown = events.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("value withheld");
        assertThat(Canary.leaksIn(thrown.getMessage())).isFalse();
    }

    @Test
    void secretInTheMessageOfAnExceptionTheTestCaughtFailsTheTest() {
        for (String fixture : new String[] {"catchesASecretWithAssertThatThrownBy", "catchesASecretWithCatchThrowable",
                "catchesASecretAsACause", "catchesASecretWithIsThrownBy"}) {
            Events events = run(fixture);
            assertThat(events.failed().count()).as(fixture).isEqualTo(1);
            Throwable thrown = events.failed().stream().findFirst().orElseThrow()
                    .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            assertThat(thrown).hasMessageContaining("that the test caught (value withheld)");
            assertThat(Canary.leaksIn(thrown.getMessage())).isFalse();
        }
    }

    @Test
    void exceptionWithoutASecretIsCaughtAsUsual() {
        assertThat(run("catchesACleanException").succeeded().count()).isEqualTo(1);
    }

    @Test
    void cleanTestPasses() {
        assertThat(run("keepsItsSecret").succeeded().count()).isEqualTo(1);
    }

    /** Not run by the build directly (a nested class); run only through the engine above. */
    static class Fixtures {
        @Test
        void printsASecret() {
            System.out.println("token=" + Canary.value("blg_oauth_at_"));
        }

        @Test
        void logsASecret() {
            Logger.getLogger("fixture").warning("key " + Canary.value("blg_live_sk_"));
        }

        @Test
        void throwsWithASecret() {
            throw new BigLedgerAuthException("bad key " + Canary.value("blg_live_sk_"), null, false);
        }

        @Test
        void catchesASecretWithAssertThatThrownBy() {
            LeakAssertions.assertThatThrownBy(() -> {
                throw new IllegalArgumentException("bad key " + Canary.value("blg_live_sk_"));
            }).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void catchesASecretWithCatchThrowable() {
            LeakAssertions.catchThrowable(() -> {
                throw new IllegalStateException("bad key " + Canary.value("blg_live_sk_"));
            });
        }

        @Test
        void catchesASecretAsACause() {
            LeakAssertions.catchThrowableOfType(BigLedgerAuthException.class, () -> {
                throw new BigLedgerAuthException("clean", new RuntimeException(Canary.value("")), false);
            });
        }

        @Test
        void catchesASecretWithIsThrownBy() {
            LeakAssertions.assertThatIllegalArgumentException().isThrownBy(() -> {
                throw new IllegalArgumentException(Canary.value(""));
            });
        }

        @Test
        void catchesACleanException() {
            LeakAssertions.assertThatThrownBy(() -> {
                throw new IllegalArgumentException("no secret here");
            }).hasMessage("no secret here");
        }

        @Test
        void keepsItsSecret() {
            System.out.println("key " + Canary.secret("blg_live_sk_"));
        }
    }
}
