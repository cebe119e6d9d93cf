package com.bigledger.auth.internal;

import com.bigledger.auth.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text that came from a server, or an endpoint address, safe to put in an exception message.
 *
 * <p>Server text ({@code error}, {@code error_description}, the BigLedger {@code message}) is shown to help
 * diagnose a failure, but it is untrusted: it is capped in length and stripped of control and format characters
 * so that it cannot forge log lines or hide text. Anything shaped like a BigLedger credential ({@code blg_…}: a
 * server echoing the key it refused, or a forged callback carrying a token) is masked to its known prefix. Endpoints lose their user info, query and fragment, which may
 * carry credentials. The HTTP status such a message shows is checked to be one. Stateless and thread-safe.
 */
public final class ServerText {

    /** Longest error description kept; descriptions are one sentence in practice. */
    public static final int MAX_DESCRIPTION = 256;

    /** Longest error code kept; codes are short identifiers in practice. */
    public static final int MAX_CODE = 64;

    /** A BigLedger credential or anything shaped like one: every key and token starts with {@code blg_}. */
    private static final Pattern CREDENTIAL_LIKE = Pattern.compile("blg_[A-Za-z0-9_\\-]*");

    /** What replaces a secret the request sent when the server echoes it. */
    private static final String REDACTED = "[redacted]";

    /** What replaces the part of a credential-like word after its known prefix. */
    static final String NOT_SHOWN = "(not shown)";

    private ServerText() {
    }

    /**
     * Cleans an error description: control, format and separator characters become spaces, runs of white space
     * become one space, and the result is capped at {@link #MAX_DESCRIPTION} characters.
     *
     * @param text the description the server sent, or {@code null}
     * @return the cleaned text, or {@code null} when {@code text} is {@code null} or blank
     */
    public static String description(String text) {
        return clean(text, MAX_DESCRIPTION);
    }

    /**
     * Cleans an error code like a description, capped at {@link #MAX_CODE} characters.
     *
     * @param text the code the server sent, or {@code null}
     * @return the cleaned code, or {@code null} when {@code text} is {@code null} or blank
     */
    public static String code(String text) {
        return clean(text, MAX_CODE);
    }

    /**
     * Returns the endpoint without user info, query or fragment.
     *
     * @param endpoint an absolute URI
     * @return the URI with scheme, host, port and path only
     */
    public static URI endpoint(URI endpoint) {
        if (endpoint.getRawUserInfo() == null && endpoint.getRawQuery() == null
                && endpoint.getRawFragment() == null) {
            return endpoint;
        }
        try {
            return new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), endpoint.getPath(),
                    null, null);
        } catch (URISyntaxException e) {
            // Only reachable for opaque or host-less URIs, which carry no query worth keeping either.
            return URI.create(endpoint.getScheme() + ":redacted");
        }
    }

    /**
     * Removes from server texts every secret value the request sent, in case the server echoed it.
     *
     * @param texts the texts the server sent (such as an error code and message); an element may be {@code null}
     * @param sent the secret values the request carried; empty ones are passed over
     * @return a new array of the texts, each secret replaced by {@code [redacted]}; a {@code null} element stays
     *     {@code null}
     */
    public static String[] redact(String[] texts, List<String> sent) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(sent, "sent");
        String[] out = new String[texts.length];
        for (int i = 0; i < texts.length; i++) {
            String text = texts[i];
            if (text != null) {
                for (String secret : sent) {
                    if (!secret.isEmpty()) {
                        text = text.replace(secret, REDACTED);
                    }
                }
            }
            out[i] = text;
        }
        return out;
    }

    /**
     * Returns an exception's HTTP status if it is one, or {@code -1} for no response.
     *
     * @param status the status given
     * @return {@code status}
     * @throws IllegalArgumentException if it is neither {@code -1} nor in 100–599
     */
    public static int status(int status) {
        if (status != -1 && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("httpStatus must be -1 or 100-599: " + status);
        }
        return status;
    }

    /**
     * Returns the HTTP status of a response that came, if it is one.
     *
     * @param status the status given
     * @return {@code status}
     * @throws IllegalArgumentException if it is not in 100–599
     */
    public static int responseStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("httpStatus must be 100-599: " + status);
        }
        return status;
    }

    private static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        // Read past the cap so that masking a credential (which shortens it) leaves the text after it in view.
        int read = 4 * max + 1;
        StringBuilder out = new StringBuilder(Math.min(text.length(), read));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < read; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || isInvisible(cp)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint(cp);
        }
        if (out.length() == 0) {
            return null;
        }
        Matcher credential = CREDENTIAL_LIKE.matcher(out);
        if (credential.find()) {
            StringBuilder masked = new StringBuilder(out.length() + NOT_SHOWN.length());
            do {
                Secret shaped = Secret.of(credential.group());
                String prefix = shaped.knownPrefix().orElse("blg_");
                shaped.destroy();
                credential.appendReplacement(masked, Matcher.quoteReplacement(prefix + NOT_SHOWN));
            } while (credential.find());
            credential.appendTail(masked);
            out = masked;
        }
        if (out.length() > max) {
            int end = max;
            if (Character.isHighSurrogate(out.charAt(end - 1))) {
                end--;
            }
            out.setLength(end);
            out.append('…');
        }
        return out.toString();
    }

    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }
}
