package com.bigledger.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CredentialSource} must have; a store module's test extends this class.
 *
 * <p>A subclass supplies the source under test and a way to put values in its store. Every test seeds all its
 * values before it first calls {@link #source()}, so a source that takes a snapshot of its store when built (the
 * environment) can be built lazily inside {@code source()}; JUnit creates a new instance of the test class for
 * each test, so per-test state can live in fields. Writes in the writable tests go through the source itself.
 *
 * <p>Seeded values are {@link Canary} fake keys made at run time ({@code blg_test_sk_} and random hex), and the
 * tests check that no exception message and no {@code toString()} ever holds one.
 */
public abstract class CredentialSourceContract {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FAKE_KEY_PREFIX = "blg_test_sk_";
    private static final int THREADS = 8;
    private static final int LOADS_PER_THREAD = 25;

    /** For subclasses: one per store under test. */
    protected CredentialSourceContract() {
    }

    private final List<String> seededValues = new ArrayList<>();

    /**
     * Returns the source under test; called after the test's values are seeded, possibly several times per test.
     *
     * @return the same source for the whole of one test
     */
    protected abstract CredentialSource source();

    /**
     * Stores a value in the source's store.
     *
     * @param name a name unique to this test, made of lower-case letters, digits and {@code _}; the store may
     *     adapt it to its own rules
     * @param value the value to store
     * @return a reference, without a field, to the stored value
     */
    protected abstract CredentialRef seed(String name, Secret value);

    /**
     * Returns a reference, of the source's scheme and without a field, at which the store holds nothing.
     *
     * @return a reference to nothing
     */
    protected abstract CredentialRef missing();

    /**
     * Returns the writable view of the source, when the store can be written; the write tests are skipped
     * otherwise. A writable source must keep versions, so that compare-and-set can be checked.
     *
     * <p>By default, the source itself when it is a {@link WritableCredentialSource}, else empty.
     *
     * @return the writable source, or empty
     */
    protected Optional<WritableCredentialSource> writable() {
        CredentialSource source = source();
        return source instanceof WritableCredentialSource
                ? Optional.of((WritableCredentialSource) source)
                : Optional.empty();
    }

    @Test
    void seededValueLoads() {
        Secret value = newFakeKey();
        CredentialRef ref = seedValue("seeded", value);

        VersionedSecret loaded = source().load(ref);

        assertThat(loaded.secret()).isEqualTo(value);
    }

    @Test
    void fieldOfAJsonValueLoads() {
        Secret clientId = newFakeKey();
        Secret clientSecret = newFakeKey();
        CredentialRef ref = seedValue("json", json(clientId, clientSecret));

        assertThat(source().load(ref.withField("client_secret")).secret()).isEqualTo(clientSecret);
        assertThat(source().load(ref.withField("client_id")).secret()).isEqualTo(clientId);
    }

    @Test
    void missingReferenceIsNotFoundAndTheMessageNamesIt() {
        seedValue("other", newFakeKey());
        CredentialRef ref = missing();

        Throwable thrown = catchThrowable(() -> source().load(ref));

        assertThat(thrown).isInstanceOf(CredentialNotFoundException.class).hasMessageContaining(ref.toString());
        assertThat(((CredentialException) thrown).ref()).isEqualTo(ref);
        assertNoSeededValueIn(thrown);
    }

    @Test
    void fieldOfANonJsonValueIsInvalidWithoutTheValue() {
        CredentialRef ref = seedValue("plain", newFakeKey());

        Throwable thrown = catchThrowable(() -> source().load(ref.withField("client_secret")));

        assertThat(thrown).isInstanceOf(CredentialException.class)
                .hasMessageContaining(ref.withField("client_secret").toString());
        assertThat(((CredentialException) thrown).kind()).isEqualTo(CredentialException.Kind.INVALID);
        assertNoSeededValueIn(thrown);
    }

