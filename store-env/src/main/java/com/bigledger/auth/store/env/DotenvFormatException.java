package com.bigledger.auth.store.env;

import java.nio.file.Path;

/**
 * A line of the {@code .env} file does not follow dotenv syntax: it has no {@code =}, its name is not a valid
 * variable name, a quote is not closed, or text follows a closing quote.
 *
 * <p>The message names the file, the line and what is wrong, and never quotes the line: a line that is not
 * {@code NAME=VALUE} may well be a pasted secret. Not retryable: the file has to be fixed. Thrown when an
 * {@link EnvCredentialSource} is built; when an edit breaks the file later, a lookup fails with a
 * {@link com.bigledger.auth.CredentialException} whose cause is this exception. Instances are immutable and
 * thread-safe.
 */
public class DotenvFormatException extends DotenvFileException {

    private static final long serialVersionUID = 1L;

    private final int line;

    DotenvFormatException(Path file, int line, String problem) {
        super(file, "is malformed at line " + line + ": " + problem, null);
        this.line = line;
    }

    /**
     * Returns the line where the problem is.
     *
     * @return the line number, counted from 1
     */
    public int line() {
        return line;
    }
}
