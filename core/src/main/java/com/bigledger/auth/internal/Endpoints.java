package com.bigledger.auth.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks of endpoint addresses shared by the token client, the authorization request and the BigLedger layer.
 * Internal: the package is not exported. Stateless.
 */
public final class Endpoints {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Endpoints() {
    }

    /**
     * Checks the parts of an endpoint that do not depend on other options: absolute, {@code http} or
     * {@code https}, a host, no user info and no fragment.
     *
     * @param option the builder option's name, for the message
     * @param uri the endpoint
     * @return {@code uri}
     * @throws IllegalArgumentException naming the option and the problem
     */
    public static URI checkShape(String option, URI uri) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(uri, option);
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new IllegalArgumentException(option + " must be an absolute https URL: " + shown(uri));
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("https") && !lower.equals("http")) {
            throw new IllegalArgumentException(option + " must be an https URL, not " + scheme + ": " + shown(uri));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(option + " has no host: " + shown(uri));
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo it: user info is where people put credentials.
            throw new IllegalArgumentException(option + " must not contain user info (credentials in the URL): "
                    + shown(uri) + " (user info not shown); give credentials through their own settings");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(option + " must not have a fragment: " + shown(uri));
        }
        return uri;
    }

    /**
     * Checks that an endpoint whose shape is already checked may be used: {@code https}, or {@code http} to a
     * loopback host when that is allowed.
     *
     * @param option the builder option's name, for the message
     * @param uri the endpoint, already checked by {@link #checkShape(String, URI)}
     * @param allowInsecureLoopback whether {@code http} to a loopback host is allowed
     * @throws IllegalStateException naming the option, the URL and how to fix it
     */
    public static void checkTransport(String option, URI uri, boolean allowInsecureLoopback) {
        checkTransport(option, uri, allowInsecureLoopback, "allowInsecureLoopback(true)");
    }

    /**
     * As {@link #checkTransport(String, URI, boolean)}, for a caller that allows {@code http} to a loopback host
     * in another way too (an environment variable, say).
     *
     * @param option the builder option's name, for the message
     * @param uri the endpoint, already checked by {@link #checkShape(String, URI)}
     * @param allowInsecureLoopback whether {@code http} to a loopback host is allowed
     * @param optIn how to allow {@code http} to a loopback host, for the message, such as
     *     {@code "allowInsecureLoopback(true) or VARIABLE=true"}
     * @throws IllegalStateException naming the option, the URL and how to fix it
     */
    public static void checkTransport(String option, URI uri, boolean allowInsecureLoopback, String optIn) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(uri, option);
        Objects.requireNonNull(optIn, "optIn");
        if (uri.getScheme().equalsIgnoreCase("https")) {
            return;
        }
        if (!isLoopback(uri.getHost())) {
            throw new IllegalStateException(option + " must use https: " + shown(uri)
                    + " (http is allowed only for a loopback host, with " + optIn + ")");
        }
        if (!allowInsecureLoopback) {
            throw new IllegalStateException(option + " " + shown(uri) + " uses http: use " + optIn
                    + " to allow http to a loopback host (for tests), or use https");
        }
    }

    /**
     * Returns an endpoint as it may be shown in messages and logs: without user info, query or fragment, which may
     * carry credentials.
     *
     * @param uri the endpoint
     * @return the endpoint to show
     */
    public static URI shown(URI uri) {
        if (uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            return URI.create(uri.getScheme() + ":redacted");
        }
    }

    /**
     * Tells whether a host is a loopback address, without a name lookup: {@code localhost}, an IPv4 literal in
     * 127.0.0.0/8 or the IPv6 literal {@code ::1}.
     *
     * @param host the host part of a URL; an IPv6 literal in brackets
     * @return whether the host is a loopback address
     */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean v6 = host.startsWith("[") && host.endsWith("]");
        if (!v6 && !IPV4.matcher(host).matches()) {
            return false;
        }
        try {
            // A literal address is parsed, never looked up.
            return InetAddress.getByName(v6 ? host.substring(1, host.length() - 1) : host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Checks the root of a set of endpoints (a base URL, an authorization server): {@link #checkShape} and no query.
     *
     * @param option the builder option's name, for the message
     * @param uri the root
     * @return {@code uri}
     * @throws IllegalArgumentException naming the option and the problem
     */
    public static URI checkRoot(String option, URI uri) {
        checkShape(option, uri);
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException(option + " must not have a query: " + shown(uri));
        }
        return uri;
    }

    /**
     * Checks a redirect URI (RFC 6749 §3.1.2): any absolute URI without a fragment.
     *
     * @param redirectUri the redirect URI
     * @return {@code redirectUri}
     * @throws IllegalArgumentException if it is relative or has a fragment
     */
    public static URI checkRedirectUri(URI redirectUri) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        if (!redirectUri.isAbsolute() || redirectUri.getRawFragment() != null) {
            throw new IllegalArgumentException("redirectUri must be absolute and without a fragment: "
                    + shown(redirectUri));
        }
        return redirectUri;
    }
}
