package com.bigledger.auth;

import com.bigledger.auth.internal.Options;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenSource;
import com.bigledger.auth.spi.BuilderOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The options of a {@link TokenManagerBuilder}: each setter checks its value and that the option is set only once,
 * with the same messages as the builder's documentation promises; the fields hold the values, or the defaults, for
 * the manager's constructor to read. {@link #validate()} makes the checks that need every option. Not thread-safe,
 * like the builder that fills it.
 */
final class TokenManagerOptions {

    /** The options set so far: each may be set once. */
    private final BuilderOptions set = new BuilderOptions("TokenManager");
    final List<TokenListener> listeners = new CopyOnWriteArrayList<>();
    OAuthClient client;
    final GrantChoice grant = new GrantChoice();
    String name;
    Set<String> scopes = Set.of();
    // Defaults are shared instances: each manager keeps its options, and 100,000 managers need not keep copies.
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private Duration refreshAheadMinimum = FIVE_MINUTES;
    private double refreshAheadFraction = 0.1;
    private Duration expirySkew = THIRTY_SECONDS;
    private double jitter = 0.1;
    /** The schedule of the default settings, shared by every manager built with them. */
    private static final RefreshSchedule DEFAULT_SCHEDULE = new RefreshSchedule(FIVE_MINUTES, 0.1,
            THIRTY_SECONDS, 0.1);
    /** Made by the first build and reused by the later ones while the settings stay as they are. */
    private RefreshSchedule builtSchedule;
    Duration timeout = THIRTY_SECONDS;
    Duration maxStaleness = ONE_SECOND;
    Duration retryCooldown = THIRTY_SECONDS;
    Duration closeTimeout = TEN_SECONDS;
    Duration leaseTtl;
    Duration recordPollInterval = POLL_INTERVAL;
    boolean shareAccessTokens = true;
    RetrySettings retry = RetrySettings.defaults();
    CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
    Clock clock = Clock.systemUTC();
    Scheduler scheduler = Scheduler.systemDefault();

    /** Refuses a second value for {@code option}. */
    void client(OAuthClient client) {
        set.once("client", client);
        this.client = Objects.requireNonNull(client, "client");
    }

    void clientCredentials() {
        grant.clientCredentials();
    }

    void refreshToken(CredentialVault vault, CredentialRef ref) {
        grant.storage(new RefreshTokenStorage(Objects.requireNonNull(vault, "vault"),
                Objects.requireNonNull(ref, "ref"), null, false));
    }

    void tokenRecord(CredentialVault vault, CredentialRef record) {
        grant.storage(new RefreshTokenStorage(Objects.requireNonNull(vault, "vault"),
                Objects.requireNonNull(record, "record"), null, true));
    }

    void leaseTtl(Duration leaseTtl) {
        set.once("leaseTtl", leaseTtl);
        this.leaseTtl = Options.positive("TokenManager", "leaseTtl", leaseTtl);
    }

    void recordPollInterval(Duration interval) {
        set.once("recordPollInterval", interval);
        this.recordPollInterval = Options.positive("TokenManager", "recordPollInterval", interval);
    }

    void shareAccessTokens(boolean share) {
        set.once("shareAccessTokens", share);
        this.shareAccessTokens = share;
    }

    void refreshToken(Secret initial) {
        grant.storage(new RefreshTokenStorage(null, null, Objects.requireNonNull(initial, "initial"), false));
    }

    void tokenSource(TokenSource source) {
        grant.source(source);
    }

    void scopes(Set<String> scopes) {
        set.once("scopes", scopes);
        this.scopes = Set.copyOf(scopes);
    }

    void name(String name) {
        set.once("name", name);
        this.name = Objects.requireNonNull(name, "name");
    }

    void refreshAhead(Duration minimum, double fractionOfLifetime) {
        set.once("refreshAhead", minimum + "," + fractionOfLifetime);
        Objects.requireNonNull(minimum, "minimum");
        if (minimum.isNegative() || !(fractionOfLifetime >= 0 && fractionOfLifetime < 1)) {
            throw new IllegalArgumentException("TokenManager option 'refreshAhead' needs a minimum of zero or "
                    + "more and a fraction in [0, 1): " + minimum + ", " + fractionOfLifetime);
        }
        this.refreshAheadMinimum = minimum;
        this.refreshAheadFraction = fractionOfLifetime;
    }

