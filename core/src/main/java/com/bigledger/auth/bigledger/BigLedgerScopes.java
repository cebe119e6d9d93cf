package com.bigledger.auth.bigledger;

import java.util.Set;

/**
 * The OAuth 2.0 scopes of the BigLedger API, as its authentication document lists them.
 *
 * <p>Ask for the fewest scopes that do the job: a token that can only read invoices cannot be used to change
 * them. The constants are plain strings, so that they go wherever a {@code Set<String>} of scopes does
 * ({@link BigLedgerOAuth#authorizationRequest}, {@link com.bigledger.auth.TokenManagerBuilder#scopes}). Scopes
 * not listed here are passed on as they are: the API may add some. Thread-safe (constants only).
 */
public final class BigLedgerScopes {

    /** Read the chart of accounts. */
    public static final String READ_ACCOUNTS = "read:accounts";

    /** Create and update accounts. */
    public static final String WRITE_ACCOUNTS = "write:accounts";

    /** Read invoices. */
    public static final String READ_INVOICES = "read:invoices";

    /** Create and update invoices. */
    public static final String WRITE_INVOICES = "write:invoices";

    /** Read customer data. */
    public static final String READ_CUSTOMERS = "read:customers";

    /** Create and update customers. */
    public static final String WRITE_CUSTOMERS = "write:customers";

    /** Read inventory data. */
    public static final String READ_INVENTORY = "read:inventory";

    /** Update inventory. */
    public static final String WRITE_INVENTORY = "write:inventory";

    /** Access financial reports. */
    public static final String READ_REPORTS = "read:reports";

    /** Full administrative access; grant it only to tools that need it. */
    public static final String ADMIN = "admin";

    /** Every scope the document lists. */
    public static final Set<String> DOCUMENTED = Set.of(READ_ACCOUNTS, WRITE_ACCOUNTS, READ_INVOICES,
            WRITE_INVOICES, READ_CUSTOMERS, WRITE_CUSTOMERS, READ_INVENTORY, WRITE_INVENTORY, READ_REPORTS, ADMIN);

    private BigLedgerScopes() {
    }
}
