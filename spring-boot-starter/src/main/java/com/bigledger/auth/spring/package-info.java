/**
 * Spring Boot auto-configuration for bigledger-auth: the {@code bigledger.auth.*} settings
 * ({@link BigLedgerAuthProperties}), the beans made by {@link BigLedgerAuthAutoConfiguration} and, with
 * bigledger-auth-micrometer, {@link BigLedgerMetricsAutoConfiguration}.
 */
package com.bigledger.auth.spring;
