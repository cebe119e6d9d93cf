package com.bigledger.auth.spring;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.micrometer.CredentialVaultMetrics;
import com.bigledger.auth.micrometer.TokenManagerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meter binders for the vault and the token manager, when bigledger-auth-micrometer (and so Micrometer) is on the
 * class path; Spring Boot's metrics support binds {@link MeterBinder} beans to its registry. Runs after
 * {@link BigLedgerAuthAutoConfiguration}, so that it sees the beans made there as well as the application's own.
 */
@AutoConfiguration(after = BigLedgerAuthAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, TokenManagerMetrics.class})
public final class BigLedgerMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does so when the conditions above hold. */
    public BigLedgerMetricsAutoConfiguration() {
    }

    /**
     * The vault's meters, tagged {@code vault=bigledger}.
     *
     * @param vault the vault
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(CredentialVault.class)
    public CredentialVaultMetrics bigLedgerCredentialVaultMetrics(CredentialVault vault) {
        return CredentialVaultMetrics.of(vault, "bigledger");
    }

    /**
     * The token manager's meters, tagged {@code manager=bigledger}.
     *
     * @param tokens the token manager
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(TokenManager.class)
    public TokenManagerMetrics bigLedgerTokenManagerMetrics(TokenManager tokens) {
        return TokenManagerMetrics.of(tokens, "bigledger");
    }
}
