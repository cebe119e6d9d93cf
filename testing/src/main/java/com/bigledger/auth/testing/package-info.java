/**
 * Test doubles for code that uses bigledger-auth and for third-party credential stores: fakes that speak the real
 * protocol, so that a test exercises the library as production does, without a network or a wall clock.
 *
 * <ul>
 *   <li>{@link com.bigledger.auth.testing.FakeClock} and {@link com.bigledger.auth.testing.FakeScheduler}: time that
 *       moves only when the test says so, and background work that runs only when the test runs it, on the test's
 *       thread; {@link com.bigledger.auth.testing.FakeScheduler#assertNoMoreTasks()} checks that nothing is left.
 *       Both go into the builders' {@code clock(…)} and {@code scheduler(…)} options.
 *   <li>{@link com.bigledger.auth.testing.FakeTokenEndpoint}: an OAuth 2.0 token endpoint over real HTTP on
 *       127.0.0.1, in the manner of OkHttp's {@code MockWebServer}: scripted responses, faults (a dropped
 *       connection, a cut-off body, a held response, a {@link com.bigledger.auth.testing.FaultPolicy fault policy}
 *       over many requests), recorded requests, and an issuer that rotates refresh tokens.
 *   <li>{@link com.bigledger.auth.testing.FakeBigLedgerApi}: the BigLedger API and its authorization server, as
 *       BigLedger's authentication document describes them.
 *   <li>{@link com.bigledger.auth.testing.CredentialSourceContract}: the tests every
 *       {@link com.bigledger.auth.spi.CredentialSource} passes; a third-party store extends it to prove itself.
 *       {@link com.bigledger.auth.testing.InMemoryCredentialSource} is a writable store in memory.
 *   <li>{@link com.bigledger.auth.testing.Canary}, {@link com.bigledger.auth.testing.LeakCheckExtension} and
 *       {@link com.bigledger.auth.testing.LeakAssertions}: fake secret values made at run time, and checks that none
 *       of them reached output, logs or exception messages.
 * </ul>
 *
 * <p>Every double binds to 127.0.0.1 on a free port and serves plain {@code http}; the library's builders accept it
 * with {@code allowInsecureLoopback(true)}. Nothing here belongs in production code.
 */
package com.bigledger.auth.testing;
