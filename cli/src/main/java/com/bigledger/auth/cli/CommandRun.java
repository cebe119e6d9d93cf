package com.bigledger.auth.cli;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The skeleton the commands share: a run whose {@link Failure} becomes one line on stderr after the
 * command's prefix and its exit code, with both streams flushed whatever happens; a setting read from an option or
 * else an environment variable; and the exit code and message of a credential that cannot be resolved.
 */
final class CommandRun {

    /** One run of a command, which fails with a {@link Failure}. */
    @FunctionalInterface
    interface Body {

        /**
         * Runs the command.
         *
         * @return the exit code
         * @throws Failure when the run fails: its exit code and one line
         */
        int run() throws Failure;
    }

    private CommandRun() {
    }

    /**
     * Runs a command's body: a failure is printed as {@code prefix + message} on stderr and its exit code returned;
     * stdout and stderr are flushed at the end.
     *
     * @param spec the command's model, whose streams are used
     * @param prefix what starts each failure line, such as {@code "bigledger-auth token: "}
     * @param body the run
     * @return the exit code
     */
    static int run(CommandSpec spec, String prefix, Body body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run();
        } catch (Failure f) {
            err.println(prefix + f.getMessage());
            return f.exitCode;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The exit code of a credential that cannot be resolved, from a {@link CredentialException}'s
     * {@link CredentialException#kind() kind}: {@link ExitCodes#NOT_FOUND} when the store holds nothing there,
     * {@link ExitCodes#CONFIGURATION} for a store or reference set up wrong (and a setting given twice:
     * {@link EnvironmentSettings.InvalidSettingException}), but {@link ExitCodes#ERROR} for a scheme that no store of
     * this program serves; {@link ExitCodes#USAGE} for an option the store does not support
     * ({@link IllegalArgumentException}); else {@link ExitCodes#ERROR} (a store that fails or refuses access, a value
     * that cannot be used, or stores on the class path that conflict: {@link IllegalStateException}).
     *
     * @param failure what resolving threw
     * @return the exit code
     */
    static int credentialExitCode(RuntimeException failure) {
        if (failure instanceof CredentialException) {
            CredentialException e = (CredentialException) failure;
            switch (e.kind()) {
                case NOT_FOUND:
                    return ExitCodes.NOT_FOUND;
                case CONFIGURATION:
                    return Stores.serves(e.ref().scheme()) ? ExitCodes.CONFIGURATION : ExitCodes.ERROR;
                default:
                    return ExitCodes.ERROR;
            }
        }
        if (failure instanceof EnvironmentSettings.InvalidSettingException) {
            return ExitCodes.CONFIGURATION;
        }
        if (failure instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.ERROR;
    }

    /**
     * Tells whether resolving a credential may fail with this exception in a way {@link #credentialExitCode} maps:
     * the library's exceptions, a conflict of stores, or an option a store does not support.
     *
     * @param failure what resolving threw
     * @return whether it is a resolution failure rather than a bug
     */
    static boolean isCredentialFailure(RuntimeException failure) {
        return failure instanceof BigLedgerAuthException || failure instanceof IllegalStateException
                || failure instanceof IllegalArgumentException;
    }

    /**
     * The detail of a credential failure's message: on one line, without the reference that credential exceptions
     * already start with (others, such as a store that cannot start, do not).
     *
     * @param ref the reference
     * @param exceptionMessage the exception's message
     * @return the detail
     */
    static String credentialDetail(CredentialRef ref, String exceptionMessage) {
        String message = Messages.oneLine(exceptionMessage);
        return message.startsWith(ref + ": ") ? message.substring(ref.toString().length() + 2) : message;
    }
}
