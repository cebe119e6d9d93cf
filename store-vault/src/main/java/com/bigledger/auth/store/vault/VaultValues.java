package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.json.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a Vault secret's data (a JSON object of fields) maps to a {@link Secret} and back.
 *
 * <ul>
 *   <li>{@code #field} is the field of that name: a string as it is, a number or boolean as its JSON text.
 *   <li>Without a field, the value is the data as a JSON object, except for data holding the one string field
 *       {@code value} (what {@code vault kv put secret/app value=…} writes): that is the plain value.
 *   <li>A whole-value write stores a JSON object as the data, and any other text as {@code {"value": text}}; a
 *       field write sets that field in the data as a JSON object and keeps the others.
 * </ul>
 *
 * Messages name the reference and field, never a value: the driver's JSON exceptions quote values, so none is let
 * through. Stateless.
 */
final class VaultValues {

    /** The field that holds a plain value. */
    static final String VALUE_FIELD = "value";

    private VaultValues() {
    }

    /** The value a reference asks for, from a secret's data. */
    static Secret read(CredentialRef ref, JsonObject data) {
        if (ref.field().isEmpty()) {
            if (isPlain(data)) {
                return Secret.of(data.get(VALUE_FIELD).asString());
            }
            return Secret.of(data.toString());
        }
        String field = ref.field().get();
        JsonValue value = data.get(field);
        if (value == null) {
            if (isPlain(data)) {
                throw invalid(ref, "a field was asked for, but the stored value is a plain "
                        + "value (the single field '" + VALUE_FIELD + "'), not a JSON object of fields");
            }
            throw new CredentialNotFoundException(ref, "the secret has no field '" + field + "'");
        }
        if (value.isString()) {
            return Secret.of(value.asString());
        }
        if (value.isNumber() || value.isBoolean()) {
            return Secret.of(value.toString());
        }
        throw invalid(ref, "field '" + field + "' is not a string, number or boolean");
    }

    /** The data a whole-value write stores. */
    static Map<String, Object> whole(CredentialRef ref, Secret value) {
        String text = text(ref, value);
        Map<String, Object> data = new LinkedHashMap<>();
        JsonObject parsed = null;
        if (text.startsWith("{")) {
            try {
                JsonValue json = Json.parse(text);
                parsed = json.isObject() ? json.asObject() : null;
            } catch (ParseException e) {
                parsed = null;
            }
        }
        if (parsed == null) {
            data.put(VALUE_FIELD, text);
        } else {
            for (JsonObject.Member member : parsed) {
                data.put(member.getName(), member.getValue());
            }
        }
        return data;
    }

    /**
     * A secret's data as a JSON object, for the library's field merge ({@link com.bigledger.auth.spi.SecretFields});
     * no data is an empty object.
     */
    static Secret data(JsonObject data) {
        return Secret.of(data == null ? "{}" : data.toString());
    }

    private static boolean isPlain(JsonObject data) {
        return data.size() == 1 && data.get(VALUE_FIELD) != null && data.get(VALUE_FIELD).isString();
    }

    /** A value that cannot be used as the reference asks: {@link CredentialException.Kind#INVALID}. */
    private static CredentialException invalid(CredentialRef ref, String detail) {
        return new CredentialException(CredentialException.Kind.INVALID, ref, detail, null);
    }

    private static String text(CredentialRef ref, Secret value) {
        try {
            return value.reveal();
        } catch (IllegalStateException e) {
            throw invalid(ref, "Vault KV stores text, and the value is binary or destroyed");
        }
    }
}
