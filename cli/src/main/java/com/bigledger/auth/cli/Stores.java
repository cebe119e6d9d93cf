package com.bigledger.auth.cli;

import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.store.env.EnvCredentialSource;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.store.file.FileCredentialSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The stores one command run reads: an environment store and a secrets-file store over the environment the command
 * was given, and a vault with those in place of the discovered {@code env} and {@code file} providers plus every
 * other store on the class path.
 *
 * <p>Variables are read through the environment store rather than from the map, so that a {@code .env} file named
 * by {@code BIGLEDGER_DOTENV} counts as it would in a service, with the library's {@link EnvironmentSettings}; a
 * deprecated variable's warning goes to the command's standard error. Not thread-safe; one per run.
 */
final class Stores implements AutoCloseable {

    private final Map<String, String> environment;
    private final EnvCredentialSource env;
    private final FileCredentialSource file;
    private final Duration timeout;
    private final EnvironmentSettings settings;
    private CredentialVault vault;

    /**
     * Creates the environment store; the vault is built on first use.
     *
     * @param environment the environment variables
     * @param timeout how long a resolution waits while a store fails with temporary errors
     * @param warnings receives the deprecation warnings, such as {@link #warnings(PrintWriter)}
     * @throws com.bigledger.auth.BigLedgerAuthException if the environment store cannot start, such as when the
     *     {@code .env} file it names is malformed
     */
    Stores(Map<String, String> environment, Duration timeout, Consumer<String> warnings) {
        this.timeout = timeout;
        this.environment = environment;
        this.env = EnvCredentialSource.builder().environment(environment).build();
        this.settings = EnvironmentSettings.of(name -> variable(name).map(Secret::reveal), warnings);
        // Also over the given environment: its secrets file and passphrase variables are the command's.
        this.file = FileCredentialSource.builder().environment(EnvironmentSettings.of(environment, warnings)).build();
    }

    /**
     * Returns where a command's deprecation warnings go: one line each on its standard error, each said once.
     *
     * @param err the command's standard error
     * @return the warnings' consumer
     */
    static Consumer<String> warnings(PrintWriter err) {
        Set<String> said = new HashSet<>();
        return message -> {
            if (said.add(message)) {
                err.println("bigledger-auth: warning: " + message);
            }
        };
    }

    /**
     * Returns the environment's settings, read through the environment store.
     *
     * @return the settings
     */
    EnvironmentSettings settings() {
        return settings;
    }

    /**
     * Returns an option's value if it was given, else its variable's, if set and not empty.
     *
     * @param option the option's value, or {@code null} when it was not given
     * @param variable the variable read otherwise
     * @return the value, or empty
     * @throws com.bigledger.auth.BigLedgerAuthException if the variable cannot be read
     */
    Optional<String> setting(String option, String variable) {
        return option != null ? Optional.of(option) : settings.value(variable);
    }

    /**
     * Reads a variable.
     *
     * @param name the variable's name
     * @return its value, or empty when it is not set
     * @throws com.bigledger.auth.BigLedgerAuthException if it cannot be read
     */
    Optional<Secret> variable(String name) {
        try {
            return Optional.of(env.load(CredentialRef.of(EnvCredentialSource.SCHEME, name)).secret());
        } catch (CredentialNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Tells whether a variable is set to the empty string, which {@link #variable} reports as not set.
     *
     * @param name the variable's name
     * @return whether it is set and empty in the environment
     */
    boolean isEmpty(String name) {
        String value = environment.get(name);
        return value != null && value.isEmpty();
    }

    /**
     * Tells whether a command's vault has a store for a scheme: {@code env} and {@code file}, which it builds, or a
     * store module on the class path. For a failure's exit code only: it looks for the store modules again.
     *
     * @param scheme the scheme
     * @return whether a store serves it
     */
    static boolean serves(String scheme) {
        if (scheme.equals(EnvCredentialSource.SCHEME) || scheme.equals(FileCredentialSource.SCHEME)) {
            return true;
        }
        try (CredentialVault discovered = CredentialVault.builder().build()) {
            return discovered.schemes().contains(scheme);
        } catch (IllegalStateException e) {
            // Two store modules serve env or file (for any other scheme, the command's vault could not have been
            // built): which schemes the others serve is not known, and the scheme counts as served.
            return true;
        }
    }

    /**
     * Returns the vault, building it on first use.
     *
     * @return the vault
     * @throws IllegalStateException if two discovered stores serve one scheme
     */
    CredentialVault vault() {
        if (vault == null) {
            vault = CredentialVault.builder().source(env).source(file).loadTimeout(timeout).build();
        }
        return vault;
    }

    @Override
    public void close() {
        if (vault != null) {
            vault.close();
        }
        env.close();
        file.close();
    }
}
