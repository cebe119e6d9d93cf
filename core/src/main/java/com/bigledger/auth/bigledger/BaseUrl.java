package com.bigledger.auth.bigledger;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;

/**
 * The base URL of the API and the URLs under it: where credentials may be sent. Immutable and thread-safe.
 */
final class BaseUrl {

    /** The base URL without a trailing slash. */
    final String text;

    /** The base URL as a URI. */
    final URI uri;

    BaseUrl(String text) {
        this.text = text;
        this.uri = URI.create(text);
    }

    /** See {@link BigLedgerAuth#resolve(String)}. */
    URI resolve(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("An API path starts with a single '/', such as /accounts");
        }
        URI resolved;
        try {
            resolved = new URI(text + path);
        } catch (URISyntaxException e) {
            // The reason and index only: a query might hold something private.
            int index = e.getIndex() - text.length();
            throw new IllegalArgumentException("The API path is not a valid URI path (" + e.getReason()
                    + (index >= 0 ? " at index " + index : "") + ")");
        }
        if (resolved.getRawFragment() != null || !contains(resolved)) {
            throw new IllegalArgumentException("The API path must stay under " + text
                    + " (no '..' segments, no fragment)");
        }
        return resolved;
    }

    /** See {@link BigLedgerAuth#isUnderBaseUrl(URI)}. */
    boolean contains(URI other) {
        if (!other.isAbsolute() || other.isOpaque() || other.getRawUserInfo() != null || other.getHost() == null) {
            return false;
        }
        if (!other.getScheme().equalsIgnoreCase(uri.getScheme()) || !other.getHost().equalsIgnoreCase(uri.getHost())
                || port(other) != port(uri)) {
            return false;
        }
        String path = other.normalize().getRawPath();
        String basePath = uri.getRawPath();
        boolean below = path.equals(basePath) || path.startsWith(basePath + "/");
        return below && !Arrays.asList(other.getRawPath().split("/")).contains("..");
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
