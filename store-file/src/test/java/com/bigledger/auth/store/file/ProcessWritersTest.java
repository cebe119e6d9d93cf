package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers in other processes: killed at random points, and two at once.
 *
 * <p>A kill (SIGKILL) stops a process at any instruction but keeps what it handed the kernel, so this proves the
 * write protocol (temporary file, rename) leaves no torn file; surviving power loss rests on
 * {@code FileChannel.force} and the folder sync, which no test here can cut.
 */
class ProcessWritersTest {

    private static final int KILL_ROUNDS = 8;
    private static final int FILLER_ENTRIES = 24;

    @TempDir
    Path folder;

    private final CredentialRef counter = CredentialRef.of(FileCredentialSource.SCHEME, "counter");

    @Test
    void writerKilledAtRandomPointsLeavesTheOldOrTheNewFileNeverATornOne() throws Exception {
        Path vault = folder.resolve("vault.blgv");
        FileCredentialSource source = TestSecretsFiles.source(vault);
        source.write(counter, Secret.of("0"), Optional.empty());
        for (int i = 0; i < FILLER_ENTRIES; i++) {
            // Larger files make each write longer, so more kills land inside one.
            source.write(CredentialRef.of(FileCredentialSource.SCHEME, "filler_" + i), Secret.of("f".repeat(2048)),
                    Optional.empty());
        }
        Random random = new Random();
        long confirmed = 0;
        List<Long> seenAfterKills = new ArrayList<>();

        for (int round = 0; round < KILL_ROUNDS; round++) {
            Process writer = start("forever", vault.toString());
            int stopAfter = 1 + random.nextInt(12);
            try (BufferedReader lines = reader(writer)) {
                for (int seen = 0; seen < stopAfter; seen++) {
                    String line = lines.readLine();
                    assertThat(line).as("the writer stopped early").isNotNull();
                    confirmed = Long.parseLong(line);
                }
                writer.destroyForcibly();
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }

            // Every read of the whole file must succeed: a torn file would fail its checksum or authentication.
            long value = Long.parseLong(source.load(counter).secret().reveal());
            assertThat(value).as("a written value was lost").isGreaterThanOrEqualTo(confirmed);
            assertThat(source.names()).hasSize(FILLER_ENTRIES + 1);
            seenAfterKills.add(value);
            confirmed = value;
        }

        assertThat(seenAfterKills).isSorted();
        // The next write tidies what killed writers left behind.
        source.write(counter, Secret.of("0"), Optional.empty());
        try (var listing = Files.list(folder)) {
            assertThat(listing.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("vault.blgv", "vault.blgv.lock");
        }
    }

    @Test
    void twoProcessesIncrementingOneCounterLoseNoUpdate() throws Exception {
        Path vault = folder.resolve("vault.blgv");
        FileCredentialSource source = TestSecretsFiles.source(vault);
        source.write(counter, Secret.of("0"), Optional.empty());
        int increments = 20;

        Process first = start("count", vault.toString(), Integer.toString(increments));
        Process second = start("count", vault.toString(), Integer.toString(increments));
        String firstResult;
        String secondResult;
        try (BufferedReader a = reader(first); BufferedReader b = reader(second)) {
            firstResult = a.readLine();
            secondResult = b.readLine();
        }

        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(List.of(first.exitValue(), second.exitValue())).containsOnly(0);
        assertThat(List.of(firstResult, secondResult)).allMatch(line -> line != null && line.startsWith("done "));
        assertThat(source.load(counter).secret().reveal()).isEqualTo(Integer.toString(2 * increments));
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                SecretsFileWriterProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
