package com.bigledger.auth.store.file;

import com.bigledger.auth.spi.EnvironmentSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link FileCredentialSource} reads from the environment when its builder does not say: the
 * {@code BIGLEDGER_SECRETS_*} variables, read under their old {@code BIGLEDGER_VAULT_*} names too for one release,
 * and the secrets file's default place in the XDG or home configuration folder.
 */
final class SecretsFileSettings {

    /** The variables' old names, read for one release with a deprecation warning: current name, old name. */
    static final Map<String, String> OLD_NAMES = Map.of(
            FileCredentialSource.FILE_VARIABLE, "BIGLEDGER_VAULT_FILE",
            FileCredentialSource.PASSPHRASE_VARIABLE, "BIGLEDGER_VAULT_PASSPHRASE",
            FileCredentialSource.PASSPHRASE_REF_VARIABLE, "BIGLEDGER_VAULT_PASSPHRASE_REF",
            FileCredentialSource.KEY_FILE_VARIABLE, "BIGLEDGER_VAULT_KEY_FILE",
            FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "BIGLEDGER_VAULT_ALLOW_WEAK_KDF");

    private SecretsFileSettings() {
    }

    /** The settings with this store's renamed variables read under their old names too. */
    static EnvironmentSettings withOldNames(EnvironmentSettings environment) {
        EnvironmentSettings settings = environment;
        for (Map.Entry<String, String> renamed : OLD_NAMES.entrySet()) {
            settings = settings.renamed(renamed.getKey(), renamed.getValue());
        }
        return settings;
    }

    /**
     * The secrets file the variable names, else {@code $XDG_CONFIG_HOME/bigledger/vault.blgv} when that folder is
     * absolute, else {@code ~/.config/bigledger/vault.blgv}.
     */
    static Path defaultFile(EnvironmentSettings environment) {
        Optional<Path> named = environment.path(FileCredentialSource.FILE_VARIABLE);
        if (named.isPresent()) {
            return named.get();
        }
        String xdg = environment.raw("XDG_CONFIG_HOME").orElse(null);
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "bigledger", "vault.blgv");
        }
        String home = environment.raw("HOME").orElse(System.getProperty("user.home"));
        if (home == null || home.isEmpty()) {
            throw new IllegalStateException("No secrets file: set " + FileCredentialSource.FILE_VARIABLE
                    + " (there is no home folder)");
        }
        return Path.of(home, ".config", "bigledger", "vault.blgv");
    }
}
