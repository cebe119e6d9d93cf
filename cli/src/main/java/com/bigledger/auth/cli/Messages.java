package com.bigledger.auth.cli;

import com.bigledger.auth.spi.EnvironmentSettings;

/** Shapes messages for the terminal: one line each, and never quoting a value that may be a secret. */
final class Messages {

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
        if (message == null || value.isEmpty()) {
            return oneLine(message);
        }
        // Redacted before the lines are joined: joining rewrites line breaks, so a value holding one would no longer
        // be found once the message is on one line.
        return oneLine(EnvironmentSettings.withoutValue(message, value));
    }
}
