package com.bigledger.auth.micrometer;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialLoadListener;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Meters for one {@link CredentialVault}'s reads from its stores, every one tagged {@code vault=NAME}, the store's
 * {@code scheme} ({@code env}, {@code aws-sm}, {@code vault}, {@code file}, …) and the tags given:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code bigledger.auth.credential.load}</td><td>timer</td><td>{@code outcome}</td>
 *       <td>loads from a store and how long they took: {@code success} or {@code failure}</td></tr>
 *   <tr><td>{@code bigledger.auth.credential.load.failures}</td><td>counter</td><td>{@code kind}</td>
 *       <td>failed loads, by the failure's {@link CredentialException#kind() kind}: {@code not_found},
 *       {@code access_denied}, {@code unavailable}, {@code invalid}, {@code no_source} (no store for the reference's
 *       scheme), {@code other} (another configuration problem)</td></tr>
 * </table>
 *
 * <p>The reference itself is not a tag: it is no secret, but a vault serving many tenants reads one reference per
 * tenant, and a tag per reference would grow without bound. Meters count the loads after {@link #bindTo}; they are
 * told by a {@link CredentialLoadListener} that {@link #close()} removes.
 *
 * <p>Thread-safe. Binding to several registries is allowed.
 */
public final class CredentialVaultMetrics implements MeterBinder, AutoCloseable {

    private final CredentialVault vault;
    private final Tags tags;
    private final Registrations registrations = new Registrations("a credential load listener");

    private CredentialVaultMetrics(CredentialVault vault, String name, Iterable<Tag> tags) {
        this.vault = Objects.requireNonNull(vault, "vault");
        this.tags = Tags.of("vault", Objects.requireNonNull(name, "name")).and(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Creates the binder.
     *
     * @param vault the vault
     * @param name the value of the {@code vault} tag, such as {@code bigledger}
     * @return the binder; call {@link #bindTo} (Spring Boot does it for a bean)
     * @throws NullPointerException if an argument is {@code null}
     */
    public static CredentialVaultMetrics of(CredentialVault vault, String name) {
        return new CredentialVaultMetrics(vault, name, Tags.empty());
    }

    /**
     * Creates the binder with more tags.
     *
     * @param vault the vault
     * @param name the value of the {@code vault} tag
     * @param tags tags added to every meter
     * @return the binder
     * @throws NullPointerException if an argument is {@code null}
     */
    public static CredentialVaultMetrics of(CredentialVault vault, String name, Iterable<Tag> tags) {
        return new CredentialVaultMetrics(vault, name, tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        registrations.add(vault.addListener(new CredentialLoadListener() {
            @Override
            public void loaded(CredentialRef ref, Optional<String> version, Duration took) {
                timer(registry, ref, "success").record(took);
            }

            @Override
            public void loadFailed(CredentialRef ref, CredentialException failure, Duration took) {
                timer(registry, ref, "failure").record(took);
                String kind = FailureKinds.ofLoad(failure, vault.schemes().contains(ref.scheme()));
                Counter.builder("bigledger.auth.credential.load.failures")
                        .description("Failed loads of a secret from its store, by kind")
                        .tags(tags).tag("scheme", ref.scheme()).tag("kind", kind)
                        .register(registry).increment();
            }
        }));
    }

    private Timer timer(MeterRegistry registry, CredentialRef ref, String outcome) {
        return Timer.builder("bigledger.auth.credential.load")
                .description("Loads of a secret from its store and how long they took")
                .tags(tags).tag("scheme", ref.scheme()).tag("outcome", outcome)
                .register(registry);
    }

    /** Stops counting: removes the listeners added by {@link #bindTo}. The meters stay in their registries. */
    @Override
    public void close() {
        registrations.close();
    }

    @Override
    public String toString() {
        return "CredentialVaultMetrics" + tags;
    }
}
