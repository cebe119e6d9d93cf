package com.bigledger.auth.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --timeout} option shared by the commands: how long to wait for a value while its store fails with a
 * temporary error. The vault retries with backoff meanwhile; a store that answers "not found" fails at once.
 * Commands whose model is annotated mix it in; those built with {@link CommandSpecs} add {@link #option()}. Not
 * thread-safe: picocli sets its field before each run.
 */
final class TimeoutOption {

    /** The wait by default: long enough for a retry or two, short enough for a person at a terminal. */
    static final String DEFAULT = "10s";

    private static final String NAME = "--timeout";
    private static final String LABEL = "DURATION";
    private static final String DESCRIPTION = "How long to wait for a value while its store fails with a temporary "
            + "error (it is retried meanwhile), such as 500ms, 10s or 2m. By default, ${DEFAULT-VALUE}.";

    @Option(names = NAME, paramLabel = LABEL, defaultValue = DEFAULT, converter = Converter.class,
            description = DESCRIPTION)
    private Duration timeout;

    Duration timeout() {
        return timeout;
    }

    /**
     * The option, for a model built with {@link CommandSpecs}.
     *
     * @return the option
     */
    static OptionSpec option() {
        return OptionSpec.builder(NAME).type(Duration.class).paramLabel(LABEL).defaultValue(DEFAULT)
                .converters(new Converter()).description(DESCRIPTION).build();
    }

    /**
     * The timeout a parsed model built with {@link #option()} was given, or the default.
     *
     * @param spec the model
     * @return the timeout
     */
    static Duration of(CommandSpec spec) {
        return CommandSpecs.value(spec, NAME);
    }

    /**
     * Writes a duration as this option reads it back, for messages: {@code 250ms}, {@code 10s}, {@code 1.5s},
     * {@code 2m30s}.
     *
     * @param duration a duration that is not negative
     * @return the text
     */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        BigDecimal seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros();
        return (millis >= 60_000 ? millis / 60_000 + "m" : "")
                + (seconds.signum() == 0 ? "" : seconds.toPlainString() + "s");
    }

    /** Reads {@code 500ms}, {@code 10s}, {@code 2m} or an ISO-8601 duration such as {@code PT10S}. */
    static final class Converter implements ITypeConverter<Duration> {

        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m)");

        @Override
        public Duration convert(String value) {
            Duration duration = parse(value.trim().toLowerCase(Locale.ROOT));
            if (duration.isZero() || duration.isNegative()) {
                throw new TypeConversionException("the timeout must be positive: '" + value + "'");
            }
            return duration;
        }

        private static Duration parse(String value) {
            Matcher matcher = SHORT.matcher(value);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                switch (matcher.group(2)) {
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "s":
                        return Duration.ofSeconds(amount);
                    default:
                        return Duration.ofMinutes(amount);
                }
            }
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("expected a duration such as 500ms, 10s or 2m: '" + value + "'");
            }
        }
    }
}
