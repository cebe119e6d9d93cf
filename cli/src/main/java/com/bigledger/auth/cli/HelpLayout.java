package com.bigledger.auth.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Wraps help text at spaces only. Picocli breaks lines where {@link java.text.BreakIterator} allows, which is also
 * after the {@code :} of a scheme and the {@code .} or {@code /} inside a URL or a reference, so that
 * {@code https://api.bigledger.com/v1} or {@code file:bigledger/refresh_token} ended up on two lines and could not
 * be copied. Here picocli lays out each section on lines too wide to wrap, and this class wraps them, keeping the
 * hanging indent of picocli's columns. Not thread-safe; applied once while the command line is built.
 */
final class HelpLayout {

    /** The width help is wrapped at, picocli's default. */
    static final int WIDTH = 80;

    /** Wide enough that picocli wraps nothing itself. */
    private static final int UNWRAPPED = 1000;

    /** A description column starts within this many characters of the line start, after two spaces. */
    private static final int COLUMN_LIMIT = 40;

    private HelpLayout() {
    }

    /**
     * Applies the layout to a command and all its subcommands.
     *
     * @param commandLine the root command line
     */
    static void apply(CommandLine commandLine) {
        apply(commandLine, new IdentityHashMap<>());
    }

    private static void apply(CommandLine commandLine, Map<CommandLine, Boolean> done) {
        if (done.put(commandLine, Boolean.TRUE) != null) {
            return;
        }
        commandLine.setUsageHelpWidth(UNWRAPPED);
        Map<String, CommandLine.IHelpSectionRenderer> sections = commandLine.getHelpSectionMap();
        sections.replaceAll((key, renderer) -> help -> wrap(renderer.render(help),
                UsageMessageSpec.SECTION_KEY_SYNOPSIS.equals(key)));
        commandLine.setHelpSectionMap(sections);
        commandLine.getSubcommands().values().forEach(sub -> apply(sub, done));
    }

    /**
     * Wraps rendered text at spaces, each line to {@link #WIDTH}.
     *
     * @param text lines as picocli rendered them
     * @param synopsis whether the text is the usage synopsis, whose continuation lines go under its first option
     * @return the wrapped text, with the same line ends
     */
    static String wrap(String text, boolean synopsis) {
        if (text.isEmpty()) {
            return text;
        }
        String newline = System.lineSeparator();
        List<String> lines = new ArrayList<>(List.of(text.split("\\R", -1)));
        boolean endsWithNewline = lines.get(lines.size() - 1).isEmpty();
        if (endsWithNewline) {
            lines.remove(lines.size() - 1);
        }
        List<String> wrapped = new ArrayList<>();
        for (String line : lines) {
            wrapped.addAll(wrapLine(line, synopsis ? synopsisIndent(line) : hangingIndent(line)));
        }
        return String.join(newline, wrapped) + (endsWithNewline ? newline : "");
    }

    private static List<String> wrapLine(String line, int indent) {
        List<String> lines = new ArrayList<>();
        if (line.length() <= WIDTH) {
            return List.of(line);
        }
        String rest = line.stripTrailing();
        String prefix = "";
        while (prefix.length() + rest.length() > WIDTH) {
            int room = WIDTH - prefix.length();
            int cut = rest.lastIndexOf(' ', room);
            int firstText = leadingSpaces(rest);
            if (cut <= firstText) {
                // One word longer than the room: it stays whole, past the width, rather than cut.
                cut = rest.indexOf(' ', room);
                if (cut < 0) {
                    break;
                }
            }
            lines.add(prefix + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
            prefix = " ".repeat(indent);
        }
        lines.add(prefix + rest);
        return lines;
    }

    /** Continuation lines go two characters past the column the line's description starts at, as picocli does. */
    private static int hangingIndent(String line) {
        int column = -1;
        for (int i = leadingSpaces(line); i < Math.min(line.length(), COLUMN_LIMIT); i++) {
            if (line.startsWith("  ", i) && i + 2 < line.length() && line.charAt(i + 2) != ' ') {
                column = i + 2;
                break;
            }
        }
        return column < 0 ? leadingSpaces(line) : Math.min(column + 2, COLUMN_LIMIT);
    }

    /** The synopsis, {@code Usage: bigledger-auth resolve [-h] ...}, goes on under its first option. */
    private static int synopsisIndent(String line) {
        int bracket = line.indexOf(" [");
        return bracket > 0 && bracket < COLUMN_LIMIT ? bracket + 1 : leadingSpaces(line) + 2;
    }

    private static int leadingSpaces(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
