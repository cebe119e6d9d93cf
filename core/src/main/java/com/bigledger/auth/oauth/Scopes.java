package com.bigledger.auth.oauth;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Scope checks and encoding (RFC 6749 §3.3). Stateless. */
final class Scopes {

    private Scopes() {
    }

    /**
     * Copies and checks scopes: each a non-empty RFC 6749 scope token (printable ASCII without space, {@code "} or
     * {@code \}). The copy is sorted, so that a request is the same whatever set implementation the caller used.
     *
     * @throws NullPointerException if the set or an element is {@code null}
     * @throws IllegalArgumentException naming the first scope that is not a valid token
     */
    static Set<String> check(Set<String> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        TreeSet<String> copy = new TreeSet<>();
        for (String scope : scopes) {
            Objects.requireNonNull(scope, "scopes must not contain null");
            if (!isScopeToken(scope)) {
                throw new IllegalArgumentException("Not a valid OAuth scope (printable ASCII without space, \" or \\):"
                        + " \"" + printable(scope) + "\"");
            }
            copy.add(scope);
        }
        return Collections.unmodifiableSet(copy);
    }

    /** Joins scopes with single spaces, the form the {@code scope} parameter takes. */
    static String join(Set<String> scopes) {
        return String.join(" ", scopes);
    }

    /** Splits a {@code scope} value from a server, dropping anything that is not a scope token. */
    static Set<String> parse(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : value.split(" ")) {
            if (isScopeToken(part)) {
                out.add(part);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    static boolean isScopeToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return out.toString();
    }
}
