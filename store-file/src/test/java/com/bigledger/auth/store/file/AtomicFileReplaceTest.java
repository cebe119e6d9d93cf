package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash-safe replacement of the secrets file, on its own: no vault, no key. */
class AtomicFileReplaceTest {

    @TempDir
    Path folder;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void replacementLeavesTheNewBytesAndNoTemporaryFile() throws IOException {
        Path file = folder.resolve("vault.blgv");
        Files.write(file, new byte[] {1, 2, 3});

        AtomicFileReplace.replace(file, new byte[] {4, 5});

        assertThat(Files.readAllBytes(file)).containsExactly(4, 5);
        assertThat(names()).containsExactly("vault.blgv");
    }

    @Test
    void replacementIsReadableByItsOwnerOnly() throws IOException {
        assumeTrue(FilePermissions.isPosix(), "POSIX permissions");
        Path file = folder.resolve("vault.blgv");

        AtomicFileReplace.replace(file, new byte[] {4, 5});

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void onlyThisVaultsAbandonedTemporaryFilesAreDeleted() throws IOException {
        Path file = folder.resolve("vault.blgv");
        Files.createFile(folder.resolve(".vault.blgv.0a1b2c.tmp"));
        Files.createFile(folder.resolve(".other.blgv.0a1b2c.tmp"));
        Files.createFile(folder.resolve("vault.blgv.lock"));

        AtomicFileReplace.deleteAbandoned(file);

        assertThat(names()).containsExactly(".other.blgv.0a1b2c.tmp", "vault.blgv.lock");
    }
}
