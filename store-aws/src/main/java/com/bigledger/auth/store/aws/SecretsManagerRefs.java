package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.spi.ReferenceOptions;
import java.util.Optional;

/**
 * The references an {@link AwsSecretsManagerSource} serves: their scheme, their options, and Secrets Manager's
 * limits on ids, version ids and stages, checked without a request. The region a reference names is checked by
 * {@link SecretsManagerClients#regionKey}, which knows the source's clients.
 *
 * <p>Stateless and thread-safe.
 */
final class SecretsManagerRefs {

    /** The options a reference may have: a pinned stage or version (not both), and a region. */
    static final ReferenceOptions OPTIONS = ReferenceOptions.builder(AwsSecretsManagerSource.SCHEME)
            .option("stage")
            .option("version")
            .option("region")
            .refuse(options -> options.containsKey("stage") && options.containsKey("version"),
                    "options 'stage' and 'version' cannot be combined")
            .build();

    private SecretsManagerRefs() {
    }

    /**
     * Checks the scheme, the options ({@link #OPTIONS}) and the lengths of the id, version id and stage.
     *
     * @throws IllegalArgumentException if the reference can never be loaded; the message quotes it
     */
    static void check(CredentialRef ref) {
        if (!AwsSecretsManagerSource.SCHEME.equals(ref.scheme())) {
            throw invalid(ref, "is not of scheme '" + AwsSecretsManagerSource.SCHEME + "'");
        }
        OPTIONS.check(ref);
        if (ref.path().length() > 2048) {
            throw invalid(ref, "names a secret id longer than 2048 characters");
        }
        Optional<String> version = ref.option("version");
        if (version.isPresent() && (version.get().length() < 32 || version.get().length() > 64)) {
            throw invalid(ref, "has a version id of " + version.get().length() + " characters; AWS version ids have"
                    + " 32 to 64");
        }
        Optional<String> stage = ref.option("stage");
        if (stage.isPresent() && (stage.get().isEmpty() || stage.get().length() > 256)) {
            throw invalid(ref, "has a stage of " + stage.get().length() + " characters; AWS staging labels have 1"
                    + " to 256");
        }
    }

    /**
     * Checks that a reference may be written: it pins no stage or version.
     *
     * @throws IllegalArgumentException if it does; the message quotes it
     */
    static void checkWritable(CredentialRef ref) {
        if (ref.option("stage").isPresent() || ref.option("version").isPresent()) {
            throw invalid(ref, "pins a stage or version; a write makes a new AWSCURRENT version, so write to the"
                    + " reference without ?stage= or ?version=");
        }
    }

    /** An exception that quotes the reference and says what is wrong with it. */
    static IllegalArgumentException invalid(CredentialRef ref, String problem) {
        return new IllegalArgumentException("Credential reference '" + ref + "' " + problem);
    }
}
