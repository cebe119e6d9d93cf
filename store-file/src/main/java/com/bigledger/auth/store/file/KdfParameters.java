package com.bigledger.auth.store.file;

/**
 * The Argon2id cost of deriving a secrets file's key from its passphrase: memory, passes and lanes.
 *
 * <p>Why they are configurable: the cost protects a stolen file against guessing, and what a machine can afford
 * differs. They are stored in the file's header when the file is created, so a file is always opened with its own
 * parameters whatever the reader is configured with. By default, {@link #RFC_9106_SECOND_RECOMMENDED}: 64 MiB,
 * 3 passes, 4 lanes (RFC 9106, section 4, second recommended option). Immutable and thread-safe.
 */
public final class KdfParameters {

    /** RFC 9106's second recommended option: m = 64 MiB, t = 3, p = 4. */
    public static final KdfParameters RFC_9106_SECOND_RECOMMENDED = new KdfParameters(64 * 1024, 3, 4);

    /** Largest memory a file may ask for: RFC 9106's first recommended option, 2 GiB. */
    static final int MAX_MEMORY_KIB = 2 * 1024 * 1024;
    /** Most passes a file may ask for. */
    static final int MAX_ITERATIONS = 10;
    /** Most lanes a file may ask for. */
    static final int MAX_PARALLELISM = 16;
    /** Most work (memory times passes) a file may ask for: 4 GiB, about twenty times the default's. */
    static final long MAX_WORK_KIB = 4L * 1024 * 1024;
    /** RFC 9106's floor: at least 64 MiB of memory ... */
    static final int FLOOR_MEMORY_KIB = 64 * 1024;
    /** ... and at least the work of its second recommended option, 64 MiB times 3 passes. */
    static final long FLOOR_WORK_KIB = 3L * FLOOR_MEMORY_KIB;

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;

    private KdfParameters(int memoryKiB, int iterations, int parallelism) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /**
     * Returns Argon2id parameters within the limits every reader enforces: at most 2 GiB, 10 passes, 16 lanes, and
     * memory times passes at most 4 GiB, so that no file can make opening it cost more than about twenty times the
     * default. Values below RFC 9106's floor are allowed here (tests use them), but a source uses them only with
     * {@link FileCredentialSource.Builder#allowWeakKdf(boolean)}; see {@link #meetsRfc9106Floor()}.
     *
     * @param memoryKiB memory in KiB, at least 8 per lane and at most 2 GiB
     * @param iterations passes over memory, 1 to 10
     * @param parallelism lanes, 1 to 16
     * @return the parameters
     * @throws IllegalArgumentException if a value is out of range; the message gives it
     */
    public static KdfParameters argon2id(int memoryKiB, int iterations, int parallelism) {
        String problem = outOfRange(memoryKiB, iterations, parallelism);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new KdfParameters(memoryKiB, iterations, parallelism);
    }

    /**
     * Describes what is out of range in parameters read as unsigned numbers (from a file's header), or returns
     * {@code null} when they are within the limits.
     */
    static String outOfRange(long memoryKiB, long iterations, long parallelism) {
        String asked = "Argon2id with " + memoryKiB + " KiB, " + iterations + " passes, " + parallelism + " lanes";
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            return asked + ": lanes must be 1 to " + MAX_PARALLELISM;
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return asked + ": passes must be 1 to " + MAX_ITERATIONS;
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            return asked + ": memory must be 8 KiB per lane to " + MAX_MEMORY_KIB + " KiB (at most 2 GiB)";
        }
        if (memoryKiB * iterations > MAX_WORK_KIB) {
            return asked + ": memory times passes must be at most " + MAX_WORK_KIB + " KiB (4 GiB)";
        }
        return null;
    }

    /**
     * Tells whether these parameters are at least RFC 9106's floor: 64 MiB of memory, and memory times passes at
     * least that of its second recommended option (64 MiB, 3 passes). Its first option (2 GiB, 1 pass) meets it.
     *
     * @return {@code true} if a source opens or creates files with them without
     *     {@link FileCredentialSource.Builder#allowWeakKdf(boolean)}
     */
    public boolean meetsRfc9106Floor() {
        return memoryKiB >= FLOOR_MEMORY_KIB && (long) memoryKiB * iterations >= FLOOR_WORK_KIB;
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
