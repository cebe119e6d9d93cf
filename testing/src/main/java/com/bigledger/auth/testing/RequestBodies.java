package com.bigledger.auth.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link FakeTokenEndpoint.RecordedRequest} reads its body: the parameters of a form or a flat JSON object,
 * the values of a parameter that may repeat, and the credentials of a Basic {@code Authorization} header. A body
 * that does not parse fails with an {@link AssertionError} that never quotes it, since it holds secrets.
 */
final class RequestBodies {

    private static final JsonFactory JSON = new JsonFactory();

    private RequestBodies() {
    }

    /** The body's parameters in order, by its content type; see {@link FakeTokenEndpoint.RecordedRequest#params()}. */
    static Map<String, String> params(String type, String body) {
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return form(body);
        }
        if (type.startsWith("application/json")) {
            return json(body);
        }
        throw new AssertionError("Not a form or JSON body: Content-Type " + type);
    }

    /** Every value of one parameter; see {@link FakeTokenEndpoint.RecordedRequest#values(String)}. */
    static List<String> values(String type, String body, String name) {
        List<String> out = new ArrayList<>();
        if (type.startsWith("application/x-www-form-urlencoded")) {
            for (Map.Entry<String, String> pair : FakeApiText.pairs(body)) {
                if (pair.getKey().equals(name)) {
                    out.add(pair.getValue());
                }
            }
            return List.copyOf(out);
        }
        if (!type.startsWith("application/json")) {
            throw new AssertionError("Not a form or JSON body: Content-Type " + type);
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("The JSON body is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = p.currentName().equals(name);
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (wanted) {
                            out.add(p.getText());
                        }
                    }
                } else if (value.isStructStart()) {
                    p.skipChildren();
                } else if (wanted) {
                    out.add(p.getText());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("The JSON body does not parse (" + e.getClass().getSimpleName() + ")");
        }
        return List.copyOf(out);
    }

    /** The form-decoded id and secret of a Basic {@code Authorization} header value, or empty for any other. */
    static Optional<List<String>> basicCredentials(Optional<String> authorization) {
        if (authorization.isEmpty() || !authorization.get().startsWith("Basic ")) {
            return Optional.empty();
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.get().substring(6)),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new AssertionError("Basic credentials without a colon");
        }
        return Optional.of(List.of(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, String> pair : FakeApiText.pairs(body)) {
            if (out.put(pair.getKey(), pair.getValue()) != null) {
                throw new AssertionError("Form parameter repeated: " + pair.getKey());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> json(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("The JSON body is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value.isStructStart()) {
                    throw new AssertionError("The JSON body is not flat: " + name);
                }
                if (out.put(name, p.getText()) != null) {
                    throw new AssertionError("JSON field repeated: " + name);
                }
            }
            if (p.nextToken() != null) {
                throw new AssertionError("Content after the JSON object");
            }
        } catch (IOException e) {
            // Not chained: Jackson's message quotes the body, which holds secrets.
            throw new AssertionError("The JSON body does not parse (" + e.getClass().getSimpleName() + ")");
        }
        return Collections.unmodifiableMap(out);
    }
}
