package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The order in which a {@link TokenListener} hears of one refresh, verified with Mockito's {@link InOrder}. */
class TokenListenerOrderTest extends ManagerFixture {

    private static final String NAME = "order-test";

    private final TokenListener listener = mock(TokenListener.class);
    private TokenManager manager;

    private TokenManager start() {
        OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("order-client")
                .clientSecret(Canary.secret("")).allowInsecureLoopback(true).build();
        manager = track(TokenManager.builder().name(NAME).client(client).clientCredentials().clock(clock)
                .scheduler(scheduler).jitter(0).addListener(listener).build());
        return manager;
    }

    private Future<AccessToken> fetchInBackground() {
        return threads.submit(() -> manager.token(Duration.ofSeconds(30)));
    }

    @Test
    void successfulRefreshIsStartedThenSucceeded() throws Exception {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600));
        start();

        scheduler.runUntilDone(fetchInBackground());
        scheduler.runDue();

        InOrder order = inOrder(listener);
        order.verify(listener).refreshStarted(NAME, false);
        order.verify(listener).refreshSucceeded(eq(NAME), any(Duration.class), any(Instant.class), eq(false));
        order.verifyNoMoreInteractions();
    }

    @Test
    void refusedRefreshIsStartedThenFailedThenNeedsReauthentication() throws Exception {
        endpoint.enqueue(Response.oauthError(401, "invalid_client", "client authentication failed"));
        start();

        Throwable failure = catchThrowable(() -> scheduler.runUntilDone(fetchInBackground()));
        scheduler.runDue();

        assertThat(failure).hasCauseInstanceOf(ReauthenticationRequiredException.class);

        InOrder order = inOrder(listener);
        order.verify(listener).refreshStarted(NAME, false);
        order.verify(listener).refreshFailed(eq(NAME), any(ReauthenticationRequiredException.class), eq(1),
                eq(false));
        order.verify(listener).reauthenticationRequired(eq(NAME), any(ReauthenticationRequiredException.class));
        order.verifyNoMoreInteractions();
    }

    @Test
    void failedRefreshIsStartedThenFailedThenRetriedThenSucceeded() throws Exception {
        endpoint.enqueue(Response.status(503), Response.token(Canary.value("blg_oauth_at_"), 3600));
        start();

        Future<AccessToken> token = fetchInBackground();
        scheduler.awaitQueued(1);
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(30));
        token.get(30, TimeUnit.SECONDS);
        scheduler.runDue();

        InOrder order = inOrder(listener);
        order.verify(listener).refreshStarted(NAME, false);
        order.verify(listener).refreshFailed(eq(NAME), any(TokenRefreshException.class), eq(1), eq(false));
        order.verify(listener).retryScheduled(eq(NAME), any(Duration.class), eq(1));
        order.verify(listener).refreshStarted(NAME, false);
        order.verify(listener).refreshSucceeded(eq(NAME), any(Duration.class), any(Instant.class), anyBoolean());
        order.verifyNoMoreInteractions();
    }

    @Test
    void eventsOfARefreshThatEndedAreDeliveredByTheTimeCloseReturns() throws Exception {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600));
        // Workers that run a task only when the test hands it to one: the refresh runs, then its events wait.
        BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
        Scheduler stepped = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                if (!delay.isZero() && !delay.isNegative()) {
                    return () -> { }; // the next proactive refresh, an hour away: never due in this test
                }
                work.add(task);
                return () -> work.remove(task);
            }
        };
        OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("order-client")
                .clientSecret(Canary.secret("")).allowInsecureLoopback(true).build();
        manager = track(TokenManager.builder().name(NAME).client(client).clientCredentials().scheduler(stepped)
                .jitter(0).addListener(listener).build());
        Future<AccessToken> token = fetchInBackground();
        Runnable refresh = work.poll(30, TimeUnit.SECONDS);
        assertThat(refresh).as("the refresh was handed to a worker").isNotNull();
        refresh.run();
        assertThat(token.get(30, TimeUnit.SECONDS).expiresAt()).isAfter(Instant.now());
        // The refresh has ended; the drain of its events waits for a worker that has not run it.
        assertThat(work).isNotEmpty();

        manager.close();

        InOrder order = inOrder(listener);
        order.verify(listener).refreshStarted(NAME, false);
        order.verify(listener).refreshSucceeded(eq(NAME), any(Duration.class), any(Instant.class), eq(false));
        order.verifyNoMoreInteractions();
        // The drain the scheduler was given finds nothing left to tell: each event is told once.
        for (Runnable left = work.poll(); left != null; left = work.poll()) {
            left.run();
        }
        order.verifyNoMoreInteractions();
    }
}
