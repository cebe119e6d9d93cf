package com.bigledger.auth.cli;

/**
 * A failure of a command's run: its exit code and the one line that says what went wrong, without a secret.
 * {@link CommandRun#run} prints it after the command's prefix. No stack trace is kept.
 */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    Failure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
