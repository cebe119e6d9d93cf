package com.bigledger.auth.store.env;

import com.bigledger.auth.Secret;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the text of a {@code .env} file into variables.
 *
 * <p>The syntax is the common dotenv one: blank lines and {@code #} comment lines are skipped; a line is
 * {@code [export ]NAME=VALUE}; an unquoted value is trimmed and loses an inline comment (a {@code #} after a space
 * or tab); a single-quoted value is taken literally and ends on its line; a double-quoted value may span lines and
 * understands {@code \n \r \t \" \\} (any other backslash is kept as written, so Windows paths survive); a later
 * line for the same name wins. There is no {@code ${VAR}} expansion: values are taken as written.
 *
 * <p>Values go straight from the character array into {@link Secret}s, and no error message quotes the text of a
 * line, because a malformed line is often a pasted secret. Not thread-safe; each parse uses its own instance.
 */
final class DotenvParser {

    private final Path file;
    private final char[] text;
    private final int end;
    private final ValueBuffer value = new ValueBuffer();
    private int pos;
    private int line = 1;

    private DotenvParser(Path file, char[] text, int end) {
        this.file = file;
        this.text = text;
        this.end = end;
    }

    /**
     * Parses the first {@code length} characters of {@code text}; the caller owns and wipes the array.
     *
     * @throws DotenvFormatException at the first malformed line
     */
    static Map<String, Secret> parse(Path file, char[] text, int length) {
        DotenvParser parser = new DotenvParser(file, text, length);
        try {
            return parser.parseAll();
        } finally {
            parser.value.wipe();
        }
    }

    private Map<String, Secret> parseAll() {
        Map<String, Secret> values = new LinkedHashMap<>();
        if (end > 0 && text[0] == '\uFEFF') {
            pos = 1;
        }
        while (pos < end) {
            skipBlanks();
            if (atLineEnd()) {
                nextLine();
                continue;
            }
            if (text[pos] == '#') {
                skipToLineEnd();
                nextLine();
                continue;
            }
            skipExportPrefix();
            String name = readName();
            pos++;
            readValue(name);
            Secret previous = values.put(name, value.toSecret());
            if (previous != null) {
                previous.destroy();
            }
            nextLine();
        }
        return values;
    }

    private void skipExportPrefix() {
        String export = "export";
        int after = pos + export.length();
        if (after >= end || !isBlank(text[after])) {
            return;
        }
        for (int i = 0; i < export.length(); i++) {
            if (text[pos + i] != export.charAt(i)) {
                return;
            }
        }
        pos = after;
        skipBlanks();
    }

    private String readName() {
        int start = pos;
        while (!atLineEnd() && text[pos] != '=') {
            pos++;
        }
        if (atLineEnd()) {
            throw error("expected NAME=VALUE but the line has no '='");
        }
        int nameEnd = pos;
        while (nameEnd > start && isBlank(text[nameEnd - 1])) {
            nameEnd--;
        }
        // The text before '=' is not quoted back: in a line that is not NAME=VALUE it may be part of a secret.
        if (!EnvCredentialSource.isValidName(text, start, nameEnd)) {
            throw error("the text before '=' is not a valid variable name (letters, digits and '_', "
                    + "not starting with a digit)");
        }
        return new String(text, start, nameEnd - start);
    }

    private void readValue(String name) {
        value.clear();
        int afterEquals = pos;
        skipBlanks();
        if (atLineEnd()) {
            return;
        }
        if (text[pos] == '\'') {
            readSingleQuoted(name);
            afterClosingQuote(name);
        } else if (text[pos] == '"') {
            readDoubleQuoted(name);
            afterClosingQuote(name);
        } else {
            readUnquoted(afterEquals);
        }
    }

    private void readUnquoted(int afterEquals) {
        int start = pos;
        skipToLineEnd();
        int valueEnd = pos;
        // A comment starts at a '#' that follows a blank, so "pa#ss" keeps its '#' but "value # note" does not.
        for (int i = Math.max(start, afterEquals + 1); i < valueEnd; i++) {
            if (text[i] == '#' && isBlank(text[i - 1])) {
                valueEnd = i;
                break;
            }
        }
        while (valueEnd > start && isBlank(text[valueEnd - 1])) {
            valueEnd--;
        }
        value.append(text, start, valueEnd);
    }

    private void readSingleQuoted(String name) {
        int start = ++pos;
        while (!atLineEnd() && text[pos] != '\'') {
            pos++;
        }
        if (atLineEnd()) {
            throw error("the value of " + shown(name) + " opens a single quote that is not closed on the same line");
        }
        value.append(text, start, pos);
        pos++;
    }

    private void readDoubleQuoted(String name) {
        int openedOn = line;
        pos++;
        while (true) {
            if (pos >= end) {
                throw new DotenvFormatException(file, openedOn, "the value of " + shown(name)
                        + " opens a double quote that is never closed");
            }
            char c = text[pos];
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\' && pos + 1 < end && isEscapable(text[pos + 1])) {
                value.append(unescape(text[pos + 1]));
                pos += 2;
            } else if (atLineEnd()) {
                // Line ends inside the quotes become '\n' whatever the file uses, so a value does not depend on
                // the editor that saved it.
                value.append('\n');
                nextLine();
            } else {
                value.append(c);
                pos++;
            }
        }
    }

    private void afterClosingQuote(String name) {
        skipBlanks();
        if (atLineEnd()) {
            return;
        }
        if (text[pos] == '#') {
            skipToLineEnd();
            return;
        }
        throw error("unexpected text after the closing quote of the value of " + shown(name));
    }

    private static boolean isEscapable(char c) {
        return c == 'n' || c == 'r' || c == 't' || c == '"' || c == '\\';
    }

    private static char unescape(char c) {
        switch (c) {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            default:
                return c;
        }
    }

    private void skipBlanks() {
        while (pos < end && isBlank(text[pos])) {
            pos++;
        }
    }

    private void skipToLineEnd() {
        while (!atLineEnd()) {
            pos++;
        }
    }

    private boolean atLineEnd() {
        return pos >= end || text[pos] == '\n' || text[pos] == '\r';
    }

    /** Steps over one line end ({@code \n}, {@code \r\n} or {@code \r}), if there is one. */
    private void nextLine() {
        if (pos >= end) {
            return;
        }
        if (text[pos] == '\r' && pos + 1 < end && text[pos + 1] == '\n') {
            pos++;
        }
        pos++;
        line++;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private DotenvFormatException error(String problem) {
        return new DotenvFormatException(file, line, problem);
    }

    /** A growable character buffer that is wiped when it grows and when parsing ends. */
    private static final class ValueBuffer {
        private char[] chars = new char[64];
        private int length;

        void clear() {
            Arrays.fill(chars, 0, length, '\0');
            length = 0;
        }

        void append(char c) {
            ensure(length + 1);
            chars[length++] = c;
        }

        void append(char[] source, int from, int to) {
            ensure(length + to - from);
            System.arraycopy(source, from, chars, length, to - from);
            length += to - from;
        }

        Secret toSecret() {
            char[] copy = Arrays.copyOf(chars, length);
            try {
                return Secret.of(copy);
            } finally {
                Arrays.fill(copy, '\0');
            }
        }

        void wipe() {
            Arrays.fill(chars, '\0');
            length = 0;
        }

        private void ensure(int capacity) {
            if (capacity > chars.length) {
                char[] bigger = Arrays.copyOf(chars, Math.max(capacity, chars.length * 2));
                Arrays.fill(chars, '\0');
                chars = bigger;
            }
        }
    }

    /**
     * A variable name as it may appear in a message. A name that starts like a credential (a key pasted before the
     * {@code =}) is shown by its known prefix only.
     */
    static String shown(String name) {
        return com.bigledger.auth.Secret.of(name).knownPrefix()
                .map(prefix -> "a variable named " + prefix + "…")
                .orElse(name);
    }
}
