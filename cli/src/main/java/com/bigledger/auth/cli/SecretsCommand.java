package com.bigledger.auth.cli;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.store.file.FileCredentialSource;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bigledger-auth secrets put|get|list|rm}: manages the entries of the encrypted file store, or any writable
 * reference for {@code put} and {@code get}.
 *
 * <p>Why stdin only for {@code put}: a value given as an argument stays in shell history and process lists. At a
 * terminal the value is read without echo. The secrets file and its key come from {@code BIGLEDGER_SECRETS_FILE},
 * {@code BIGLEDGER_SECRETS_PASSPHRASE} (or {@code _REF}) and {@code BIGLEDGER_SECRETS_KEY_FILE}, as in a service;
 * {@code --file} names another file. Not thread-safe: picocli sets the fields before each run.
 */
@Command(
        name = "secrets",
        description = {
            "Manages secrets in the encrypted secrets file (by default $BIGLEDGER_SECRETS_FILE, else "
                    + "$XDG_CONFIG_HOME/bigledger/vault.blgv or ~/.config/bigledger/vault.blgv), protected by the "
                    + "passphrase in BIGLEDGER_SECRETS_PASSPHRASE (or at the reference "
                    + "BIGLEDGER_SECRETS_PASSPHRASE_REF) or the key file BIGLEDGER_SECRETS_KEY_FILE. The old names "
                    + "BIGLEDGER_VAULT_FILE, BIGLEDGER_VAULT_PASSPHRASE(_REF), BIGLEDGER_VAULT_KEY_FILE and "
                    + "BIGLEDGER_VAULT_ALLOW_WEAK_KDF still work for one release, with a warning."
        },
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP, ExitCodes.NOT_FOUND_HELP,
            ExitCodes.ERROR_HELP})
final class SecretsCommand {

    /** Largest value {@code put} reads from stdin. */
    static final int MAX_VALUE_BYTES = 64 * 1024;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean helpRequested;

    /** Where the secrets file is and how it is opened; shared by the subcommands. */
    static final class FileOptions {
        @Option(names = "--file", paramLabel = "PATH",
                description = "The secrets file. By default, BIGLEDGER_SECRETS_FILE, else bigledger/vault.blgv under "
                        + "XDG_CONFIG_HOME or ~/.config.")
        Path file;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean helpRequested;

        FileCredentialSource source(Map<String, String> environment, Consumer<String> warnings) {
            FileCredentialSource.Builder builder = FileCredentialSource.builder()
                    .environment(EnvironmentSettings.of(environment, warnings));
            if (file != null) {
                builder.file(file);
            }
            return builder.build();
        }
    }

    /** The shared run: parse, act, map failures to exit codes with one line on stderr. */
    abstract static class Base implements Callable<Integer> {
        private final Map<String, String> environment;
        private final InputStream stdin;

        @Spec
        CommandSpec spec;

        @Mixin
        FileOptions secretsFile;

        @Mixin
        TimeoutOption timeoutOption;

        abstract String verb();

        abstract int run(PrintWriter out, PrintWriter err) throws Exception;

        /** Where this run's deprecation warnings go: its standard error, each once. */
        private Consumer<String> warnings;

        Base(Map<String, String> environment, InputStream stdin) {
            this.environment = Objects.requireNonNull(environment, "environment");
            this.stdin = Objects.requireNonNull(stdin, "stdin");
        }

        Map<String, String> environment() {
            return environment;
        }

        InputStream stdin() {
            return stdin;
        }

        /** Opens the secrets file this run names. */
        FileCredentialSource source() {
            return secretsFile.source(environment, warnings);
        }

        /** Opens the stores, for a reference other than the secrets file's. */
        Stores stores() {
            return new Stores(environment, timeoutOption.timeout(), warnings);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            warnings = Stores.warnings(err);
            try {
                return run(out, err);
            } catch (CredentialException | EnvironmentSettings.InvalidSettingException e) {
                err.println("bigledger-auth secrets " + verb() + ": " + Messages.oneLine(e.getMessage()));
                return CommandRun.credentialExitCode(e);
            } catch (BigLedgerAuthException | IllegalStateException | IOException e) {
                err.println("bigledger-auth secrets " + verb() + ": " + Messages.oneLine(e.getMessage()));
                return ExitCodes.ERROR;
            } catch (IllegalArgumentException e) {
                err.println("bigledger-auth secrets " + verb() + ": " + Messages.oneLine(e.getMessage()));
                return ExitCodes.USAGE;
            } catch (Exception e) {
                err.println("bigledger-auth secrets " + verb() + ": " + e.getClass().getSimpleName());
                return ExitCodes.ERROR;
            } finally {
                out.flush();
            }
        }

    }

    /** {@code put}: stores stdin's value. */
    @Command(name = "put", description = {
        "Stores a value read from stdin (never from the command line, which shell history keeps); one trailing "
                + "newline is dropped. At a terminal, the value is asked for without echo.",
        "  printf %%s \"$TOKEN\" | bigledger-auth secrets put bigledger/refresh_token"})
    static final class Put extends Base {
        Put(Map<String, String> environment, InputStream stdin) {
            super(environment, stdin);
        }

        @Parameters(paramLabel = "NAME", arity = "0..1",
                description = "The entry's name in the secrets file, such as bigledger/api_key.")
        String name;

        @Option(names = "--ref", paramLabel = "REF",
                description = "Any writable reference instead of an entry of the secrets file, such as "
                        + "aws-sm:dev/app#api_key.")
        String ref;

        @Override
        String verb() {
            return "put";
        }

