/**
 * Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder}s for token managers and credential vaults.
 * Meter names start with {@code bigledger.auth.}; tags name a manager or vault (as the application calls it), a
 * store's scheme, an outcome or a failure kind, never a secret, a token or a reference path.
 */
package com.bigledger.auth.micrometer;
