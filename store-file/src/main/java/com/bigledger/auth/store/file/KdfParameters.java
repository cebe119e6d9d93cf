package com.bigledger.auth.store.file;

/**
 * The Argon2id cost of deriving a vault's key from its passphrase: memory, passes and lanes.
 *
 * <p>Why they are configurable: the cost protects a stolen file against guessing, and what a machine can afford
 * differs. They are stored in the file's header when the file is created, so a file is always opened with its own
 * parameters whatever the reader is configured with. By default, {@link #RFC_9106_SECOND_RECOMMENDED}: 64 MiB,
 * 3 passes, 4 lanes (RFC 9106, section 4, second recommended option). Immutable and thread-safe.
 */
public final class KdfParameters {

    /** RFC 9106's second recommended option: m = 64 MiB, t = 3, p = 4. */
    public static final KdfParameters RFC_9106_SECOND_RECOMMENDED = new KdfParameters(64 * 1024, 3, 4);

    /** Largest memory a file may ask for, so that a crafted header cannot make a reader allocate without bound. */
    static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    static final int MAX_ITERATIONS = 1024;
    static final int MAX_PARALLELISM = 255;

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;

    private KdfParameters(int memoryKiB, int iterations, int parallelism) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /**
     * Returns Argon2id parameters. Small values are allowed (tests use them); RFC 9106's recommendations are the
     * floor for real vaults.
     *
     * @param memoryKiB memory in KiB, at least 8 per lane and at most 4 GiB
     * @param iterations passes over memory, 1 to 1024
     * @param parallelism lanes, 1 to 255
     * @return the parameters
     * @throws IllegalArgumentException if a value is out of range; the message gives it
     */
    public static KdfParameters argon2id(int memoryKiB, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2id parallelism must be 1 to " + MAX_PARALLELISM + ": "
                    + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2id iterations must be 1 to " + MAX_ITERATIONS + ": "
                    + iterations);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id memory must be 8 KiB per lane to " + MAX_MEMORY_KIB
                    + " KiB: " + memoryKiB + " KiB with " + parallelism + " lanes");
        }
        return new KdfParameters(memoryKiB, iterations, parallelism);
    }

    /**
     * Returns the memory cost.
     *
     * @return KiB
     */
    public int memoryKiB() {
        return memoryKiB;
    }

    /**
     * Returns the number of passes.
     *
     * @return the time cost
     */
    public int iterations() {
        return iterations;
    }

    /**
     * Returns the number of lanes.
     *
     * @return the parallelism
     */
    public int parallelism() {
        return parallelism;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KdfParameters && ((KdfParameters) other).memoryKiB == memoryKiB
                && ((KdfParameters) other).iterations == iterations
                && ((KdfParameters) other).parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return (memoryKiB * 31 + iterations) * 31 + parallelism;
    }

    @Override
    public String toString() {
        return "Argon2id(m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + ")";
    }
}
