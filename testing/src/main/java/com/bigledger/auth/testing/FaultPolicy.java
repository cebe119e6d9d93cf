package com.bigledger.auth.testing;

import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Faults over many requests for a {@link FakeTokenEndpoint}: which requests fail, and how, in front of the
 * dispatcher that answers the rest. Where {@link FakeTokenEndpoint#enqueue} scripts one answer per request, a policy
 * keeps failing requests by a rule, for tests of retries, circuit breaking and recovery.
 *
 * <pre>{@code
 * RotatingIssuer issuer = new RotatingIssuer("my-client", clientSecret, 3600);
 * endpoint.dispatcher(FaultPolicy.firstRequests(2, () -> Response.status(503)).otherwise(issuer));
 * }</pre>
 *
 * <p>Requests are counted from 1 in the order the policy sees them, scripted ones excluded (the script answers
 * first). The fault is made anew for each request, so a response with a hold or a latch is never shared.
 *
 * <p>Thread-safe: the endpoint calls it from several threads at once.
 */
public final class FaultPolicy {

    private final LongPredicate failsRequest;
    private final Supplier<Response> fault;
    private final String description;

    private FaultPolicy(LongPredicate failsRequest, Supplier<Response> fault, String description) {
        this.failsRequest = failsRequest;
        this.fault = Objects.requireNonNull(fault, "fault");
        this.description = description;
    }

    /**
     * Fails the first {@code count} requests, then answers every request with the dispatcher: an outage that ends.
     *
     * @param count how many requests fail, zero or more
     * @param fault makes the answer to a failed request, such as {@code () -> Response.status(503)} or
     *     {@link Response#disconnect() Response::disconnect}
     * @return the policy; give it a dispatcher with {@link #otherwise(Function)}
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static FaultPolicy firstRequests(int count, Supplier<Response> fault) {
        Objects.requireNonNull(fault, "fault");
        if (count < 0) {
            throw new IllegalArgumentException("count must be zero or more, was " + count);
        }
        return new FaultPolicy(n -> n <= count, fault, "the first " + count + " requests");
    }

    /**
     * Fails every {@code n}th request (the {@code n}th, the {@code 2n}th, …): a flaky endpoint.
     *
     * @param n the period, 1 or more (1 fails every request)
     * @param fault makes the answer to a failed request
     * @return the policy; give it a dispatcher with {@link #otherwise(Function)}
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public static FaultPolicy everyNthRequest(int n, Supplier<Response> fault) {
        Objects.requireNonNull(fault, "fault");
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more, was " + n);
        }
        return new FaultPolicy(k -> k % n == 0, fault, "every request number k with k % " + n + " == 0");
    }

    /**
     * Fails each request with probability {@code probability}, drawn from a generator seeded with {@code seed}:
     * the same seed and the same order of requests fail the same requests, so a failing run can be repeated.
     *
     * @param probability between 0 and 1
     * @param seed the seed; print it in the test so that a failure can be replayed
     * @param fault makes the answer to a failed request
     * @return the policy; give it a dispatcher with {@link #otherwise(Function)}
     * @throws IllegalArgumentException if {@code probability} is not between 0 and 1
     */
    public static FaultPolicy randomly(double probability, long seed, Supplier<Response> fault) {
        Objects.requireNonNull(fault, "fault");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, was " + probability);
        }
        SplittableRandom random = new SplittableRandom(seed);
        return new FaultPolicy(k -> {
            synchronized (random) {
                return random.nextDouble() < probability;
            }
        }, fault, "requests at random, p = " + probability + ", seed " + seed);
    }

    /**
     * Returns the dispatcher that applies this policy and passes every request it does not fail to
     * {@code dispatcher}; give it to {@link FakeTokenEndpoint#dispatcher(Function)}. Each call starts a count of its
     * own.
     *
     * @param dispatcher answers the requests that do not fail, such as a {@link FakeTokenEndpoint.RotatingIssuer}
     * @return the dispatcher, which also reports how many faults it injected
     */
    public Dispatcher otherwise(Function<RecordedRequest, Response> dispatcher) {
        return new Dispatcher(this, Objects.requireNonNull(dispatcher, "dispatcher"));
    }

    /** Names the rule, for test output. */
    @Override
    public String toString() {
        return "FaultPolicy[" + description + "]";
    }

    /**
     * A dispatcher made by {@link FaultPolicy#otherwise(Function)}: it fails the requests its policy selects and
     * passes the others on. Thread-safe.
     */
    public static final class Dispatcher implements Function<RecordedRequest, Response> {

        private final FaultPolicy policy;
        private final Function<RecordedRequest, Response> delegate;
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong faults = new AtomicLong();

        private Dispatcher(FaultPolicy policy, Function<RecordedRequest, Response> delegate) {
            this.policy = policy;
            this.delegate = delegate;
        }

        @Override
        public Response apply(RecordedRequest request) {
            Objects.requireNonNull(request, "request");
            if (policy.failsRequest.test(seen.incrementAndGet())) {
                faults.incrementAndGet();
                return Objects.requireNonNull(policy.fault.get(), "the fault supplier returned null");
            }
            return delegate.apply(request);
        }

        /**
         * Returns how many requests this dispatcher answered with a fault.
         *
         * @return the count
         */
        public long faults() {
            return faults.get();
        }

        /**
         * Returns how many requests this dispatcher saw, failed or passed on.
         *
         * @return the count
         */
        public long requests() {
            return seen.get();
        }

        /** Names the policy, for test output. */
        @Override
        public String toString() {
            return policy + " (" + faults.get() + " of " + seen.get() + " requests failed)";
        }
    }
}
