/**
 * The BigLedger-specific layer over the generic core: the {@link com.bigledger.auth.bigledger.BigLedgerEnvironment
 * environments} of the BigLedger API and offline checks of an API key and a company id.
 *
 * <p>The checks return {@link com.bigledger.auth.bigledger.ConfigProblem problems} rather than throwing, so that a
 * diagnostic tool can list every problem of a configuration at once; none of them reveals a secret.
 */
package com.bigledger.auth.bigledger;
