package com.bigledger.auth.internal;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Makes text that came from a server, or an endpoint address, safe to put in an exception message.
 *
 * <p>Server text ({@code error}, {@code error_description}, the BigLedger {@code message}) is shown to help
 * diagnose a failure, but it is untrusted: it is capped in length and stripped of control and format characters
 * so that it cannot forge log lines or hide text. Endpoints lose their user info, query and fragment, which may
 * carry credentials. Stateless and thread-safe.
 */
public final class ServerText {

    /** Longest error description kept; descriptions are one sentence in practice. */
    public static final int MAX_DESCRIPTION = 256;

    /** Longest error code kept; codes are short identifiers in practice. */
    public static final int MAX_CODE = 64;

    private ServerText() {
    }

    /**
     * Cleans an error description: control, format and separator characters become spaces, runs of white space
     * become one space, and the result is capped at {@link #MAX_DESCRIPTION} characters.
     *
     * @return the cleaned text, or {@code null} when {@code text} is {@code null} or blank
     */
    public static String description(String text) {
        return clean(text, MAX_DESCRIPTION);
    }

    /**
     * Cleans an error code like a description, capped at {@link #MAX_CODE} characters.
     *
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

    private static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < max + 1; ) {
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
