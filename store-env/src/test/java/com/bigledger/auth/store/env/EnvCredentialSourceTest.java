package com.bigledger.auth.store.env;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env source beyond the contract: names, messages, the .env file, precedence, discovery. */
class EnvCredentialSourceTest {

    @TempDir
    Path directory;

    private final String apiKey = Canary.value("blg_test_sk_");
    private final String otherKey = Canary.value("blg_test_sk_");

    @Test
    void referenceThatIsNotAVariableNameIsRefusedQuotingIt() {
        EnvCredentialSource source = EnvCredentialSource.builder().environment(Map.of()).build();

        for (String text : List.of("env:1API_KEY", "env:API-KEY", "env:API%20KEY", "env:api.key", "env:API_KEY%0A")) {
            CredentialRef ref = CredentialRef.parse(text);

            assertThatThrownBy(() -> source.load(ref)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + ref + "'")
                    .hasMessageContaining("the path is not an environment variable name");
        }
    }

    @Test
    void referenceOfAnotherSchemeIsRefused() {
        EnvCredentialSource source = EnvCredentialSource.builder().environment(Map.of()).build();
        CredentialRef ref = CredentialRef.parse("vault:secret/bigledger#api_key");

        assertThatThrownBy(() -> source.load(ref)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + ref + "'").hasMessageContaining("scheme 'env'");
    }

    @Test
    void unsetVariableIsNotFoundNamingTheVariableAndWhereItLooked() {
        EnvCredentialSource source = EnvCredentialSource.builder().environment(Map.of("OTHER", apiKey)).build();

        assertThatThrownBy(() -> source.load(CredentialRef.parse("env:BIGLEDGER_API_KEY")))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageStartingWith("env:BIGLEDGER_API_KEY: ")
                .hasMessageContaining("BIGLEDGER_API_KEY is not set")
                .hasMessageContaining("the given environment")
                .hasMessageContaining("no .env file");
    }

    @Test
    void unsetVariableWithADotenvFileNamesTheFile() throws IOException {
        Path file = writeDotenv("OTHER=" + apiKey + "\n");
        EnvCredentialSource source = fromDotenv(file);

        Throwable thrown = catchThrowable(() -> source.load(CredentialRef.parse("env:BIGLEDGER_API_KEY")));

        assertThat(thrown).isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("BIGLEDGER_API_KEY is not set")
                .hasMessageContaining("the given environment")
                .hasMessageContaining(file.toString());
        assertNoValueIn(thrown, apiKey);
    }

    @Test
    void emptyVariableIsNotFoundAsEmpty() {
        EnvCredentialSource source = EnvCredentialSource.builder().environment(Map.of("API_KEY", "")).build();

        assertThatThrownBy(() -> source.load(CredentialRef.parse("env:API_KEY")))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("API_KEY is set but empty in the given environment");
    }

    @Test
    void emptyValueInTheDotenvFileIsNotFoundAsEmpty() throws IOException {
        Path file = writeDotenv("API_KEY=\n");
        EnvCredentialSource source = fromDotenv(file);

        assertThatThrownBy(() -> source.load(CredentialRef.parse("env:API_KEY")))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("API_KEY is empty in the .env file " + file);
    }

    @Test
    void loadedValueIsUnversioned() {
        EnvCredentialSource source = EnvCredentialSource.builder().environment(Map.of("API_KEY", apiKey)).build();

        VersionedSecret loaded = source.load(CredentialRef.parse("env:API_KEY"));

        assertThat(loaded.version()).isEmpty();
        assertThat(loaded.secret()).isEqualTo(Secret.of(apiKey));
    }

