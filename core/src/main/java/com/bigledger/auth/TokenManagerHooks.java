package com.bigledger.auth;

import com.bigledger.auth.internal.Durations;
import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.internal.RetryPolicy;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenManager}'s side of its refreshing value and write-back, in one object: the loader (one request, or
 * through the {@link Fleet}), the retry policy (Resilience4j's retry of the token endpoint), the timeout error, and
 * the listener that turns the value's events into token events. Those run on the value's serial queue already, so
 * it tells the listeners directly: posting again would let events queued meanwhile overtake these. Its
 * {@code accept} posts the write-back's events. One object serves all of these, and counts the running loads for
 * {@link TokenManager#close()}: a manager is kept small, for services that hold one per tenant.
 */
final class TokenManagerHooks implements RefreshingValue.Listener<AccessToken>, RefreshingValue.Loader<AccessToken>,
        RetryPolicy, RefreshingValue.TimeoutError, Consumer<Consumer<TokenListener>> {

    /** The manager's logger: loads and listener failures log as part of {@link TokenManager}. */
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    private final TokenManager manager;
    private final Object loadLock = new Object();
    // Guarded by loadLock.
    private int loadsRunning;
    private volatile boolean closed;
    private volatile boolean reauthenticationRequired;
    /** Whether a listener that threw was reported at warning level: once per manager, so a bad one cannot flood. */
    private volatile boolean listenerThrowReported;
    /** Made at the first failure of a run: most managers never fail. */
    private Retry.AsyncContext<Object> context;

    /**
     * Creates the hooks of a manager.
     *
     * @param manager the manager: its grant, breaker and retry, refresh token, fleet, schedule and listeners
     */
    TokenManagerHooks(TokenManager manager) {
        this.manager = manager;
    }

    @Override
    public Optional<Duration> next(RuntimeException failure, int consecutiveFailures) {
        if (failure instanceof Fleet.LeaseHeld) {
            // Not a failure: another process is refreshing; look again soon, without spending a retry.
            return Optional.of(((Fleet.LeaseHeld) failure).recheckIn);
        }
        if (failure instanceof ReauthenticationRequiredException) {
            return Optional.empty();
        }
        if (context == null) {
            context = manager.guard().retry().asyncContext();
        }
        long delay = context.onError(failure);
        if (delay < 0) {
            if (!TokenManager.retryable(failure)) {
                return Optional.empty();
            }
            // The retry gave up on a temporary failure: start over after a cool-down.
            context = null;
            delay = manager.retryCooldown().toMillis();
        }
        // Told by loadFailed below, after refreshFailed, once the retry is decided.
        return Optional.of(max(Duration.ofMillis(delay), TokenManager.retryAfter(failure).orElse(Duration.ZERO)));
    }

    @Override
    public void reset() {
        context = null;
    }

    @Override
    public RuntimeException create(String valueName, Duration timeout, RuntimeException last) {
        return new TokenRefreshException(manager.tokenEndpoint(), "no access token within "
                + Durations.format(timeout) + (last == null ? "" : "; last failure: " + last.getMessage()), last,
                true);
    }

    @Override
    public void accept(Consumer<TokenListener> event) {
        manager.notifyListeners(event);
    }

    @Override
    public void loadStarted(boolean valueServed) {
        if (manager.fleet() != null) {
            // Fleet mode tells of a refresh when it sends its request (Fleet.refreshAsHolder).
            return;
        }
        deliver(l -> l.refreshStarted(manager.name(), valueServed));
    }

    @Override
    public void loadFailed(RuntimeException failure, int consecutiveFailures, Optional<Duration> retryIn,
            boolean valueServed) {
        if (failure instanceof Fleet.LeaseHeld) {
            LOG.debug("{}: {}", manager.name(), failure.getMessage());
            return;
        }
        BigLedgerAuthException typed = failure instanceof BigLedgerAuthException
                ? (BigLedgerAuthException) failure
                : new TokenRefreshException(manager.tokenEndpoint(), "refresh failed with "
                        + failure.getClass().getName(), failure, false);
        LOG.warn("{}: refresh failed ({} in a row){}: {}", manager.name(), consecutiveFailures,
                valueServed ? ", the current token is still served" : "", typed.getMessage());
        deliver(l -> l.refreshFailed(manager.name(), typed, consecutiveFailures, valueServed));
        if (retryIn.isPresent()) {
            Duration wait = retryIn.get();
            deliver(l -> l.retryScheduled(manager.name(), wait, consecutiveFailures));
        }
        if (failure instanceof ReauthenticationRequiredException) {
            deliver(l -> l.reauthenticationRequired(manager.name(), (ReauthenticationRequiredException) failure));
        }
    }

    /** Refreshes through the fleet or with one request; counted, so that {@link #close} can wait for it. */
    @Override
    public RefreshingValue.Loaded<AccessToken> load(AccessToken previous) {
        synchronized (loadLock) {
            if (closed) {
                throw new IllegalStateException(manager.name() + " is closed");
            }
            loadsRunning++;
        }
        try {
            Fleet fleet = manager.fleet();
            RefreshingValue.Loaded<AccessToken> loaded = fleet != null ? fleet.load(previous) : loadOnce(previous);
            reauthenticationRequired = false;
            return loaded;
        } catch (ReauthenticationRequiredException e) {
            // Set here, before the waiters see the failure; the listeners hear of it later, on a worker.
            reauthenticationRequired = true;
            throw e;
        } finally {
            synchronized (loadLock) {
                loadsRunning--;
                loadLock.notifyAll();
            }
        }
    }

    /** A refresh with one request to the token endpoint (two when the store holds a newer refresh token). */
    private RefreshingValue.Loaded<AccessToken> loadOnce(AccessToken previous) {
        String name = manager.name();
        URI endpoint = manager.tokenEndpoint();
        RefreshTokenStorage storage = manager.storage();
        RefreshTokenWriteBack refreshTokens = manager.refreshTokens();
        CircuitBreaker circuitBreaker = manager.guard().circuitBreaker();
        // Read before asking the breaker: a store failure is not the endpoint's.
        Secret used = refreshTokens != null ? storage.current(refreshTokens, endpoint) : null;
        if (!circuitBreaker.tryAcquirePermission()) {
            throw manager.guard().refusedWhileOpen(endpoint);
        }
        Instant start = manager.clock().instant();
        long startNanos = System.nanoTime();
        TokenResponse response;
        boolean rotated;
        try {
            try {
                response = manager.grant().fetch(TokenSource.Request.of(previous, used, manager.scopes()));
            } catch (ReauthenticationRequiredException refused) {
                Secret stored = used == null ? null : storage.newerStored(refreshTokens, used, name);
                if (stored == null) {
                    throw refused;
                }
                // Another process rotated the token and stored the newer one: use it.
                used = stored;
                response = manager.grant().fetch(TokenSource.Request.of(previous, used, manager.scopes()));
            }
            rotated = response.refreshToken().isPresent() && used != null
                    && !response.refreshToken().get().equals(used);
            circuitBreaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        } catch (InvalidTokenResponseException e) {
            circuitBreaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, e);
            if (refreshTokens != null) {
                e.receivedRefreshToken().ifPresent(refreshTokens::keep);
            }
            throw e;
        } catch (RuntimeException e) {
            circuitBreaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, e);
            throw e;
        } catch (Error e) {
            // Not a verdict on the endpoint: free the permission so a half-open breaker is not stuck.
            circuitBreaker.releasePermission();
            throw e;
        }
        if (rotated) {
            // Only the refresh-token grant has a token that can rotate (used != null).
            refreshTokens.keep(response.refreshToken().get());
        }

        Instant expiresAt = start.plus(response.expiresIn());
        AccessToken token = new AccessToken(response.accessToken(), expiresAt, response.scopes());
        RefreshingValue.Loaded<AccessToken> loaded = manager.schedule(token, start,
                response.refreshIn().map(start::plus));
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        boolean didRotate = rotated;
        manager.notifyListeners(l -> l.refreshSucceeded(name, took, expiresAt, didRotate));
        LOG.debug("{}: new access token, expires at {}, refresh at {}{}", name, expiresAt, loaded.refreshAt(),
                rotated ? ", refresh token rotated" : "");
        return loaded;
    }

    /** Tells each listener; one that throws (even an {@code Error}) keeps the others from nothing. */
    void deliver(Consumer<TokenListener> event) {
        for (TokenListener listener : manager.listeners()) {
            try {
                event.accept(listener);
            } catch (Throwable e) {
                if (!listenerThrowReported) {
                    listenerThrowReported = true;
                    LOG.warn("{}: a token listener ({}) threw {}; ignored, and later throws are logged at debug "
                            + "level only", manager.name(), listener.getClass().getName(), e.getClass().getName());
                } else {
                    LOG.debug("{}: a token listener ({}) threw {} again", manager.name(),
                            listener.getClass().getName(), e.getClass().getName());
                }
            }
        }
    }

    /**
     * Marks the manager closed: loads that start later fail. Taken under the lock the loads count themselves under,
     * so that {@link #awaitRunningLoad} sees every load that started before.
     *
     * @return whether this call closed it ({@code false} when it was closed already)
     */
    boolean close() {
        synchronized (loadLock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /** Whether the manager is closed. */
    boolean closed() {
        return closed;
    }

    /** Whether the last refresh was refused as needing re-authentication, and no refresh succeeded since. */
    boolean reauthenticationRequired() {
        return reauthenticationRequired;
    }

    /** Forgets a refusal, for a refresh an operator asked for. */
    void clearReauthenticationRequired() {
        reauthenticationRequired = false;
    }

    /** Waits, up to the deadline, for a load that started before {@link #close()}. */
    void awaitRunningLoad(long deadline) {
        synchronized (loadLock) {
            while (loadsRunning > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("{}: closed while a refresh was still running after {}", manager.name(),
                            manager.closeTimeout());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(loadLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
