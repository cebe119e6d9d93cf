/**
 * Helpers shared by core and the store modules: endpoint checks, capped response bodies, backoff and retry
 * timings, the shared scheduler and the refreshing value behind credential handles and token managers. Not an API:
 * the module exports this package to the store modules only, and it may change in any release.
 */
package com.bigledger.auth.internal;