        @Override
        int run(PrintWriter out, PrintWriter err) throws IOException {
            CredentialRef target = target(name, ref);
            Secret value = readValue(stdin(), target);
            try {
                WriteResult result;
                if (target.scheme().equals(FileCredentialSource.SCHEME) && ref == null) {
                    try (FileCredentialSource source = source()) {
                        result = source.write(target, value, Optional.empty());
                        err.println("stored " + target + " in " + source.file() + version(result));
                    }
                } else {
                    try (Stores stores = stores()) {
                        result = stores.vault().write(target, value, Optional.empty());
                        err.println("stored " + target + version(result));
                    }
                }
                return result.isWritten() ? ExitCodes.OK : ExitCodes.ERROR;
            } finally {
                value.destroy();
            }
        }

        private static String version(WriteResult result) {
            return result.version().map(v -> " (version " + v + ")").orElse("");
        }
    }

    /** {@code get}: prints an entry, redacted unless {@code --reveal}. */
    @Command(name = "get", description = "Prints an entry's version and its value redacted, or with --reveal the "
            + "value alone.")
    static final class Get extends Base {
        Get(Map<String, String> environment, InputStream stdin) {
            super(environment, stdin);
        }

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The entry's name in the secrets file.")
        String name;

        @Option(names = "--ref", paramLabel = "REF",
                description = "Any reference instead of an entry of the secrets file.")
        String ref;

        @Option(names = "--reveal", description = "Print the value itself, alone on one line (for scripts).")
        boolean reveal;

        @Override
        String verb() {
            return "get";
        }

        @Override
        int run(PrintWriter out, PrintWriter err) {
            CredentialRef target = target(name, ref);
            VersionedSecret loaded;
            if (ref == null) {
                try (FileCredentialSource source = source()) {
                    loaded = source.load(target);
                }
            } else {
                try (Stores stores = stores()) {
                    loaded = stores.vault().handle(target).versioned();
                    return print(out, target, loaded);
                }
            }
            return print(out, target, loaded);
        }

        private int print(PrintWriter out, CredentialRef target, VersionedSecret loaded) {
            if (reveal) {
                out.print(loaded.secret().reveal());
                out.print('\n');
            } else {
                out.println("reference  " + target);
                loaded.version().ifPresent(version -> out.println("version    " + version));
                out.println("value      " + loaded.secret());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code list}: the entries' names. */
    @Command(name = "list", description = "Prints the names of the secrets file's entries, one a line (never values).")
    static final class ListNames extends Base {
        ListNames(Map<String, String> environment, InputStream stdin) {
            super(environment, stdin);
        }

        @Override
        String verb() {
            return "list";
        }

        @Override
        int run(PrintWriter out, PrintWriter err) {
            try (FileCredentialSource source = source()) {
                if (!Files.exists(source.file())) {
                    // As get says it: the library's names() is empty for a missing file, a typo in --file here.
                    err.println("bigledger-auth secrets list: there is no secrets file at " + source.file());
                    return ExitCodes.NOT_FOUND;
                }
                List<String> names = source.names();
                names.forEach(out::println);
                return ExitCodes.OK;
            }
        }
    }

    /** {@code rm}: removes an entry. */
    @Command(name = "rm", description = "Removes an entry from the secrets file.")
    static final class Remove extends Base {
        Remove(Map<String, String> environment, InputStream stdin) {
            super(environment, stdin);
        }

        @Parameters(paramLabel = "NAME", description = "The entry's name in the secrets file.")
        String name;

        @Override
        String verb() {
            return "rm";
        }

        @Override
        int run(PrintWriter out, PrintWriter err) {
            try (FileCredentialSource source = source()) {
                if (!source.remove(name)) {
                    throw new CredentialNotFoundException(CredentialRef.of(FileCredentialSource.SCHEME, name),
                            "the secrets file " + source.file() + " has no such entry");
                }
                err.println("removed file:" + name + " from " + source.file());
                return ExitCodes.OK;
            }
        }
    }

    private static CredentialRef target(String name, String ref) {
        if ((name == null) == (ref == null)) {
            throw new IllegalArgumentException("give either NAME or --ref REF");
        }
        return ref != null ? CredentialRef.parse(ref) : CredentialRef.of(FileCredentialSource.SCHEME, name);
    }

    /** Reads the value: without echo at a terminal, else all of stdin less one trailing newline. */
    static Secret readValue(InputStream stdin, CredentialRef target) throws IOException {
        Console console = System.console();
        if (stdin == System.in && console != null) {
            char[] typed = console.readPassword("Value for %s: ", target);
            if (typed == null || typed.length == 0) {
                throw new IllegalArgumentException("no value was typed");
            }
            try {
                return Secret.of(typed);
            } finally {
                Arrays.fill(typed, '\0');
            }
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = stdin.read(chunk)) >= 0) {
            buffer.write(chunk, 0, read);
            if (buffer.size() > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("the value on stdin is longer than " + MAX_VALUE_BYTES
                        + " bytes");
            }
        }
        byte[] bytes = buffer.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length == 0) {
            throw new IllegalArgumentException("stdin is empty: pipe the value in, as in printf %s \"$VALUE\" | "
                    + "bigledger-auth secrets put NAME");
        }
        byte[] value = Arrays.copyOf(bytes, length);
        Arrays.fill(bytes, (byte) 0);
        try {
            return Secret.ofBytes(value);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /**
     * Builds the command with its subcommands.
     *
     * @param environment the variables the secrets file and the stores are configured from
     * @param stdin where {@code put} reads the value
     * @return the command line of {@code secrets}
     */
    static picocli.CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
        return new picocli.CommandLine(new SecretsCommand())
                .addSubcommand(new Put(environment, stdin))
                .addSubcommand(new Get(environment, stdin))
                .addSubcommand(new ListNames(environment, stdin))
                .addSubcommand(new Remove(environment, stdin));
    }

    private SecretsCommand() {
    }
}
