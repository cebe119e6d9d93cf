package com.bigledger.auth;

import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.spi.ReferenceOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores a {@link CredentialVault} reads and writes, by scheme: the sources registered on its builder, which win,
 * and the providers discovered with {@link ServiceLoader}, whose sources are created on first use and closed with
 * the vault. Also checks a reference's options against its store. Thread-safe.
 */
final class CredentialSources {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialVault.class);

    private final Map<String, CredentialSource> explicitSources;
    private final Map<String, CredentialSourceProvider> providers;
    private final Map<String, CredentialSource> createdSources = new ConcurrentHashMap<>();

    /**
     * Creates the registry.
     *
     * @param explicit the sources registered on the builder, by scheme
     * @param discover whether to discover providers
     * @param classLoader where to discover them, or {@code null} for the one that loaded this library
     * @throws IllegalStateException if two discovered providers serve one scheme that has no explicit source
     */
    CredentialSources(Map<String, CredentialSource> explicit, boolean discover, ClassLoader classLoader) {
        this.explicitSources = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
        this.providers = discover ? discover(classLoader, explicitSources.keySet()) : Map.of();
    }

    /** The schemes served, sorted. */
    Set<String> schemes() {
        Set<String> schemes = new TreeSet<>(explicitSources.keySet());
        schemes.addAll(providers.keySet());
        return Collections.unmodifiableSet(schemes);
    }

    /** Whether a source serves the scheme, registered or discovered. */
    boolean serves(String scheme) {
        return explicitSources.containsKey(scheme) || providers.containsKey(scheme);
    }

    /**
     * The failure of a reference whose scheme no source serves: {@link CredentialException.Kind#CONFIGURATION}, naming
     * the schemes served and how to add one.
     */
    CredentialException noSource(CredentialRef ref) {
        return new CredentialException(CredentialException.Kind.CONFIGURATION, ref, "no credential source for scheme '"
                + ref.scheme() + "' (available: " + String.join(", ", schemes()) + "); put its store module on the "
                + "class path or register a source with CredentialVault.builder().source(...)", null);
    }

    /**
     * The source of the reference's scheme, created from its provider on first use.
     *
     * @throws CredentialException ({@link CredentialException.Kind#CONFIGURATION}, {@link #noSource}) if no source
     *     serves the scheme
     */
    CredentialSource source(CredentialRef ref) {
        CredentialSource explicit = explicitSources.get(ref.scheme());
        if (explicit != null) {
            return explicit;
        }
        CredentialSourceProvider provider = providers.get(ref.scheme());
        if (provider == null) {
            throw noSource(ref);
        }
        return createdSources.computeIfAbsent(ref.scheme(), scheme -> {
            CredentialSource created = provider.create();
            if (!scheme.equals(created.scheme())) {
                throw new IllegalStateException("Provider " + provider.getClass().getName() + " declares scheme '"
                        + scheme + "' but created a source for '" + created.scheme() + "'");
            }
            return created;
        });
    }

    /**
     * The reference's source, after checking its options: against the declaration of the provider (before the
     * source is created), or the options an explicitly registered source supports.
     *
     * @throws CredentialException ({@link CredentialException.Kind#CONFIGURATION}, {@link #noSource}) if no source
     *     serves the scheme
     * @throws IllegalArgumentException if the options are not what the store declares
     */
    CredentialSource checkedSource(CredentialRef ref) {
        CredentialSource explicit = explicitSources.get(ref.scheme());
        if (explicit != null) {
            ReferenceOptions.named(explicit.supportedOptions()).check(ref);
            return explicit;
        }
        CredentialSourceProvider provider = providers.get(ref.scheme());
        if (provider != null) {
            // Before the source is created: a reference its store refuses does not start the store.
            provider.options().check(ref);
        }
        return source(ref);
    }

    /** Closes the sources created from discovered providers; those registered on the builder are the caller's. */
    void closeCreated() {
        for (CredentialSource source : createdSources.values()) {
            try {
                source.close();
            } catch (Exception e) {
                LOG.warn("Closing the '{}' credential source failed: {}", source.scheme(), e.getClass().getName());
            }
        }
    }

    private static Map<String, CredentialSourceProvider> discover(ClassLoader classLoader, Set<String> explicit) {
        ServiceLoader<CredentialSourceProvider> loader = classLoader == null
                ? ServiceLoader.load(CredentialSourceProvider.class, CredentialVault.class.getClassLoader())
                : ServiceLoader.load(CredentialSourceProvider.class, classLoader);
        Map<String, CredentialSourceProvider> found = new LinkedHashMap<>();
        Map<String, List<String>> conflicts = new LinkedHashMap<>();
        for (CredentialSourceProvider provider : loader) {
            String scheme = provider.scheme();
            CredentialSourceProvider previous = found.putIfAbsent(scheme, provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                conflicts.computeIfAbsent(scheme, s -> new ArrayList<>(List.of(previous.getClass().getName())))
                        .add(provider.getClass().getName());
            }
        }
        for (Map.Entry<String, List<String>> conflict : conflicts.entrySet()) {
            if (!explicit.contains(conflict.getKey())) {
                throw new IllegalStateException("Two credential source providers serve scheme '" + conflict.getKey()
                        + "': " + String.join(" and ", conflict.getValue()) + ". Choose one: register it with "
                        + "CredentialVault.builder().source(...), which wins over discovery, or remove the other's "
                        + "module from the class path");
            }
        }
        return Collections.unmodifiableMap(found);
    }
}
