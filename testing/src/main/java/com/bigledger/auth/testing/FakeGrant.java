package com.bigledger.auth.testing;

import java.util.Set;

/**
 * What a credential the {@link FakeBigLedgerApi} issued may do: act for one company with some permissions (for a
 * token, its scopes).
 *
 * @param companyId the company
 * @param permissions the permissions or scopes
 */
record FakeGrant(String companyId, Set<String> permissions) {
}
