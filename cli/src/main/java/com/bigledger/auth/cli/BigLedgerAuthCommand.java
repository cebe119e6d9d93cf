package com.bigledger.auth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The top-level {@code bigledger-auth} command, which only groups the subcommands; run without one, it prints
 * its usage and exits with {@link ExitCodes#USAGE}.
 */
@Command(
        name = "bigledger-auth",
        mixinStandardHelpOptions = true,
        versionProvider = BigLedgerAuthCommand.Version.class,
        description = {
            "Resolves credential references, checks the configuration of a BigLedger API client, and gets OAuth "
                    + "access tokens.",
            "Secrets are shown redacted (a known prefix such as blg_live_sk_ at most) unless asked otherwise."
        },
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK_HELP, ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP, ExitCodes.NOT_FOUND_HELP,
            ExitCodes.ERROR_HELP, ExitCodes.REFUSED_HELP
        },
        footer = {"%nRun 'bigledger-auth COMMAND --help' for a command's options."})
final class BigLedgerAuthCommand {

    /** Reads the version from the runnable jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BigLedgerAuthCommand.class.getPackage().getImplementationVersion();
            return new String[] {"bigledger-auth " + (version == null ? "(development build)" : version)};
        }
    }
}
