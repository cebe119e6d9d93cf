/**
 * The {@code bigledger-auth} command: resolves credential references, checks a BigLedger configuration and gets
 * OAuth access tokens.
 *
 * <p>Store modules are found with {@link java.util.ServiceLoader} through core, so this module names none of
 * them except the environment and file stores, which it builds over the environment it is given ({@code secrets}
 * also lists and removes the file store's entries). {@code login} listens for the browser's callback with the
 * JDK's HTTP server. {@code demo} runs the library against the BigLedger API double of
 * {@code com.bigledger.auth.testing}, loaded only when that command runs.
 */
module com.bigledger.auth.cli {
    requires com.bigledger.auth;
    requires com.bigledger.auth.store.env;
    requires com.bigledger.auth.store.file;
    requires com.bigledger.auth.testing;
    requires info.picocli;
    requires jdk.httpserver;

    opens com.bigledger.auth.cli to info.picocli;
}
