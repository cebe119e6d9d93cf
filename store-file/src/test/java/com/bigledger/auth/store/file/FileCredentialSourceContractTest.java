package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.CredentialSourceContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The contract, with values seeded through the source's own writes into a fresh secrets file. */
class FileCredentialSourceContractTest extends CredentialSourceContract {

    @TempDir
    Path folder;

    private FileCredentialSource source;

    @Override
    protected CredentialSource source() {
        if (source == null) {
            source = TestSecretsFiles.source(folder.resolve("vault.blgv"));
        }
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        CredentialRef ref = CredentialRef.of(FileCredentialSource.SCHEME, name);
        WriteResult result = ((FileCredentialSource) source()).write(ref, value, Optional.empty());
        if (!result.isWritten()) {
            throw new AssertionError("seeding failed: " + result);
        }
        return ref;
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(FileCredentialSource.SCHEME, "contract_not_set");
    }
}
