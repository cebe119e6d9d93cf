package com.bigledger.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a secret lives, written as text: {@code scheme:path[?options][#field]}. With the stores this library
 * ships, for example:
 *
 * <ul>
 *   <li>{@code env:BIGLEDGER_API_KEY}: an environment variable;
 *   <li>{@code aws-sm:prod/bigledger#client_secret}: a secret in AWS Secrets Manager (name or ARN), the top-level
 *       JSON key {@code client_secret} of its value; {@code ?stage=AWSPREVIOUS} or {@code ?version=ID} pins a
 *       version, {@code ?region=eu-west-1} picks the region;
 *   <li>{@code vault:secret/bigledger#api_key}: HashiCorp Vault, mount and path; {@code ?kv=1} for a KV version 1
 *       mount, {@code ?version=3} pins a KV version 2 version.
 * </ul>
 *
 * <p>A reference is not a secret: it may appear in messages and logs. Parsing is strict, and generic: it knows no
 * store. The scheme is lower case ({@code [a-z][a-z0-9+.-]*}); the path is not empty; options are
 * {@code name=value} pairs joined with {@code &}, each name given once with a non-empty value; the field is not
 * empty; {@code %XX} escapes a character ({@code %3F} for {@code ?}, {@code %23} for {@code #}, {@code %25} for
 * {@code %}) and decodes as UTF-8. Which options a scheme takes, and their values, is declared by its store
 * ({@link com.bigledger.auth.spi.CredentialSourceProvider#options()}) and checked by
 * {@link CredentialVault} when a handle is made.
 *
 * <p>{@link #toString()} gives the canonical text, and {@code parse(ref.toString()).equals(ref)} always holds.
 * Instances are immutable and thread-safe.
 */
public final class CredentialRef {

    private final String scheme;
    private final String path;
    private final Map<String, String> options;
    private final String field;

    private CredentialRef(String scheme, String path, Map<String, String> options, String field) {
        this.scheme = scheme;
        this.path = path;
        this.options = options;
        this.field = field;
    }

    /**
     * Parses a reference.
     *
     * @param text the reference, such as {@code aws-sm:prod/bigledger#client_secret}
     * @return the parsed reference
     * @throws IllegalArgumentException if the text is not a valid reference; the message gives the position of the
     *     first problem and what was expected there, and never quotes the text: a secret pasted in place of its
     *     reference would otherwise be printed
     * @throws NullPointerException if {@code text} is {@code null}
     */
    public static CredentialRef parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw error(text, 0, colon == 0 ? "the scheme is empty" : "expected scheme:path");
        }
        String scheme = text.substring(0, colon);
        checkScheme(text, scheme);
        // A handful of schemes, each shared by every reference that names it (a registry holds one per tenant).
        scheme = scheme.intern();

        int hash = text.indexOf('#', colon + 1);
        int end = hash < 0 ? text.length() : hash;
        int question = text.indexOf('?', colon + 1);
        if (question > end) {
            question = -1;
        }
        int pathEnd = question < 0 ? end : question;
        String path = decode(text, colon + 1, pathEnd, "path");
        if (path.isEmpty()) {
            throw error(text, colon + 1, "the path is empty");
        }

        Map<String, String> options = new LinkedHashMap<>();
        if (question >= 0) {
            if (question + 1 == end) {
                throw error(text, question + 1, "'?' is followed by no option");
            }
            int start = question + 1;
            while (start <= end) {
                int amp = text.indexOf('&', start);
                int pairEnd = amp < 0 || amp > end ? end : amp;
                int eq = text.indexOf('=', start);
                if (eq < 0 || eq >= pairEnd) {
                    throw error(text, start, "expected an option as name=value");
                }
                String name = text.substring(start, eq);
                if (!name.matches("[a-z][a-z0-9_-]*")) {
                    throw error(text, start, "option names are lower-case letters, digits, '_' and '-'");
                }
                String value = decode(text, eq + 1, pairEnd, "option value");
                if (value.isEmpty()) {
                    throw error(text, eq + 1, "the option has an empty value");
                }
                if (options.putIfAbsent(name, value) != null) {
                    throw error(text, start, "the option is given twice");
                }
                start = pairEnd + 1;
            }
        }

        String field = null;
        if (hash >= 0) {
            field = decode(text, hash + 1, text.length(), "field");
            if (field.isEmpty()) {
                throw error(text, hash + 1, "the field after '#' is empty");
            }
        }
        // Most references have no options: the shared empty map, not an empty map of their own each.
        return new CredentialRef(scheme, path, options.isEmpty() ? Map.of() : Collections.unmodifiableMap(options),
                field);
    }

    /**
     * Creates a reference with no options and no field.
     *
     * @param scheme the scheme, such as {@code env}
     * @param path the path within the store, unescaped
     * @return the reference
     * @throws IllegalArgumentException if the scheme is not valid or the path is empty
     */
    public static CredentialRef of(String scheme, String path) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        String text = scheme + ":" + encode(path, false);
        // Checked before parsing: a scheme holding ':' would otherwise be split into another scheme and path.
        checkScheme(text, scheme);
        return parse(text);
    }

    /**
     * Returns the scheme, which selects the store.
     *
     * @return the scheme, such as {@code aws-sm}
     */
    public String scheme() {
        return scheme;
    }

    /**
     * Returns the path within the store, unescaped.
     *
     * @return the path, never empty
     */
    public String path() {
        return path;
    }

    /**
     * Returns the options, in the order written.
     *
     * @return an unmodifiable map, empty when there are none
     */
    public Map<String, String> options() {
        return options;
    }

    /**
     * Returns one option.
     *
     * @param name the option name
     * @return its value, or empty when not given
     */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /**
     * Returns the field: the top-level JSON key to take from the stored value.
     *
     * @return the field, or empty when the whole value is meant
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /**
     * Returns this reference without its field: the whole stored value.
     *
     * @return a reference to the whole value, or this one when it has no field
     */
    public CredentialRef withoutField() {
        return field == null ? this : new CredentialRef(scheme, path, options, null);
    }

    /**
     * Returns this reference with another field.
     *
     * @param newField the top-level JSON key, not empty
     * @return the new reference
     * @throws IllegalArgumentException if {@code newField} is empty or holds an unpaired surrogate (which has no
     *     UTF-8 form, so the reference could not be written as text)
     */
    public CredentialRef withField(String newField) {
        Objects.requireNonNull(newField, "newField");
        if (newField.isEmpty()) {
            throw new IllegalArgumentException("Invalid credential reference '" + this + "': the field is empty");
        }
        for (int i = 0; i < newField.length(); i++) {
            char c = newField.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < newField.length()
                    && Character.isLowSurrogate(newField.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("Invalid credential reference '" + this + "': the new field has "
                        + "an unpaired surrogate at index " + i + ", which cannot be written as UTF-8");
            }
        }
        return new CredentialRef(scheme, path, options, newField);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof CredentialRef)) {
            return false;
        }
        CredentialRef that = (CredentialRef) other;
        return scheme.equals(that.scheme) && path.equals(that.path) && options.equals(that.options)
                && Objects.equals(field, that.field);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, path, options, field);
    }

    /** The canonical text of this reference, which {@link #parse(String)} reads back to an equal reference. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(scheme).append(':').append(encode(path, false));
        String separator = "?";
        for (Map.Entry<String, String> option : options.entrySet()) {
            text.append(separator).append(option.getKey()).append('=').append(encode(option.getValue(), true));
            separator = "&";
        }
        if (field != null) {
            text.append('#').append(encode(field, false));
        }
        return text.toString();
    }

    private static void checkScheme(String text, String scheme) {
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            int bad = 0;
            while (bad < scheme.length() && (bad == 0 ? Character.isLowerCase(scheme.charAt(0))
                    && scheme.charAt(0) < 128 : "abcdefghijklmnopqrstuvwxyz0123456789+.-".indexOf(
                    scheme.charAt(bad)) >= 0)) {
                bad++;
            }
            throw error(text, bad, "the scheme must be lower-case letters, digits, '+', '.' or '-', "
                    + "starting with a letter");
        }
    }

    private static String decode(String text, int from, int to, String part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Where in the text each decoded byte came from, so that a byte that is not UTF-8 is reported where it is.
        int[] origins = new int[3 * (to - from)];
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int start = bytes.size();
            int origin = i;
            if (c == '%') {
                if (i + 2 >= to) {
                    throw error(text, i, "bad escape in the " + part + ": '%' must be followed by two hex digits");
                }
                int high = hexDigit(text.charAt(i + 1));
                int low = hexDigit(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    throw error(text, i, "bad escape in the " + part + ": '%' must be followed by two hex digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw error(text, i, "whitespace or a control character in the " + part + " must be escaped");
            } else if ((c == '?' || c == '#') && !part.equals("path")) {
                throw error(text, i, "'" + c + "' in the " + part + " must be escaped as " + (c == '?' ? "%3F" : "%23"));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                byte[] encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error(text, i, "an unpaired surrogate in the " + part + " is not text");
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
            Arrays.fill(origins, start, bytes.size(), origin);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes.toByteArray());
        CharBuffer out = CharBuffer.allocate(in.remaining());
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw error(text, origins[in.position()], "bad escape in the " + part
                    + ": the escaped bytes are not UTF-8");
        }
        return out.flip().toString();
    }

    private static int hexDigit(char c) {
        // Character.digit would also take non-ASCII digits, such as the full-width ones.
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    private static String encode(String value, boolean optionValue) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean escape = c == '%' || c == '?' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)
                    || (optionValue && (c == '&' || c == '='));
            if (escape) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Never quotes {@code text}: it may be a secret pasted where its reference belongs. */
    private static IllegalArgumentException error(String text, int position, String problem) {
        Objects.requireNonNull(text, "text");
        return new IllegalArgumentException("Invalid credential reference at position " + position + ": " + problem
                + " (value not shown)");
    }
}
