package com.bigledger.auth.bigledger;

import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.internal.Endpoints;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options of a {@link BigLedgerAuth.Builder} as set, and their resolution when it builds: reading the
 * environment variables, loading a key kept in a store, and checking everything offline. Not thread-safe.
 */
final class AuthSettings {

    private static final Logger LOG = LoggerFactory.getLogger(BigLedgerAuth.class);

    Secret apiKey;
    CredentialVault keyVault;
    CredentialRef keyRef;
    TokenManager tokens;
    Map<String, String> variables;
    String companyId;
    BigLedgerEnvironment environment;
    URI baseUrl;
    Boolean allowInsecureLoopback;
    String userAgent;
    CredentialVault vault;
    private final List<String> credentials = new ArrayList<>();

    /** The settings after the environment variables are read and the values checked. */
    static final class Resolved {
        BigLedgerEnvironment environment;
        String baseUrl;
        String companyId;
        Secret staticKey;
        CredentialVault keyVault;
        CredentialRef keyRef;
        CredentialHandle keyHandle;
        String keyLabel;
        Secret checkedKey;
        CredentialVault ownedVault;
    }

    static ConfigProblem labelled(String label, ConfigProblem problem) {
        return new ConfigProblem(problem.kind(), label + ": " + problem.message());
    }

    /**
     * Checks the options, reads and checks the settings, and makes the object with {@code make}; a vault opened
     * for {@code _REF} settings is closed again if anything fails.
     */
    BigLedgerAuth build(Function<Resolved, BigLedgerAuth> make) {
        if (credentials.isEmpty()) {
            throw new IllegalStateException("BigLedgerAuth needs a credential: call apiKey(...), "
                    + "tokenManager(...) or fromEnvironment()");
        }
        if (variables != null && (companyId != null || environment != null)) {
            throw new IllegalStateException("fromEnvironment() reads the company id and the environment; do not "
                    + "also set " + (companyId != null ? "companyId" : "environment") + "(...)");
        }
        if (vault != null && variables == null) {
            throw new IllegalStateException("vault(...) resolves the _REF settings of fromEnvironment(); use "
                    + "apiKey(vault, ref) for a key kept in a store");
        }
        Resolved r = new Resolved();
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            if (variables != null) {
                readVariables(r, problems);
            } else {
                r.environment = environment != null ? environment : BigLedgerEnvironment.PRODUCTION;
                r.companyId = companyId;
                if (apiKey != null) {
                    r.staticKey = apiKey;
                    r.keyLabel = "apiKey";
                    checkKey(r, apiKey, "apiKey", false, problems);
                } else if (keyRef != null) {
                    r.keyVault = keyVault;
                    r.keyRef = keyRef;
                    r.keyHandle = keyVault.handle(keyRef);
                    r.keyLabel = keyRef.toString();
                    checkKey(r, r.keyHandle.get(), keyRef.toString(), false, problems);
                }
                if (tokens == null && companyId == null) {
                    problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, "companyId: a company id "
                            + "is required with an API key (X-Company-Id; Settings > Company Profile in the "
                            + "dashboard)"));
                }
            }
            if (variables == null && r.companyId != null) {
                // fromEnvironment's company id was checked by BigLedgerSettings.
                CompanyIds.check(r.companyId).ifPresent(p -> problems.add(labelled("companyId", p)));
            }
            URI chosen = baseUrl != null ? baseUrl : URI.create(r.environment.baseUrl());
            Endpoints.checkTransport("baseUrl", chosen, Boolean.TRUE.equals(allowInsecureLoopback));
            String text = chosen.toString();
            r.baseUrl = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            if (!problems.isEmpty()) {
                throw new BigLedgerConfigurationException(problems);
            }
            if (userAgent == null) {
                LOG.warn("No User-Agent set for {}: requests send {} alone, while the BigLedger document asks "
                        + "for a descriptive one; set it with userAgent(\"MyApp/1.0.0 (https://myapp.com)\")",
                        r.baseUrl, LibraryVersion.PRODUCT);
            }
            return make.apply(r);
        } catch (RuntimeException e) {
            if (r.ownedVault != null) {
                r.ownedVault.close();
            }
            throw e;
        }
    }

    private void readVariables(Resolved r, List<ConfigProblem> problems) {
        BigLedgerSettings settings = BigLedgerSettings.read(variables, () -> {
            if (vault != null) {
                return vault;
            }
            r.ownedVault = CredentialVault.builder().build();
            return r.ownedVault;
        });
        if (!settings.loadFailures().isEmpty()) {
            // A store that fails is not a configuration problem: its own exception says what went wrong.
            throw settings.loadFailures().get(0);
        }
        r.environment = settings.environment();
        r.companyId = settings.companyIdValue().orElse(null);
        problems.addAll(settings.problems());
        settings.warnings().forEach(w -> LOG.debug("{}", w.message()));
        BigLedgerSettings.Setting key = settings.apiKey().orElse(null);
        if (key == null || key.value().isEmpty()) {
            return;
        }
        r.keyLabel = key.reference().map(CredentialRef::toString).orElse(key.variable());
        if (key.reference().isPresent()) {
            r.keyVault = vault != null ? vault : r.ownedVault;
            r.keyRef = key.reference().get();
            r.keyHandle = r.keyVault.handle(r.keyRef);
        } else {
            r.staticKey = key.value().get();
        }
        if (problems.isEmpty()) {
            // The instance the handle serves, so that the first headers() finds it already checked.
            r.checkedKey = r.keyHandle != null ? r.keyHandle.get() : r.staticKey;
        }
    }

    private static void checkKey(Resolved r, Secret key, String label, boolean environmentDefaulted,
            List<ConfigProblem> problems) {
        Optional<ConfigProblem> problem = ApiKeys.check(key, r.environment);
        if (problem.isEmpty()) {
            r.checkedKey = key;
            return;
        }
        String hint = problem.get().kind() == ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT && environmentDefaulted
                ? " (" + BigLedgerAuth.ENVIRONMENT_VARIABLE + " is not set: production is the default)" : "";
        problems.add(new ConfigProblem(problem.get().kind(), label + ": " + problem.get().message() + hint));
    }

    void credential(String option) {
        if (!credentials.isEmpty()) {
            throw new IllegalStateException("BigLedgerAuth has two credentials: " + credentials.get(0) + " and "
                    + option + "; choose one");
        }
        credentials.add(option);
    }
}
