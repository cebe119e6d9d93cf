package com.bigledger.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a compare-and-set write: either the value was written and has a new version, or another writer
 * changed the secret first and nothing was written.
 *
 * <p>A conflict is an answer, not an error: the caller decides whether to re-read and try again. Immutable and
 * thread-safe.
 */
public final class WriteResult {

    private final boolean written;
    private final String version;

    private WriteResult(boolean written, String version) {
        this.written = written;
        this.version = version;
    }

    /**
     * The value was written.
     *
     * @param newVersion the version the store gave the new value, or {@code null} when it keeps none
     * @return the result
     */
    public static WriteResult written(String newVersion) {
        return new WriteResult(true, newVersion);
    }

    /**
     * Another writer won: the current version is not the expected one, and nothing was written.
     *
     * @param currentVersion the version now current in the store, or {@code null} when unknown
     * @return the result
     */
    public static WriteResult conflict(String currentVersion) {
        return new WriteResult(false, currentVersion);
    }

    /**
     * Tells whether the value was written.
     *
     * @return {@code true} when written, {@code false} on a conflict
     */
    public boolean isWritten() {
        return written;
    }

    /**
     * Tells whether another writer won.
     *
     * @return {@code true} on a conflict
     */
    public boolean isConflict() {
        return !written;
    }

    /**
     * Returns the new version after a write, or the store's current version after a conflict.
     *
     * @return the version, or empty when the store keeps none or did not say
     */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WriteResult && written == ((WriteResult) other).written
                && Objects.equals(version, ((WriteResult) other).version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(written, version);
    }

    @Override
    public String toString() {
        return (written ? "WriteResult[written" : "WriteResult[conflict") + (version == null ? "" : ", version="
                + version) + "]";
    }
}
