package com.bigledger.auth.spi;

import com.bigledger.auth.internal.Endpoints;
import java.net.URI;

/**
 * Checks for the endpoint a store talks to (a Vault address, an endpoint override), worded as the library's own
 * builders word them, and the form of an endpoint that may be shown: without user info, query or fragment, which
 * may carry credentials. Stateless and thread-safe.
 */
public final class EndpointChecks {

    private EndpointChecks() {
    }

    /**
     * Checks that an endpoint is an absolute {@code http} or {@code https} URL with a host, no user info and no
     * fragment.
     *
     * @param option the builder option's name, for the message
     * @param uri the endpoint
     * @return {@code uri}
     * @throws IllegalArgumentException naming the option and the problem; user info is never shown
     */
    public static URI checkShape(String option, URI uri) {
        return Endpoints.checkShape(option, uri);
    }

    /**
     * Checks that an endpoint whose shape is checked may be used: {@code https}, or {@code http} to a loopback host
     * when that is allowed.
     *
     * @param option the builder option's name, for the message
     * @param uri the endpoint, already checked by {@link #checkShape(String, URI)}
     * @param allowInsecureLoopback whether {@code http} to a loopback host is allowed
     * @param optIn how to allow {@code http} to a loopback host, for the message, such as
     *     {@code "allowInsecureLoopback(true) or VARIABLE=true"}
     * @throws IllegalStateException naming the option, the URL and how to fix it
     */
    public static void checkTransport(String option, URI uri, boolean allowInsecureLoopback, String optIn) {
        Endpoints.checkTransport(option, uri, allowInsecureLoopback, optIn);
    }

    /**
     * Returns an endpoint as it may be shown in messages and logs: without user info, query or fragment.
     *
     * @param uri the endpoint
     * @return the endpoint to show
     */
    public static URI shown(URI uri) {
        return Endpoints.shown(uri);
    }

    /**
     * Tells whether a host is a loopback address, without a name lookup: {@code localhost}, an IPv4 literal in
     * 127.0.0.0/8 or the IPv6 literal {@code ::1}.
     *
     * @param host the host part of a URL; an IPv6 literal in brackets
     * @return whether the host is a loopback address
     */
    public static boolean isLoopback(String host) {
        return Endpoints.isLoopback(host);
    }
}
