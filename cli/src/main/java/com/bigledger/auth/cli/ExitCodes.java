package com.bigledger.auth.cli;

/** The exit codes of {@code bigledger-auth}, listed in every command's help. */
final class ExitCodes {

    /** The command did what was asked; {@code doctor} found no problem. */
    static final int OK = 0;

    /**
     * The configuration is unusable: {@code doctor} found at least one problem, or another command a setting that is
     * missing or wrong, such as the secrets file's passphrase; one line each.
     */
    static final int PROBLEMS = 1;

    /** The configuration cannot be used: a setting is missing or wrong, such as the secrets file's passphrase. */
    static final int CONFIGURATION = PROBLEMS;

    /** The command line was wrong: an unknown option, a missing argument, a malformed reference. */
    static final int USAGE = 2;

    /** The store answered that nothing is at the reference. */
    static final int NOT_FOUND = 3;

    /**
     * Any other failure: the store, the token endpoint or the API was unreachable or kept failing until the timeout, the
     * store refused access, the value or the token response was unusable.
     */
    static final int ERROR = 4;

    /**
     * {@code token}: the token endpoint refused the client ({@code invalid_client}, {@code unauthorized_client},
     * BigLedger {@code UNAUTHORIZED}, any HTTP 401). Retrying will not help until the client id, secret or
     * authentication method is fixed, so scripts can tell it from a temporary {@link #ERROR}.
     */
    static final int REFUSED = 5;

    /** {@code verify}: the API refused the key or token (HTTP 401 {@code UNAUTHORIZED}). */
    static final int UNAUTHORIZED = 6;

    /** {@code verify}: the credentials may not do this (HTTP 403 {@code FORBIDDEN}). */
    static final int FORBIDDEN = 7;

    /** {@code verify}: the company id is missing, invalid or not accessible (HTTP 422 {@code INVALID_COMPANY}). */
    static final int INVALID_COMPANY = 8;

    /** Help lines, {@code code:description}, for picocli's exit code lists. */
    static final String OK_HELP = "0:success (doctor: no problem found)";
    static final String PROBLEMS_HELP = "1:configuration problem: doctor found problems, or a setting is missing or "
            + "unusable, such as the secrets file's passphrase (one line each on stderr)";
    static final String USAGE_HELP = "2:usage error: unknown option, missing argument, malformed reference";
    static final String NOT_FOUND_HELP = "3:the credential was not found";
    static final String ERROR_HELP = "4:other error: store, token endpoint or API unavailable, access denied, "
            + "unusable value or response";
    static final String REFUSED_HELP = "5:the token endpoint refused the client (invalid_client, unauthorized_client, "
            + "HTTP 401): check the client id, secret and --auth";
    static final String UNAUTHORIZED_HELP = "6:verify: the API refused the key or token (401 UNAUTHORIZED)";
    static final String FORBIDDEN_HELP = "7:verify: the credentials may not do this (403 FORBIDDEN)";
    static final String INVALID_COMPANY_HELP = "8:verify: the company id is missing or invalid (422 INVALID_COMPANY)";

    private ExitCodes() {
    }
}
