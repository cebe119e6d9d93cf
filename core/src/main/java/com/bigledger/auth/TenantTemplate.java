package com.bigledger.auth;

import com.bigledger.auth.oauth.OAuthClient;
import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * How a {@link TokenManagers} registry makes a tenant's {@link TokenManager}: one client, one grant over the
 * tenant's reference (its pattern with the key put in), the registry's clock and scheduler, and the user's further
 * options. Immutable.
 *
 * @param client the OAuth client every tenant's manager uses
 * @param grant which grant the managers use
 * @param vault the vault that reads and writes the tenants' stored grants
 * @param pattern the reference pattern, holding {@code {tenant}} once in its path
 * @param configure sets further options on each tenant's builder
 * @param clock the managers' clock
 * @param scheduler the managers' scheduler
 */
record TenantTemplate(OAuthClient client, Grant grant, CredentialVault vault, String pattern,
        BiConsumer<String, TokenManagerBuilder> configure, Clock clock, Scheduler scheduler) {

    /** The grant of every tenant's manager. */
    enum Grant {
        /** The {@code refresh_token} grant with the stored refresh token. */
        REFRESH_TOKEN,
        /** Fleet mode over the stored token record. */
        RECORD
    }

    /**
     * Builds the tenant's manager; sends no request.
     *
     * @param tenant a valid tenant key
     * @return the manager
     * @throws IllegalArgumentException if the reference pattern gives no valid reference for this tenant
     * @throws BigLedgerAuthException if the manager cannot be built (a store without compare-and-set for a token
     *     record)
     */
    TokenManager build(String tenant) {
        CredentialRef ref = TenantKeys.resolve(pattern, tenant);
        TokenManagerBuilder builder = TokenManager.builder()
                .client(client)
                .clock(clock)
                .scheduler(scheduler)
                .name("tenant " + tenant);
        if (grant == Grant.RECORD) {
            builder.tokenRecord(vault, ref);
        } else {
            builder.refreshToken(vault, ref);
        }
        configure.accept(tenant, builder);
        return builder.build();
    }
}
