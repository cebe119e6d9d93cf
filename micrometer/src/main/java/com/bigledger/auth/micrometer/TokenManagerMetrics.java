package com.bigledger.auth.micrometer;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Meters for one {@link TokenManager}, every one tagged {@code manager=NAME} plus the tags given:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code bigledger.auth.token.refresh}</td><td>timer</td><td></td>
 *       <td>successful refreshes and how long the token endpoint took</td></tr>
 *   <tr><td>{@code bigledger.auth.token.refresh.failures}</td><td>counter</td><td>{@code kind}</td>
 *       <td>failed refreshes: {@code reauthentication_required}, {@code invalid_response}, {@code rate_limited},
 *       {@code server_error}, {@code client_error}, {@code timeout}, {@code io}, {@code no_response} (such as the
 *       circuit breaker open), {@code store} (the refresh token could not be read), {@code other}</td></tr>
 *   <tr><td>{@code bigledger.auth.token.refresh.retries}</td><td>counter</td><td></td>
 *       <td>retries scheduled after a failure</td></tr>
 *   <tr><td>{@code bigledger.auth.token.write.backs}</td><td>counter</td><td>{@code outcome}</td>
 *       <td>rotated refresh tokens written back: {@code success}, {@code failure}, {@code conflict}</td></tr>
 *   <tr><td>{@code bigledger.auth.token.state}</td><td>gauge</td><td>{@code state}</td>
 *       <td>1 for the manager's current {@link TokenManager.State}, 0 for the others</td></tr>
 *   <tr><td>{@code bigledger.auth.token.time.to.expiry}</td><td>gauge, seconds</td><td></td>
 *       <td>seconds until the cached token expires (negative once past); NaN before the first token</td></tr>
 * </table>
 *
 * <p>No tag carries a token, a secret or a reference: {@code kind} and {@code outcome} take the fixed values above.
 * Counters count the events after {@link #bindTo}; they are told by a {@link TokenListener} that {@link #close()}
 * removes. Further events of the manager (such as fleet-mode lease events) become meters here by overriding the
 * listener's new methods.
 *
 * <p>Thread-safe. Binding to several registries (a composite's members) is allowed.
 */
public final class TokenManagerMetrics implements MeterBinder, AutoCloseable {

    private final TokenManager manager;
    private final Tags tags;
    private final Clock clock;
    private final Registrations registrations = new Registrations("a token listener");

    private TokenManagerMetrics(TokenManager manager, String name, Iterable<Tag> tags, Clock clock) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.tags = Tags.of("manager", Objects.requireNonNull(name, "name")).and(Objects.requireNonNull(tags, "tags"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates the binder.
     *
     * @param manager the token manager
     * @param name the value of the {@code manager} tag, such as {@code bigledger}
     * @return the binder; call {@link #bindTo} (Spring Boot does it for a bean)
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TokenManagerMetrics of(TokenManager manager, String name) {
        return new TokenManagerMetrics(manager, name, Tags.empty(), Clock.systemUTC());
    }

    /**
     * Creates the binder with more tags and the clock the time to expiry is read on.
     *
     * @param manager the token manager
     * @param name the value of the {@code manager} tag
     * @param tags tags added to every meter
     * @param clock the clock; the manager's own, so that both agree
     * @return the binder
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TokenManagerMetrics of(TokenManager manager, String name, Iterable<Tag> tags, Clock clock) {
        return new TokenManagerMetrics(manager, name, tags, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Timer refresh = Timer.builder("bigledger.auth.token.refresh")
                .description("Successful access-token refreshes and how long the token endpoint took")
                .tags(tags).register(registry);
        for (TokenManager.State state : TokenManager.State.values()) {
            Gauge.builder("bigledger.auth.token.state", manager, m -> m.state() == state ? 1 : 0)
                    .description("1 for the token manager's current state, 0 for the others")
                    .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("bigledger.auth.token.time.to.expiry", manager, this::secondsToExpiry)
                .description("Seconds until the cached access token expires; NaN before the first token")
                .baseUnit("seconds").tags(tags).register(registry);
        Counter retries = counter(registry, "bigledger.auth.token.refresh.retries",
                "Token refresh retries scheduled after a failure", Tags.empty());
        registrations.add(manager.addListener(new TokenListener() {
            @Override
            public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                refresh.record(took);
            }

            @Override
            public void refreshFailed(String name, BigLedgerAuthException failure, int consecutiveFailures,
                    boolean tokenStillServed) {
                counter(registry, "bigledger.auth.token.refresh.failures", "Failed access-token refreshes, by kind",
                        Tags.of("kind", FailureKinds.ofRefresh(failure))).increment();
            }

            @Override
            public void retryScheduled(String name, Duration delay, int consecutiveFailures) {
                retries.increment();
            }

            @Override
            public void writeBackSucceeded(String name, CredentialRef ref, Optional<String> version) {
                writeBack(registry, "success");
            }

            @Override
            public void writeBackFailed(String name, CredentialRef ref, RuntimeException failure, Duration retryIn) {
                writeBack(registry, "failure");
            }

            @Override
            public void writeBackConflict(String name, CredentialRef ref, Optional<String> currentVersion) {
                writeBack(registry, "conflict");
            }
        }));
    }

    private void writeBack(MeterRegistry registry, String outcome) {
        counter(registry, "bigledger.auth.token.write.backs", "Rotated refresh tokens written back to their store",
                Tags.of("outcome", outcome)).increment();
    }

    private Counter counter(MeterRegistry registry, String name, String description, Tags extra) {
        return Counter.builder(name).description(description).tags(tags.and(extra)).register(registry);
    }

    private double secondsToExpiry(TokenManager m) {
        return m.expiresAt().map(at -> Duration.between(clock.instant(), at).toMillis() / 1000.0)
                .orElse(Double.NaN);
    }

    /** Stops counting: removes the listeners added by {@link #bindTo}. The meters stay in their registries. */
    @Override
    public void close() {
        registrations.close();
    }

    @Override
    public String toString() {
        return "TokenManagerMetrics" + tags;
    }
}
