/**
 * The {@code bigledger-auth} command: resolves credential references, checks a BigLedger configuration and gets
 * OAuth access tokens.
 *
 * <p>Store modules are found with {@link java.util.ServiceLoader} through core, so this module names none of
 * them except the environment store, which it builds over the environment it is given.
 */
module com.bigledger.auth.cli {
    requires com.bigledger.auth;
    requires com.bigledger.auth.store.env;
    requires com.bigledger.auth.store.file;
    requires info.picocli;

    opens com.bigledger.auth.cli to info.picocli;
}