    @Test
    void environmentWinsOverTheDotenvFile() throws IOException {
        Path file = writeDotenv("API_KEY=" + otherKey + "\nFILE_ONLY=" + otherKey + "\n");
        EnvCredentialSource source = withApiKeyAndDotenv(file);

        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(apiKey));
        assertThat(valueOf(source, "FILE_ONLY")).isEqualTo(Secret.of(otherKey));
    }

    @Test
    void emptyEnvironmentVariableStillWinsOverTheDotenvFile() throws IOException {
        Path file = writeDotenv("API_KEY=" + otherKey + "\n");
        EnvCredentialSource source = EnvCredentialSource.builder()
                .environment(Map.of("API_KEY", ""))
                .dotenvFile(file)
                .build();

        Throwable thrown = catchThrowable(() -> source.load(CredentialRef.parse("env:API_KEY")));

        assertThat(thrown).isInstanceOf(CredentialNotFoundException.class).hasMessageContaining("set but empty");
        assertNoValueIn(thrown, otherKey);
    }

    @Test
    void dotenvFileNamedByBigledgerDotenvIsRead() throws IOException {
        Path file = writeDotenv("API_KEY=" + apiKey + "\n");
        EnvCredentialSource source = EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_DOTENV", file.toString()))
                .build();

        assertThat(source.dotenvFile()).contains(file);
        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(apiKey));
    }

    @Test
    void blankBigledgerDotenvMeansNoFile() {
        EnvCredentialSource source = EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_DOTENV", "  "))
                .build();

        assertThat(source.dotenvFile()).isEmpty();
    }

    @Test
    void dotenvFileSetOnTheBuilderWinsOverBigledgerDotenv() throws IOException {
        Path file = writeDotenv("API_KEY=" + apiKey + "\n");
        EnvCredentialSource source = EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_DOTENV", directory.resolve("absent.env").toString()))
                .dotenvFile(file)
                .build();

        assertThat(source.dotenvFile()).contains(file);
    }

    @Test
    void missingDotenvFileFailsAtBuildNamingThePath() {
        Path absent = directory.resolve("absent.env");

        Throwable thrown = catchThrowable(() -> EnvCredentialSource.builder().dotenvFile(absent).build());

        assertThat(thrown).isExactlyInstanceOf(DotenvFileException.class)
                .hasMessage("The .env file " + absent + " does not exist");
        assertThat(((DotenvFileException) thrown).file()).isEqualTo(absent);
        assertThat(((DotenvFileException) thrown).retryable()).isFalse();
    }

    @Test
    void missingDotenvFileNamedByBigledgerDotenvFailsAtBuild() {
        Path absent = directory.resolve("absent.env");

        assertThatThrownBy(() -> EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_DOTENV", absent.toString()))
                .build())
                .isExactlyInstanceOf(DotenvFileException.class)
                .hasMessageContaining(absent.toString());
    }

    @Test
    void directoryAsDotenvFileFailsAtBuild() {
        assertThatThrownBy(() -> EnvCredentialSource.builder().dotenvFile(directory).build())
                .isExactlyInstanceOf(DotenvFileException.class)
                .hasMessage("The .env file " + directory + " is not a regular file");
    }

    @Test
    void malformedDotenvFileFailsAtBuildWithTheLine() throws IOException {
        Path file = writeDotenv("A=1\n" + apiKey + "\n");

        Throwable thrown = catchThrowable(() -> EnvCredentialSource.builder().dotenvFile(file).build());

        assertThat(thrown).isInstanceOf(DotenvFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 2");
        assertNoValueIn(thrown, apiKey);
    }

    @Test
    void dotenvFileThatIsNotUtf8FailsAtBuildWithTheLine() throws IOException {
        Path file = directory.resolve(".env");
        Files.write(file, new byte[] {'A', '=', '1', '\n', 'B', '=', (byte) 0xC3, '(', '\n'});

        Throwable thrown = catchThrowable(() -> EnvCredentialSource.builder().dotenvFile(file).build());

        assertThat(thrown).isInstanceOf(DotenvFormatException.class).hasMessageContaining("line 2")
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void relativeDotenvPathIsResolvedAgainstTheWorkingDirectory() throws IOException {
        Path file = writeDotenv("A=1\n");
        Path relative = Path.of("").toAbsolutePath().relativize(file);

        EnvCredentialSource source = EnvCredentialSource.builder().environment(Map.of()).dotenvFile(relative).build();

        assertThat(source.dotenvFile()).contains(file);
    }

    @Test
    void optionSetTwiceFailsNamingTheOption() {
        EnvCredentialSource.Builder environmentTwice = EnvCredentialSource.builder().environment(Map.of("A", apiKey));
        Throwable thrown = catchThrowable(() -> environmentTwice.environment(Map.of("A", otherKey)));
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("environment");
        assertNoValueIn(thrown, apiKey);
        assertNoValueIn(thrown, otherKey);

        EnvCredentialSource.Builder fileTwice = EnvCredentialSource.builder().dotenvFile(Path.of("first.env"));
        assertThatThrownBy(() -> fileTwice.dotenvFile(Path.of("second.env")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dotenvFile").hasMessageContaining("first.env")
                .hasMessageContaining("second.env");
    }

    @Test
    void environmentIsCopiedWhenSet() {
        Map<String, String> environment = new HashMap<>(Map.of("API_KEY", apiKey));
        EnvCredentialSource source = EnvCredentialSource.builder().environment(environment).build();

        environment.put("API_KEY", otherKey);

        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(apiKey));
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThatThrownBy(() -> EnvCredentialSource.builder().environment(null))
                .isInstanceOf(NullPointerException.class).hasMessage("environment");
        assertThatThrownBy(() -> EnvCredentialSource.builder().dotenvFile(null))
                .isInstanceOf(NullPointerException.class).hasMessage("file");
        assertThatThrownBy(() -> EnvCredentialSource.builder().environment(Map.of()).build().load(null))
                .isInstanceOf(NullPointerException.class).hasMessage("ref");
    }

    @Test
    void editedDotenvFileIsReadAgainWhenItsModificationTimeChanges() throws IOException {
        EnvCredentialSource source = builtThenEdited("API_KEY=" + otherKey + "\n",
                before -> FileTime.from(before.toInstant().plus(1, ChronoUnit.MINUTES)));

        assertThat(otherKey).hasSameSizeAs(apiKey);
        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(otherKey));
    }

    @Test
    void editedDotenvFileIsReadAgainWhenItsSizeChanges() throws IOException {
        EnvCredentialSource source = builtThenEdited("API_KEY=" + otherKey + "\nADDED=1\n", before -> before);

        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(otherKey));
        assertThat(valueOf(source, "ADDED")).isEqualTo(Secret.of("1"));
    }

    @Test
    void dotenvFileWithUnchangedTimeAndSizeIsNotParsedAgain() throws IOException {
        // Same size, same time, same file: the cheap check cannot tell, and the parsed values are kept.
        EnvCredentialSource source = builtThenEdited("API_KEY=" + otherKey + "\n", before -> before);

        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(apiKey));
    }

    @Test
    void deletedDotenvFileMakesFileLookupsUnavailableButNotEnvironmentLookups() throws IOException {
        Path file = writeDotenv("FILE_KEY=" + otherKey + "\n");
        EnvCredentialSource source = withApiKeyAndDotenv(file);

        Files.delete(file);

        assertThat(valueOf(source, "API_KEY")).isEqualTo(Secret.of(apiKey));
        Throwable thrown = catchThrowable(() -> source.load(CredentialRef.parse("env:FILE_KEY")));
        assertThat(thrown).isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("env:FILE_KEY: ")
                .hasMessageContaining("the .env file " + file + " does not exist")
                .hasCauseExactlyInstanceOf(DotenvFileException.class);
        assertThat(((SourceUnavailableException) thrown).retryable()).isTrue();
    }

    @Test
    void dotenvFileMadeMalformedByAnEditFailsLookupsWithTheLine() throws IOException {
        Path file = writeDotenv("FILE_KEY=" + otherKey + "\n");
        EnvCredentialSource source = fromDotenv(file);

        Files.writeString(file, "# rotated\nFILE_KEY=\"" + apiKey + "\n");

        Throwable thrown = catchThrowable(() -> source.load(CredentialRef.parse("env:FILE_KEY")));
        assertThat(thrown).isExactlyInstanceOf(CredentialException.class)
                .hasMessageContaining("the .env file " + file + " is malformed at line 2")
                .hasCauseInstanceOf(DotenvFormatException.class);
        assertThat(((DotenvFormatException) thrown.getCause()).line()).isEqualTo(2);
        assertThat(((CredentialException) thrown).retryable()).isFalse();
        assertThat(((CredentialException) thrown).kind()).isEqualTo(CredentialException.Kind.INVALID);
        assertNoValueIn(thrown, apiKey);
        assertNoValueIn(thrown, otherKey);
    }

    @Test
    void toStringShowsTheSchemeAndTheDotenvPathButNoValue() throws IOException {
        Path file = writeDotenv("FILE_KEY=" + otherKey + "\n");
        EnvCredentialSource withFile = withApiKeyAndDotenv(file);
        EnvCredentialSource withoutFile = EnvCredentialSource.builder().environment(Map.of("API_KEY", apiKey)).build();

        assertThat(withFile).hasToString("EnvCredentialSource[scheme=env, environment=given, dotenv=" + file + "]");
        assertThat(withoutFile).hasToString("EnvCredentialSource[scheme=env, environment=given, dotenv=none]");
    }

    @Test
    void createReadsTheProcessEnvironment() {
        assumeTrue(System.getenv(EnvCredentialSource.DOTENV_VARIABLE) == null, "BIGLEDGER_DOTENV is set");
        Map.Entry<String, String> variable = anyProcessVariable();

        EnvCredentialSource source = EnvCredentialSource.create();

        assertThat(source.load(CredentialRef.of("env", variable.getKey())).secret())
                .isEqualTo(Secret.of(variable.getValue()));
        assertThat(source).hasToString("EnvCredentialSource[scheme=env, environment=process, dotenv=none]");
    }

    @Test
    void providerIsFoundByServiceLoader() {
        List<CredentialSourceProvider> providers = ServiceLoader.load(CredentialSourceProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("env"))
                .collect(Collectors.toList());

        assertThat(providers).singleElement().isInstanceOf(EnvCredentialSourceProvider.class);
    }

    @Test
    void moduleDescriptorExportsTheApiAndProvidesTheProvider() throws IOException, URISyntaxException {
        Path classes = Path.of(EnvCredentialSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }

        assertThat(descriptor.name()).isEqualTo("com.bigledger.auth.store.env");
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("com.bigledger.auth.store.env");
        assertThat(descriptor.provides()).singleElement().satisfies(provides -> {
            assertThat(provides.service()).isEqualTo(CredentialSourceProvider.class.getName());
            assertThat(provides.providers()).containsExactly(EnvCredentialSourceProvider.class.getName());
        });
    }

    @Test
    void vaultResolvesEnvReferencesThroughThisSource() throws IOException {
        Path file = writeDotenv("BIGLEDGER_OAUTH={\"client_id\":\"demo\",\"client_secret\":\"" + otherKey + "\"}\n");
        EnvCredentialSource source = EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_API_KEY", apiKey))
                .dotenvFile(file)
                .build();

        try (CredentialVault vault = CredentialVault.builder().discoverSources(false).source(source).build()) {
            assertThat(vault.handle(CredentialRef.parse("env:BIGLEDGER_API_KEY")).get()).isEqualTo(Secret.of(apiKey));
            assertThat(vault.handle(CredentialRef.parse("env:BIGLEDGER_OAUTH#client_secret")).get())
                    .isEqualTo(Secret.of(otherKey));
        }
    }

    @Test
    void vaultDiscoversTheEnvProvider() {
        assumeTrue(System.getenv(EnvCredentialSource.DOTENV_VARIABLE) == null, "BIGLEDGER_DOTENV is set");
        Map.Entry<String, String> variable = anyProcessVariable();

        try (CredentialVault vault = CredentialVault.builder().build()) {
            assertThat(vault.schemes()).contains("env");
            assertThat(vault.resolve(CredentialRef.of("env", variable.getKey())).secret())
                    .isEqualTo(Secret.of(variable.getValue()));
        }
    }

    /** PATH, which is not a secret: the process environment may hold real ones, which tests leave alone. */
    private static Map.Entry<String, String> anyProcessVariable() {
        String path = System.getenv("PATH");
        assumeTrue(path != null && !path.isEmpty(), "PATH is not set");
        return Map.entry("PATH", path);
    }

    /**
     * A source built on a .env file holding {@code API_KEY}, after the file was rewritten as {@code edited} and given
     * the modification time {@code time} makes of the one it had.
     */
    private EnvCredentialSource builtThenEdited(String edited, UnaryOperator<FileTime> time) throws IOException {
        Path file = writeDotenv("API_KEY=" + apiKey + "\n");
        EnvCredentialSource source = fromDotenv(file);
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, edited);
        Files.setLastModifiedTime(file, time.apply(before));
        return source;
    }

    /** A source with an empty environment, reading {@code file}. */
    private static EnvCredentialSource fromDotenv(Path file) {
        return EnvCredentialSource.builder().environment(Map.of()).dotenvFile(file).build();
    }

    /** A source whose environment holds {@code API_KEY}, reading {@code file} too. */
    private EnvCredentialSource withApiKeyAndDotenv(Path file) {
        return EnvCredentialSource.builder().environment(Map.of("API_KEY", apiKey)).dotenvFile(file).build();
    }

    /** The value {@code source} loads for {@code env:name}. */
    private static Secret valueOf(EnvCredentialSource source, String name) {
        return source.load(CredentialRef.parse("env:" + name)).secret();
    }

    private Path writeDotenv(String content) throws IOException {
        return Files.writeString(directory.resolve(".env"), content, StandardCharsets.UTF_8);
    }

    private static void assertNoValueIn(Throwable thrown, String value) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t).contains(value)).as("a message holds the value").isFalse();
        }
    }
}
