package com.bigledger.auth.benchmarks;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.utils.cache.CachedSupplier;

/**
 * Target 1, the hot path: one call for a cached, fresh token, against the floor (a getter of a volatile field) and
 * the libraries users would pick instead. Every subject holds a one-hour token fetched from the same fake endpoint
 * at set-up, far from its refresh window for the whole run; tear-down fails the run if any of them went back to the
 * endpoint. Each state is shared by all benchmark threads, as one token source is shared by a service's threads.
 *
 * <p>Run through {@link HotPathReport} for the table with ratios, or with JMH's own command line.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class HotPathBenchmark {

    /** The floor: what one volatile read costs. */
    @State(Scope.Benchmark)
    public static class Floor {
        private volatile Object value = new Object();

        Object get() {
            return value;
        }
    }

    /** A {@link TokenManager} on the defaults (shared scheduler, system clock) holding a fresh token. */
    @State(Scope.Benchmark)
    public static class Manager {
        TokenServer server;
        TokenManager manager;

        @Setup(Level.Trial)
        public void setUp() {
            server = TokenServer.start();
            manager = TokenManager.builder().client(server.client()).clientCredentials().build();
            manager.token();
            if (manager.state() != TokenManager.State.FRESH) {
                throw new IllegalStateException("the token is not fresh: " + manager.state());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            int requests = server.requests();
            manager.close();
            server.close();
            if (requests != 1) {
                throw new IllegalStateException("the token was fetched " + requests + " times during the run");
            }
        }
    }

    /** A {@link CredentialHandle} of a vault with a one-hour TTL over an in-memory store, value cached. */
    @State(Scope.Benchmark)
    public static class Handle {
        InMemoryCredentialSource source;
        CredentialVault vault;
        CredentialHandle handle;

        @Setup(Level.Trial)
        public void setUp() {
            source = new InMemoryCredentialSource("mem");
            CredentialRef ref = source.put("bench/api_key", Secret.of(TokenServer.fakeValue("blg_test_sk_bench_")));
            vault = CredentialVault.builder().source(source).discoverSources(false).ttl(Duration.ofHours(1)).build();
            handle = vault.handle(ref);
            handle.get();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            int loads = source.loads();
            vault.close();
            if (loads != 1) {
                throw new IllegalStateException("the secret was loaded " + loads + " times during the run");
            }
        }
    }

    /** google-auth {@code OAuth2Credentials} with its default margins, holding a fresh token. */
    @State(Scope.Benchmark)
    public static class Google {
        final URI uri = URI.create("https://api.bigledger.com/v1/accounts");
        TokenServer server;
        Alternatives.EndpointCredentials credentials;

        @Setup(Level.Trial)
        public void setUp() {
            server = TokenServer.start();
            credentials = Alternatives.googleFetched(server.fetch());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkAndClose(server);
        }
    }

    /** AWS SDK v2 {@code CachedSupplier}, default prefetch ({@code OneCallerBlocks}), holding a fresh token. */
    @State(Scope.Benchmark)
    public static class Aws {
        TokenServer server;
        CachedSupplier<String> supplier;

        @Setup(Level.Trial)
        public void setUp() {
            server = TokenServer.start();
            supplier = Alternatives.aws(server.fetch(), Clock.systemUTC(), false, Duration.ofSeconds(30),
                    Duration.ofMinutes(5), true);
            supplier.get();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            supplier.close();
            checkAndClose(server);
        }
    }

    /** AWS SDK v2 {@code CachedSupplier} with {@code NonBlocking} prefetch, holding a fresh token. */
    @State(Scope.Benchmark)
    public static class AwsNonBlocking {
        TokenServer server;
        CachedSupplier<String> supplier;

        @Setup(Level.Trial)
        public void setUp() {
            server = TokenServer.start();
            supplier = Alternatives.aws(server.fetch(), Clock.systemUTC(), true, Duration.ofSeconds(30),
                    Duration.ofMinutes(5), true);
            supplier.get();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            supplier.close();
            checkAndClose(server);
        }
    }

    /** A Caffeine {@code LoadingCache} with {@code refreshAfterWrite} of 55 minutes, holding a fresh token. */
    @State(Scope.Benchmark)
    public static class CaffeineCache {
        static final String KEY = "bench-client";
        TokenServer server;
        LoadingCache<String, String> cache;

        @Setup(Level.Trial)
        public void setUp() {
            server = TokenServer.start();
            cache = Alternatives.caffeine(server.fetch(), Ticker.systemTicker(), Duration.ofMinutes(55),
                    Optional.empty());
            cache.get(KEY);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkAndClose(server);
        }
    }

    private static void checkAndClose(TokenServer server) {
        int requests = server.requests();
        server.close();
        if (requests != 1) {
            throw new IllegalStateException("the token was fetched " + requests + " times during the run");
        }
    }

    /**
     * The floor.
     *
     * @param s the state
     * @return the field
     */
    @Benchmark
    public Object floor(Floor s) {
        return s.get();
    }

    /**
     * {@code TokenManager.token()}.
     *
     * @param s the state
     * @return the token
     */
    @Benchmark
    public AccessToken tokenManager(Manager s) {
        return s.manager.token();
    }

    /**
     * {@code TokenManager.bearerToken()}: the header value as a {@code String}, kept on the token once made.
     *
     * @param s the state
     * @return the token text
     */
    @Benchmark
    public String tokenManagerBearer(Manager s) {
        return s.manager.bearerToken();
    }

    /**
     * {@code CredentialHandle.get()}.
     *
     * @param s the state
     * @return the secret
     */
    @Benchmark
    public Secret credentialHandle(Handle s) {
        return s.handle.get();
    }

    /**
     * google-auth {@code OAuth2Credentials.getRequestMetadata(URI)}.
     *
     * @param s the state
     * @return the headers
     * @throws IOException never with a cached token
     */
    @Benchmark
    public Map<String, List<String>> googleAuth(Google s) throws IOException {
        return s.credentials.getRequestMetadata(s.uri);
    }

    /**
     * AWS {@code CachedSupplier.get()}, default prefetch.
     *
     * @param s the state
     * @return the token
     */
    @Benchmark
    public String awsCachedSupplier(Aws s) {
        return s.supplier.get();
    }

    /**
     * AWS {@code CachedSupplier.get()}, {@code NonBlocking} prefetch.
     *
     * @param s the state
     * @return the token
     */
    @Benchmark
    public String awsCachedSupplierNonBlocking(AwsNonBlocking s) {
        return s.supplier.get();
    }

    /**
     * Caffeine {@code LoadingCache.get(key)} with {@code refreshAfterWrite}.
     *
     * @param s the state
     * @return the token
     */
    @Benchmark
    public String caffeine(CaffeineCache s) {
        return s.cache.get(CaffeineCache.KEY);
    }
}