    void expirySkew(Duration expirySkew) {
        set.once("expirySkew", expirySkew);
        Objects.requireNonNull(expirySkew, "expirySkew");
        if (expirySkew.isNegative()) {
            throw new IllegalArgumentException("TokenManager option 'expirySkew' must not be negative: "
                    + expirySkew);
        }
        this.expirySkew = expirySkew;
    }

    void jitter(double jitter) {
        set.once("jitter", jitter);
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("TokenManager option 'jitter' must be in [0, 1): " + jitter);
        }
        this.jitter = jitter;
    }

    void timeout(Duration timeout) {
        set.once("timeout", timeout);
        this.timeout = Options.positive("TokenManager", "timeout", timeout);
    }

    void maxStaleness(Duration maxStaleness) {
        set.once("maxStaleness", maxStaleness);
        Objects.requireNonNull(maxStaleness, "maxStaleness");
        if (maxStaleness.isNegative()) {
            throw new IllegalArgumentException("TokenManager option 'maxStaleness' must not be negative: "
                    + maxStaleness);
        }
        this.maxStaleness = maxStaleness;
    }

    void retry(RetrySettings retry) {
        set.once("retry", retry);
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    void retryCooldown(Duration retryCooldown) {
        set.once("retryCooldown", retryCooldown);
        this.retryCooldown = Options.positive("TokenManager", "retryCooldown", retryCooldown);
    }

    void closeTimeout(Duration closeTimeout) {
        set.once("closeTimeout", closeTimeout);
        this.closeTimeout = Options.positive("TokenManager", "closeTimeout", closeTimeout);
    }

    void circuitBreaker(CircuitBreakerSettings circuitBreaker) {
        set.once("circuitBreaker", circuitBreaker);
        this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    }

    void clock(Clock clock) {
        set.once("clock", clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void scheduler(Scheduler scheduler) {
        set.once("scheduler", scheduler);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    void addListener(TokenListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The schedule of these settings: the default settings' shared one, or the one made for an earlier build when
     * they have not changed since.
     */
    RefreshSchedule refreshSchedule() {
        if (DEFAULT_SCHEDULE.sameAs(refreshAheadMinimum, refreshAheadFraction, expirySkew, jitter)) {
            return DEFAULT_SCHEDULE;
        }
        RefreshSchedule schedule = builtSchedule;
        if (schedule == null || !schedule.sameAs(refreshAheadMinimum, refreshAheadFraction, expirySkew, jitter)) {
            schedule = new RefreshSchedule(refreshAheadMinimum, refreshAheadFraction, expirySkew, jitter);
            builtSchedule = schedule;
        }
        return schedule;
    }

    /** The checks of {@link TokenManagerBuilder#build()}, made before the manager is built. */
    void validate() {
        // Fails first without a client, unless a token source names its endpoint.
        grant.endpoint(client);
        if (!grant.chosen()) {
            throw new IllegalStateException("TokenManager needs a grant: call clientCredentials(), "
                    + "refreshToken(...), tokenRecord(...) or tokenSource(...)");
        }
        boolean fleetOption = set.isSet("leaseTtl") || set.isSet("recordPollInterval")
                || set.isSet("shareAccessTokens");
        RefreshTokenStorage storage = grant.storage();
        boolean record = storage != null && storage.record();
        if (!record && fleetOption) {
            throw new IllegalStateException("TokenManager options leaseTtl, recordPollInterval and "
                    + "shareAccessTokens need tokenRecord(...)");
        }
        if (record) {
            if (!storage.vault().supportsCompareAndSet(storage.ref())) {
                throw new IllegalArgumentException("The token record at " + storage.ref() + " needs a store "
                        + "with compare-and-set writes, and the '" + storage.ref().scheme() + "' store has none "
                        + "for it (use file:, vault: with KV version 2, or aws-sm:)");
            }
            if (leaseTtl != null && leaseTtl.compareTo(client.requestTimeout()) <= 0) {
                throw new IllegalArgumentException("TokenManager option 'leaseTtl' (" + leaseTtl + ") must be "
                        + "longer than the client's request timeout (" + client.requestTimeout() + ")");
            }
        }
    }
}
