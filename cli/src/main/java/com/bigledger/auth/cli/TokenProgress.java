package com.bigledger.auth.cli;

import static com.bigledger.auth.cli.TokenCommand.PREFIX;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.TokenListener;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** What {@code bigledger-auth token} follows of its token manager's requests, through {@link TokenListener}s. */
final class TokenProgress {

    private TokenProgress() {
    }

    /**
     * Tells whether a token request has been sent and not yet answered: {@code refreshStarted} is reported when a
     * request goes out (in fleet mode only by the lease holder), and success or failure ends it. Thread-safe.
     */
    static final class RequestInFlight implements TokenListener {
        private volatile boolean sent;
        private volatile boolean everSent;

        @Override
        public void refreshStarted(String manager, boolean tokenStillServed) {
            sent = true;
            everSent = true;
        }

        @Override
        public void refreshSucceeded(String manager, Duration took, Instant expiresAt, boolean refreshTokenRotated) {
            sent = false;
        }

        @Override
        public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutiveFailures,
                boolean tokenStillServed) {
            sent = false;
        }

        boolean sent() {
            return sent;
        }

        boolean everSent() {
            return everSent;
        }
    }

    /**
     * Says on stderr that the token endpoint is being retried and why, so that a person does not wait out
     * {@code --timeout} in silence. Called on the manager's threads; {@link PrintWriter} locks each line.
     */
    static final class RetryReport implements TokenListener {
        private final PrintWriter err;
        private final URI endpoint;
        private final Duration timeout;
        private volatile Duration pendingDelay;
        private volatile boolean stopped;

        RetryReport(PrintWriter err, URI endpoint, Duration timeout) {
            this.err = err;
            this.endpoint = endpoint;
            this.timeout = timeout;
        }

        @Override
        public void retryScheduled(String manager, Duration delay, int consecutiveFailures) {
            // The manager schedules the retry, then reports the failure that caused it.
            pendingDelay = delay;
        }

        @Override
        public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutiveFailures,
                boolean tokenStillServed) {
            Duration delay = pendingDelay;
            pendingDelay = null;
            if (delay != null && failure.retryable() && !stopped) {
                err.println(PREFIX + "retrying in " + TimeoutOption.format(delay) + ": " + reason(failure) + " ("
                        + endpoint + "; giving up after " + TimeoutOption.format(timeout) + ")");
                err.flush();
            }
        }

        void stop() {
            stopped = true;
        }

        /** The cause in a few words: the I/O exception's kind, else the library's one-line message. */
        private static String reason(BigLedgerAuthException failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.ConnectException) {
                    return "connection refused";
                }
                if (cause instanceof java.net.UnknownHostException) {
                    return "unknown host";
                }
                if (cause instanceof java.net.http.HttpTimeoutException) {
                    return "no answer in time";
                }
            }
            return Messages.oneLine(failure.getMessage());
        }
    }
}
