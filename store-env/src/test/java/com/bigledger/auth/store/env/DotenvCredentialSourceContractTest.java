package com.bigledger.auth.store.env;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.CredentialSourceContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract, with values seeded in a {@code .env} file as double-quoted values, so that the JSON values also
 * go through the escapes.
 */
class DotenvCredentialSourceContractTest extends CredentialSourceContract {

    @TempDir
    Path directory;

    private final StringBuilder dotenv = new StringBuilder("# seeded by the contract test\n");
    private EnvCredentialSource source;

    @Override
    protected CredentialSource source() {
        if (source == null) {
            Path file = directory.resolve(".env");
            try {
                Files.writeString(file, dotenv, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            source = EnvCredentialSource.builder().environment(Map.of()).dotenvFile(file).build();
        }
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        String variable = name.toUpperCase(Locale.ROOT);
        String escaped = value.reveal().replace("\\", "\\\\").replace("\"", "\\\"");
        dotenv.append("export ").append(variable).append("=\"").append(escaped).append("\"\n");
        return CredentialRef.of(EnvCredentialSource.SCHEME, variable);
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(EnvCredentialSource.SCHEME, "CONTRACT_NOT_SET");
    }
}
