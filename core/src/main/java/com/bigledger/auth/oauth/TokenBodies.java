package com.bigledger.auth.oauth;

import com.bigledger.auth.Secret;
import com.bigledger.auth.internal.HttpExchange;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads token endpoint bodies with Jackson's streaming parser: the success body of RFC 6749 §5.1, and the error
 * bodies of RFC 6749 §5.2 and the BigLedger envelope.
 *
 * <p>Jackson's exception messages quote the input, which may be a token: they are never passed on, as message or
 * as cause. Stateless and thread-safe.
 */
final class TokenBodies {

    private static final Logger LOG = LoggerFactory.getLogger(TokenBodies.class);

    static final JsonFactory JSON = HttpExchange.JSON;

    private TokenBodies() {
    }

    /** A success body that is not a usable token; the detail never quotes the body. */
    static final class Problem extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Secret refreshToken;

        Problem(String detail, Secret refreshToken) {
            super(detail, null, false, false);
            this.refreshToken = refreshToken;
        }

        /** A well-formed refresh token the body held, or {@code null}. */
        Secret refreshToken() {
            return refreshToken;
        }
    }

    /** The code and description of an error body; either may be {@code null}. */
    static final class ErrorBody {

        static final ErrorBody NONE = new ErrorBody(null, null);

        final String code;
        final String description;

        ErrorBody(String code, String description) {
            this.code = code;
            this.description = description;
        }
    }

    /**
     * Reads a success body.
     *
     * @param endpoint the endpoint, for log lines only
     * @param contentType the response's content type, or {@code null}
     * @param requestedScopes the scopes asked for, which are the granted ones when the body names none
     * @throws Problem if the body is not a usable bearer token
     */
    static TokenResponse parseSuccess(String endpoint, byte[] body, String contentType, Set<String> requestedScopes)
            throws Problem {
        return parseSuccess(endpoint, body, contentType, requestedScopes, null);
    }

    /**
     * Reads a success body, taking a missing {@code expires_in} to mean {@code defaultExpiresIn} when that is set.
     *
     * @param defaultExpiresIn the lifetime of a token whose response has no {@code expires_in}, or {@code null} to
     *     refuse such a response
     * @throws Problem if the body is not a usable bearer token
     */
    static TokenResponse parseSuccess(String endpoint, byte[] body, String contentType, Set<String> requestedScopes,
            Duration defaultExpiresIn) throws Problem {
        int first = firstSignificantByte(body);
        if (first < 0) {
            throw new Problem("the response body is empty", null);
        }
        if (body[first] == '<' || (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html"))) {
            throw new Problem("the response is an HTML page, not JSON (is the token endpoint URL right?)", null);
        }
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw f.problem("the response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "access_token":
                        f.accessToken.read(p, value);
                        break;
                    case "token_type":
                        f.tokenType = value == JsonToken.VALUE_STRING ? p.getText() : null;
                        f.tokenTypeSeen = value != JsonToken.VALUE_NULL;
                        break;
                    case "expires_in":
                        f.expiresIn = seconds(p, value);
                        break;
                    case "refresh_in":
                        f.refreshIn = seconds(p, value);
                        break;
                    case "refresh_token":
                        f.refreshToken.read(p, value);
                        break;
                    case "scope":
                        f.scope(p, value);
                        break;
                    default:
                        p.skipChildren();
                        break;
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw f.problem("the response is not valid JSON");
            }
            if (p.nextToken() != null) {
                throw f.problem("the response has content after its JSON object");
            }
        } catch (JsonEOFException e) {
            throw f.problem("the response JSON is truncated");
        } catch (JsonProcessingException e) {
            // Only the location: the message quotes the input.
            throw f.problem("the response is not valid JSON" + at(e.getLocation()));
        } catch (IOException e) {
            throw f.problem("the response could not be read as JSON");
        }
        return f.build(endpoint, requestedScopes, defaultExpiresIn);
    }

    /**
     * Reads an error body for its code and description, as RFC 6749 §5.2 ({@code error},
     * {@code error_description}) or the BigLedger envelope ({@code error.code}, {@code error.message}). Never fails:
     * whatever cannot be read is left out.
     */
    static ErrorBody parseError(byte[] body) {
        int first = firstSignificantByte(body);
        if (first < 0 || body[first] != '{') {
            return ErrorBody.NONE;
        }
        String[] fields = HttpExchange.errorFields(body, true);
        return new ErrorBody(fields[0], fields[1]);
    }

    /** Tells whether a token can follow {@code Bearer } in a header: non-empty, printable ASCII, no space. */
    static boolean isHeaderSafe(Secret token) {
        return allBytesIn(token, 0x21);
    }

    /** Tells whether a token is non-empty printable ASCII (RFC 6749 VSCHAR, which includes space). */
    static boolean isPrintable(Secret token) {
        return allBytesIn(token, 0x20);
    }

    private static boolean allBytesIn(Secret token, int low) {
        byte[] bytes = token.revealBytes();
        try {
            if (bytes.length == 0) {
                return false;
            }
            for (byte b : bytes) {
                if (b < low || b > 0x7E) {
                    return false;
                }
            }
            return true;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A number of seconds as the server wrote it, or a reason it is unusable. */
    private static final class Seconds {

        final long value;
        final String problem;

        Seconds(long value, String problem) {
            this.value = value;
            this.problem = problem;
        }
    }

    private static Seconds seconds(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger big = p.getBigIntegerValue();
                    return new Seconds(0, big.signum() < 0 ? "is negative" : "is absurdly large");
                }
                return range(p.getLongValue());
            case VALUE_STRING:
                // Some servers quote the number; digits only, and never echo what is not.
                String text = p.getText().trim();
                if (!text.isEmpty() && text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return range(Long.parseLong(text));
                }
                return new Seconds(0, "is not a number");
            case VALUE_NUMBER_FLOAT:
                return new Seconds(0, "is not a whole number of seconds");
            case VALUE_NULL:
                return null;
            default:
                p.skipChildren();
                return new Seconds(0, "is not a number");
        }
    }

    private static Seconds range(long seconds) {
        if (seconds <= 0) {
            return new Seconds(seconds, "is " + seconds + ", not a positive number of seconds");
        }
        if (seconds > TokenResponse.MAX_LIFETIME.toSeconds()) {
            return new Seconds(seconds, "is " + seconds + " s, more than a year");
        }
        return new Seconds(seconds, null);
    }

    private static int firstSignificantByte(byte[] body) {
        int i = 0;
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        for (; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A token member of a success body as it is read: the usable token, or the problem with it. */
    private static final class TokenMember {

        private final String name;
        private final Predicate<Secret> usable;
        private final String unusable;
        Secret token;
        String problem;

        TokenMember(String name, Predicate<Secret> usable, String unusable) {
            this.name = name;
            this.usable = usable;
            this.unusable = unusable;
        }

        void read(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                Secret read = Secret.of(p.getText());
                if (usable.test(read)) {
                    token = read;
                } else {
                    read.destroy();
                    problem = name + " is empty or " + unusable;
                }
            } else if (value != JsonToken.VALUE_NULL) {
                p.skipChildren();
                problem = name + " is not a string";
            }
        }
    }

    /** The fields of a success body as they are read, and the first problem among them. */
    private static final class Fields {

        final TokenMember accessToken = new TokenMember("access_token", TokenBodies::isHeaderSafe,
                "holds characters that cannot go in a header");
        String tokenType;
        boolean tokenTypeSeen;
        Seconds expiresIn;
        Seconds refreshIn;
        final TokenMember refreshToken = new TokenMember("refresh_token", TokenBodies::isPrintable,
                "holds control or non-ASCII characters");
        Set<String> scopes;

        void scope(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                scopes = Scopes.parse(p.getText());
            } else if (value == JsonToken.START_ARRAY) {
                // Not RFC 6749, but some servers send a list.
                Set<String> list = new LinkedHashSet<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_STRING && Scopes.isScopeToken(p.getText())) {
                        list.add(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
                scopes = Set.copyOf(list);
            } else {
                p.skipChildren();
            }
        }

        Problem problem(String detail) {
            return new Problem(detail, refreshToken.token);
        }

        TokenResponse build(String endpoint, Set<String> requestedScopes, Duration defaultExpiresIn) throws Problem {
            if (accessToken.problem != null) {
                throw problem(accessToken.problem);
            }
            if (accessToken.token == null) {
                throw problem("the response has no access_token");
            }
            if (!tokenTypeSeen) {
                throw problem("the response has no token_type");
            }
            if (tokenType == null || !tokenType.equalsIgnoreCase("Bearer")) {
                throw problem("token_type is " + describeType(tokenType) + ", not Bearer");
            }
            if (expiresIn == null && defaultExpiresIn != null) {
                LOG.debug("Token endpoint {} sent no expires_in; the token is taken to last {} s, as configured",
                        endpoint, defaultExpiresIn.toSeconds());
                expiresIn = new Seconds(defaultExpiresIn.toSeconds(), null);
            }
            if (expiresIn == null) {
                throw problem("the response has no expires_in");
            }
            if (expiresIn.problem != null) {
                throw problem("expires_in " + expiresIn.problem);
            }
            if (refreshToken.problem != null) {
                throw problem(refreshToken.problem);
            }
            TokenResponse.Builder b = TokenResponse.builder()
                    .accessToken(accessToken.token)
                    .expiresIn(Duration.ofSeconds(expiresIn.value))
                    .scopes(scopes != null ? scopes : requestedScopes);
            if (refreshToken.token != null) {
                b.refreshToken(refreshToken.token);
            }
            if (refreshIn != null) {
                if (refreshIn.problem == null && refreshIn.value < expiresIn.value) {
                    b.refreshIn(Duration.ofSeconds(refreshIn.value));
                } else {
                    LOG.warn("Token endpoint {} sent an unusable refresh_in ({}); it is ignored", endpoint,
                            refreshIn.problem != null ? refreshIn.problem : "not shorter than expires_in");
                }
            }
            return b.build();
        }

        private static String describeType(String type) {
            if (type == null) {
                return "not a string";
            }
            // A short word is shown; anything else could be a token put in the wrong field.
            if (type.length() <= 20 && type.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                return "\"" + type + "\"";
            }
            return "an unsupported value";
        }
    }
}
