package com.bigledger.auth.bigledger;

import com.bigledger.auth.internal.HttpExchange;
import com.bigledger.auth.internal.ServerText;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads BigLedger API bodies with Jackson's streaming parser: the error envelope and the verify response.
 *
 * <p>Jackson's exception messages quote the input, which may hold a credential the server echoed: they are never
 * passed on, as message or as cause. Stateless and thread-safe.
 */
final class ApiBodies {

    private static final JsonFactory JSON = HttpExchange.JSON;

    private ApiBodies() {
    }

    /** The code and message of an error envelope; the message may be {@code null}. */
    record Envelope(String code, String message) {
    }

    /** A success body that is not the documented shape; the detail never quotes the body. */
    static final class Problem extends Exception {

        private static final long serialVersionUID = 1L;

        Problem(String detail) {
            super(detail, null, false, false);
        }
    }

    /**
     * Reads the error envelope {@code {"success":false,"error":{"code":…,"message":…}}}. Never fails.
     *
     * @return the envelope, or {@code null} when the body is not one (no {@code error} object with a string
     *     {@code code})
     */
    static Envelope parseError(byte[] body) {
        String[] fields = HttpExchange.errorFields(body, false);
        return fields[0] == null || fields[0].isBlank() ? null : new Envelope(fields[0], fields[1]);
    }

    /**
     * Reads the verify response: {@code {"success":true,"data":{"authenticated":…,"company":{"id","name","plan"},
     * "permissions":[…]}}}. Unknown fields are skipped.
     *
     * @throws Problem if the body is not that shape
     */
    static VerifyResult parseVerify(byte[] body) throws Problem {
        Boolean success = null;
        Data data = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Problem("the response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("success")) {
                    success = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    p.skipChildren();
                } else if (name.equals("data") && value == JsonToken.START_OBJECT) {
                    data = data(p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new Problem("the response has content after its JSON object");
            }
        } catch (Problem e) {
            throw e;
        } catch (IOException e) {
            throw new Problem("the response is not valid JSON");
        }
        if (Boolean.FALSE.equals(success)) {
            throw new Problem("the response says success is false");
        }
        if (data == null) {
            throw new Problem("the response has no data object");
        }
        if (data.authenticated == null) {
            throw new Problem("the response has no data.authenticated");
        }
        return new VerifyResult(data.authenticated, data.company, data.permissions);
    }

    /** The fields of {@code data} as they are read. */
    private static final class Data {
        Boolean authenticated;
        VerifyResult.Company company;
        final List<String> permissions = new ArrayList<>();
    }

    private static Data data(JsonParser p) throws IOException, Problem {
        Data data = new Data();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "authenticated":
                    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                        throw new Problem("data.authenticated is not true or false");
                    }
                    data.authenticated = value == JsonToken.VALUE_TRUE;
                    break;
                case "company":
                    if (value == JsonToken.START_OBJECT) {
                        data.company = company(p);
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new Problem("data.company is not an object");
                    }
                    break;
                case "permissions":
                    if (value != JsonToken.START_ARRAY) {
                        throw new Problem("data.permissions is not a list");
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            throw new Problem("data.permissions holds something other than text");
                        }
                        String permission = ServerText.code(p.getText());
                        if (permission != null) {
                            data.permissions.add(permission);
                        }
                    }
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
        return data;
    }

    private static VerifyResult.Company company(JsonParser p) throws IOException, Problem {
        String id = null;
        String name = null;
        String plan = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && field.equals("id")) {
                id = ServerText.code(p.getText());
            } else if (value == JsonToken.VALUE_STRING && field.equals("name")) {
                name = ServerText.description(p.getText());
            } else if (value == JsonToken.VALUE_STRING && field.equals("plan")) {
                plan = ServerText.code(p.getText());
            } else {
                p.skipChildren();
            }
        }
        if (id == null) {
            throw new Problem("data.company has no id");
        }
        return new VerifyResult.Company(id, Optional.ofNullable(name), Optional.ofNullable(plan));
    }
}
