package com.bigledger.auth.internal;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.BigLedgerAuthException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How a caller of {@link RefreshingValue} turns the shared outcome of a load into its value or its error. */
class LoadWaitersTest {

    private static final RefreshingValue.TimeoutError TIMEOUT = (name, timeout, last) ->
            new IllegalStateException(name + " timed out after " + timeout + (last == null ? "" : " after "
                    + last.getMessage()));

    @Test
    void aCompletedLoadGivesItsValue() {
        String value = LoadWaiters.await("ref", CompletableFuture.completedFuture("v"), Duration.ZERO, TIMEOUT,
                () -> null);

        assertThat(value).isEqualTo("v");
    }

    @Test
    void aFailedLoadGivesItsRuntimeFailureAsItIs() {
        RuntimeException failure = new IllegalArgumentException("bad response from endpoint");
        CompletableFuture<String> future = new CompletableFuture<>();
        future.completeExceptionally(failure);

        Throwable thrown = catchThrowable(() -> LoadWaiters.await("ref", future, Duration.ZERO, TIMEOUT, () -> null));

        assertThat(thrown).isSameAs(failure);
    }

    @Test
    void aLoadFailedWithACheckedExceptionGivesARetryableErrorNamingTheValue() {
        CompletableFuture<String> future = new CompletableFuture<>();
        future.completeExceptionally(new java.io.IOException("io"));

        Throwable thrown = catchThrowable(() -> LoadWaiters.await("ref", future, Duration.ZERO, TIMEOUT, () -> null));

        assertThat(thrown).isInstanceOf(BigLedgerAuthException.class).hasMessage("ref: load failed");
        assertThat(((BigLedgerAuthException) thrown).retryable()).isTrue();
    }

    @Test
    void aWaitThatTimesOutGetsTheTimeoutErrorWithTheLastFailure() {
        CompletableFuture<String> pending = new CompletableFuture<>();

        Throwable thrown = catchThrowable(() -> LoadWaiters.await("ref", pending, Duration.ofSeconds(-1), TIMEOUT,
                () -> new IllegalStateException("unreachable")));

        assertThat(thrown).hasMessage("ref timed out after PT-1S after unreachable");
    }

    @Test
    void aCancelledLoadMeansTheValueWasClosed() {
        CompletableFuture<String> future = new CompletableFuture<>();
        future.cancel(false);

        Throwable thrown = catchThrowable(() -> LoadWaiters.await("ref", future, Duration.ZERO, TIMEOUT, () -> null));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("ref is closed");
    }
}
