package com.bigledger.auth.store.env;

import com.bigledger.auth.BigLedgerAuthException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code .env} file cannot be used: it does not exist, is not a regular file, or cannot be read.
 *
 * <p>Thrown when an {@link EnvCredentialSource} is built, so that a wrong path is reported at start-up rather
 * than at the first lookup; when the file becomes unreadable later, a lookup fails with a
 * {@link com.bigledger.auth.SourceUnavailableException} whose cause is this exception. The message names the file
 * and never holds its content. Not retryable in itself. Instances are immutable and thread-safe.
 */
public class DotenvFileException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String detail;

    DotenvFileException(Path file, String detail, Throwable cause) {
        super("The .env file " + Objects.requireNonNull(file, "file") + " " + detail, cause, false);
        this.file = file;
        this.detail = detail;
    }

    /**
     * Returns the file involved.
     *
     * @return the absolute path of the {@code .env} file
     */
    public Path file() {
        return file;
    }

    /** What is wrong, as a phrase that follows the file name ("does not exist", "is malformed at line 3: …"). */
    String detail() {
        return detail;
    }
}