    @Test
    void missingFieldIsNotFound() {
        CredentialRef ref = seedValue("json", json(newFakeKey(), newFakeKey()));

        Throwable thrown = catchThrowable(() -> source().load(ref.withField("no_such_field")));

        assertThat(thrown).isInstanceOf(CredentialNotFoundException.class).hasMessageContaining("no_such_field");
        assertNoSeededValueIn(thrown);
    }

    @Test
    void sourceSchemeMatchesItsReferences() {
        CredentialRef seeded = seedValue("scheme", newFakeKey());

        assertThat(seeded.scheme()).isEqualTo(source().scheme());
        assertThat(missing().scheme()).isEqualTo(source().scheme());
    }

    @Test
    void destroyingALoadedSecretDoesNotAffectTheNextLoad() {
        Secret value = newFakeKey();
        CredentialRef ref = seedValue("destroyed", value);

        source().load(ref).secret().destroy();

        assertThat(source().load(ref).secret()).isEqualTo(value);
    }

    @Test
    void manyThreadsLoadingAtOnceGetEqualValues() throws Exception {
        Secret value = newFakeKey();
        Secret field = newFakeKey();
        CredentialRef ref = seedValue("concurrent", value);
        CredentialRef fieldRef = seedValue("concurrent_json", json(newFakeKey(), field)).withField("client_secret");
        CredentialSource source = source();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<Secret>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                CredentialRef target = t % 2 == 0 ? ref : fieldRef;
                Callable<List<Secret>> loader = () -> {
                    start.await();
                    List<Secret> loaded = new ArrayList<>();
                    for (int i = 0; i < LOADS_PER_THREAD; i++) {
                        loaded.add(source.load(target).secret());
                    }
                    return loaded;
                };
                results.add(pool.submit(loader));
            }
            start.countDown();
            for (int t = 0; t < THREADS; t++) {
                assertThat(join(results.get(t))).hasSize(LOADS_PER_THREAD).containsOnly(t % 2 == 0 ? value : field);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toStringAndEveryExceptionMessageNeverContainASeededValue() {
        CredentialRef plain = seedValue("plain", newFakeKey());
        CredentialRef json = seedValue("json", json(newFakeKey(), newFakeKey()));
        CredentialSource source = source();

        List<Throwable> failures = new ArrayList<>();
        failures.add(catchThrowable(() -> source.load(missing())));
        failures.add(catchThrowable(() -> source.load(missing().withField("client_secret"))));
        failures.add(catchThrowable(() -> source.load(plain.withField("client_secret"))));
        failures.add(catchThrowable(() -> source.load(json.withField("no_such_field"))));
        assertThat(failures).doesNotContainNull();
        failures.forEach(this::assertNoSeededValueIn);

        assertNoSeededValueIn(source.toString());
        assertNoSeededValueIn(source.load(plain).toString());
        assertNoSeededValueIn(source.load(json).toString());
        assertNoSeededValueIn(source.load(json.withField("client_id")).toString());
    }

    @Test
    void writeWithTheExpectedVersionSucceedsAndReturnsANewVersion() {
        CredentialRef ref = seedValue("write", newFakeKey());
        WritableCredentialSource source = writableOrSkip();
        String before = versionOf(source.load(ref));
        Secret replacement = newFakeKey();

        WriteResult result = source.write(ref, replacement, Optional.of(before));

        assertThat(result.isWritten()).as("written: %s", result).isTrue();
        assertThat(result.version()).isPresent().get().isNotEqualTo(before);
        VersionedSecret after = source.load(ref);
        assertThat(after.secret()).isEqualTo(replacement);
        assertThat(after.version()).isEqualTo(result.version());
        assertNoSeededValueIn(result.toString());
    }

    @Test
    void writeWithAStaleVersionIsAConflictAndChangesNothing() {
        CredentialRef ref = seedValue("stale", newFakeKey());
        WritableCredentialSource source = writableOrSkip();
        String stale = versionOf(source.load(ref));
        Secret winner = newFakeKey();
        WriteResult first = source.write(ref, winner, Optional.of(stale));
        assertThat(first.isWritten()).as("first write: %s", first).isTrue();

        WriteResult second = source.write(ref, newFakeKey(), Optional.of(stale));

        assertThat(second.isConflict()).as("second write: %s", second).isTrue();
        VersionedSecret after = source.load(ref);
        assertThat(after.secret()).isEqualTo(winner);
        assertThat(after.version()).isEqualTo(first.version());
    }

    @Test
    void fieldWriteKeepsTheOtherFields() {
        Secret clientId = newFakeKey();
        CredentialRef ref = seedValue("field_write", json(clientId, newFakeKey()));
        WritableCredentialSource source = writableOrSkip();
        String before = versionOf(source.load(ref));
        Secret rotated = newFakeKey();

        WriteResult result = source.write(ref.withField("client_secret"), rotated, Optional.of(before));

        assertThat(result.isWritten()).as("written: %s", result).isTrue();
        assertThat(source.load(ref.withField("client_secret")).secret()).isEqualTo(rotated);
        assertThat(source.load(ref.withField("client_id")).secret()).isEqualTo(clientId);
    }

    /**
     * Makes a fresh fake API key, a {@link Canary}, and remembers it, so that the leak checks of this class look
     * for it as well as {@link LeakCheckExtension}.
     *
     * @return a value such as {@code blg_test_sk_} followed by random hex digits
     */
    protected final Secret newFakeKey() {
        String value = Canary.value(FAKE_KEY_PREFIX);
        seededValues.add(value);
        // The random part alone must not leak either: a source could strip or re-encode the known prefix.
        seededValues.add(value.substring(FAKE_KEY_PREFIX.length()));
        return Secret.of(value);
    }

    /**
     * Fails if the text holds a value seeded by this test, or the random part of one.
     *
     * @param text a message, a {@code toString()}, a log line
     */
    protected final void assertNoSeededValueIn(String text) {
        String redacted = text;
        for (String value : seededValues) {
            redacted = redacted.replace(value, "<SEEDED VALUE>");
        }
        // The failure shows the text with the values cut out, so that a leak is not repeated in the test report.
        if (!redacted.equals(text)) {
            fail("A seeded value leaked into: " + redacted);
        }
    }

    /**
     * Fails if the exception, its causes or its suppressed exceptions mention a value seeded by this test.
     *
     * @param thrown the exception to check
     */
    protected final void assertNoSeededValueIn(Throwable thrown) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> pending = new ArrayList<>(List.of(thrown));
        while (!pending.isEmpty()) {
            Throwable next = pending.remove(pending.size() - 1);
            if (next == null || !seen.add(next)) {
                continue;
            }
            assertNoSeededValueIn(String.valueOf(next));
            pending.add(next.getCause());
            pending.addAll(List.of(next.getSuppressed()));
        }
    }

    private CredentialRef seedValue(String purpose, Secret value) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        // The store gets its own copy, so that a source that hands out the instance it keeps is caught by the
        // destroy test rather than compared with itself.
        return seed("contract_" + purpose + "_" + HexFormat.of().formatHex(random), Secret.of(value.reveal()));
    }

    private static Secret json(Secret clientId, Secret clientSecret) {
        return Secret.of("{\"client_id\":\"" + clientId.reveal() + "\",\"client_secret\":\"" + clientSecret.reveal()
                + "\"}");
    }

    private WritableCredentialSource writableOrSkip() {
        Optional<WritableCredentialSource> writable = writable();
        assumeTrue(writable.isPresent(), "the source is not writable");
        return writable.get();
    }

    private static String versionOf(VersionedSecret loaded) {
        return loaded.version().orElseThrow(() -> new AssertionError("a writable source must return a version "
                + "with each value, for compare-and-set; it returned " + loaded));
    }

    private static <T> T join(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent load failed", e.getCause());
        }
    }
}
