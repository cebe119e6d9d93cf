package com.bigledger.auth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Builds command models with picocli's programmatic API, for the commands a script runs often ({@code resolve},
 * {@code doctor}, {@code token}) and the top-level command. Picocli reads an annotated command by reflection, and a
 * JVM's first annotation reads generate a proxy class per annotation type, which no class-data archive keeps: that
 * was the larger part of a short run's start-up. A model built here gives the same help and parsing as the
 * annotations did; the commands read their values from it after parsing. Thread-safe: stateless.
 */
final class CommandSpecs {

    /** The heading of every command's exit code list. */
    static final String EXIT_CODES_HEADING = "%nExit codes:%n";

    private CommandSpecs() {
    }

    /**
     * A command model over its callable, without inspecting it for annotations.
     *
     * @param command what runs when the command is parsed
     * @param name the command's name
     * @param description the description paragraphs, as {@code @Command(description = ...)} takes them
     * @param exitCodes the exit code list's entries, {@code code:text}
     * @return the model, with {@code -h, --help}
     */
    static CommandSpec command(Callable<Integer> command, String name, String[] description, String... exitCodes) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description).exitCodeListHeading(EXIT_CODES_HEADING)
                .exitCodeList(UsageMessageSpec.keyValuesMap(exitCodes));
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class).initialValue(false)
                .description("Show this help message and exit.").build());
        return spec;
    }

    /**
     * An option without a value.
     *
     * @param description its help text
     * @param names its names
     * @return the option, {@code false} until given
     */
    static OptionSpec flag(String description, String... names) {
        return OptionSpec.builder(names).type(boolean.class).initialValue(false).description(description).build();
    }

    /**
     * An option with a text value.
     *
     * @param name its name
     * @param label its value's name in help
     * @param description its help text
     * @return the option, {@code null} until given
     */
    static OptionSpec text(String name, String label, String description) {
        return OptionSpec.builder(name).type(String.class).paramLabel(label).description(description).build();
    }

    /**
     * An option with a value of its own type.
     *
     * @param name its name
     * @param label its value's name in help
     * @param type the value's type
     * @param converter reads the value
     * @param description its help text
     * @return the option, {@code null} until given
     */
    static <T> OptionSpec typed(String name, String label, Class<T> type, ITypeConverter<T> converter,
            String description) {
        return OptionSpec.builder(name).type(type).paramLabel(label).converters(converter).description(description)
                .build();
    }

    /**
     * The value an option was given, or its initial or default value.
     *
     * @param spec the parsed command's model
     * @param name the option's name
     * @return its value
     */
    static <T> T value(CommandSpec spec, String name) {
        return spec.findOption(name).getValue();
    }

    /**
     * Whether a flag was given.
     *
     * @param spec the parsed command's model
     * @param name the flag's name
     * @return whether it was given
     */
    static boolean isSet(CommandSpec spec, String name) {
        Boolean value = value(spec, name);
        return value != null && value;
    }
}
