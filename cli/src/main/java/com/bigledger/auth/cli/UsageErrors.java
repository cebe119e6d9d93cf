package com.bigledger.auth.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a wrong command line in a line or two: what was wrong and how to get help, instead of picocli's whole
 * usage text after one line that scrolled off. An unknown command is answered with the commands whose names are
 * close to it, if any: picocli always suggests two, however unrelated. Thread-safe: stateless.
 */
final class UsageErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine failed = ex.getCommandLine();
        PrintWriter err = failed.getErr();
        String name = failed.getCommandSpec().qualifiedName();
        boolean hasCommands = !failed.getSubcommands().isEmpty();
        if (hasCommands && !(ex instanceof UnmatchedArgumentException)) {
            // No command given: the list of commands is the answer.
            err.println(ex.getMessage());
            failed.usage(err);
        } else if (hasCommands && ex instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && !unmatched.getUnmatched().isEmpty()) {
            String typed = unmatched.getUnmatched().get(0);
            List<String> close = closeNames(typed, failed.getSubcommands().keySet());
            err.println(name + ": unknown command '" + typed + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
            err.println("Run '" + name + " --help' for the commands.");
        } else {
            err.println(name + ": " + Messages.oneLine(ex.getMessage()));
            err.println("Run '" + name + " --help' for " + (hasCommands ? "the commands." : "its options."));
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The names within a typo or two of what was typed, or that it begins. */
    static List<String> closeNames(String typed, Iterable<String> names) {
        String lower = typed.toLowerCase(Locale.ROOT);
        List<String> close = new ArrayList<>();
        for (String name : names) {
            int allowed = name.length() <= 4 ? 1 : 2;
            if (lower.length() >= 2 && name.startsWith(lower) || distance(lower, name) <= allowed) {
                close.add(name);
            }
        }
        return close;
    }

    /** The Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
