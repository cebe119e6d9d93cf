package com.bigledger.auth.cli;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The top-level {@code bigledger-auth} command, which only groups the subcommands; run without one, it prints
 * its usage and exits with {@link ExitCodes#USAGE}. Its model is built without annotations (see
 * {@link CommandSpecs}).
 */
final class BigLedgerAuthCommand {

    private BigLedgerAuthCommand() {
    }

    /**
     * Builds the command's model, without subcommands.
     *
     * @return the model
     */
    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("bigledger-auth").versionProvider(new Version());
        UsageMessageSpec usage = spec.usageMessage();
        usage.description(
                "Resolves credential references, checks the configuration of a BigLedger API client and verifies it "
                        + "against the API, and gets OAuth access tokens.",
                "Secrets are shown redacted (a known prefix such as blg_live_sk_ at most) unless asked otherwise.",
                "",
                "New here? 'bigledger-auth demo' shows the library at work with no configuration; then "
                        + "'bigledger-auth doctor' checks a real one.");
        usage.synopsisSubcommandLabel("COMMAND")
                .exitCodeListHeading(CommandSpecs.EXIT_CODES_HEADING)
                .exitCodeList(UsageMessageSpec.keyValuesMap(
                        ExitCodes.OK_HELP, ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP, ExitCodes.NOT_FOUND_HELP,
                        ExitCodes.ERROR_HELP, ExitCodes.REFUSED_HELP, ExitCodes.UNAUTHORIZED_HELP,
                        ExitCodes.FORBIDDEN_HELP, ExitCodes.INVALID_COMPANY_HELP))
                .footer("%nRun 'bigledger-auth COMMAND --help' for a command's options.");
        // What mixinStandardHelpOptions would add, without reading picocli's annotated mixin.
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class).initialValue(false)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
                .initialValue(false).description("Print version information and exit.").build());
        return spec;
    }

    /** Reads the version from the runnable jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BigLedgerAuthCommand.class.getPackage().getImplementationVersion();
            return new String[] {"bigledger-auth " + (version == null ? "(development build)" : version)};
        }
    }
}
