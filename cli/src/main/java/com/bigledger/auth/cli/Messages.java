package com.bigledger.auth.cli;

/** Shapes messages for the terminal: one line each, and never quoting a value that may be a secret. */
final class Messages {

    /** Values shorter than this cannot be a usable secret, and are too short to search for in a message. */
    private static final int SHORTEST_SECRET = 8;

    private Messages() {
    }

    /**
     * Joins the lines of a message into one, so that each problem stays on one line of output.
     *
     * @param message a message, perhaps of several lines, perhaps {@code null}
     * @return the message on one line
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no detail given)";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /**
     * Removes a value the user gave from a message that may quote it, such as the message of
     * {@link com.bigledger.auth.CredentialRef#parse}: the value may be a key pasted in the wrong place.
     *
     * @param message the message
     * @param value the value that must not appear
     * @return the message without the value, or a message without detail when the value cannot be taken out
     */
    static String without(String message, String value) {
        String line = oneLine(message);
        if (value.isEmpty()) {
            return line;
        }
        String cleaned = line.replace("'" + value + "'", "(value not shown)");
        if (value.length() >= SHORTEST_SECRET && cleaned.contains(value)) {
            return "(detail not shown: it quotes the value)";
        }
        return cleaned;
    }
}
