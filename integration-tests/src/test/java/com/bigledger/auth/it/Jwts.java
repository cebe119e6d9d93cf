package com.bigledger.auth.it;

import com.bigledger.auth.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads claims of the JWT access tokens Spring Authorization Server issues. */
final class Jwts {

    private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private Jwts() {
    }

    /** The {@code exp} claim: the server's expiry, truncated to the second. */
    static Instant expiry(Secret jwt) {
        String[] parts = jwt.reveal().split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("the access token is not a JWT (" + parts.length + " parts)");
        }
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher m = EXP.matcher(claims);
        if (!m.find()) {
            throw new AssertionError("the access token has no exp claim");
        }
        return Instant.ofEpochSecond(Long.parseLong(m.group(1)));
    }
}
