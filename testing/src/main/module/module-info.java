/**
 * bigledger-auth testing: test doubles for code that uses bigledger-auth and for third-party credential stores,
 * in {@link com.bigledger.auth.testing}.
 *
 * <p>JUnit Jupiter and AssertJ are needed by the contract test, the leak check and {@code LeakAssertions} alone:
 * they are {@code static} here, so that code using only the fakes (the clock, the scheduler, the HTTP doubles)
 * compiles and runs without them (the {@code bigledger-auth demo} command does); a test module that uses those three
 * requires JUnit and AssertJ itself, as it does anyway.
 */
module com.bigledger.auth.testing {
    requires transitive com.bigledger.auth;
    requires static org.junit.jupiter.api;
    requires static org.assertj.core;
    requires com.fasterxml.jackson.core;
    requires java.logging;
    requires jdk.httpserver;

    exports com.bigledger.auth.testing;
}
