package com.bigledger.auth.spi;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.InvalidCredentialException;
import com.bigledger.auth.Secret;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes one top-level field of a secret whose value is a JSON object, for the {@code #field} part of
 * a reference.
 *
 * <p>Parse errors never carry the value: Jackson's own messages quote input, so they are replaced by a message
 * that names only the reference. Thread-safe.
 */
public final class SecretFields {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private SecretFields() {
    }

    /**
     * Returns the field named by {@code ref} from a JSON object value, or the value itself when {@code ref} has no
     * field. A number or boolean field is returned as its JSON text.
     *
     * @param ref the reference, whose field is looked up
     * @param value the whole stored value
     * @return the field's value
     * @throws InvalidCredentialException if the value is not a JSON object, or the field is an object, an array
     *     or {@code null}
     * @throws com.bigledger.auth.CredentialNotFoundException if the object has no such field
     */
    public static Secret extract(CredentialRef ref, Secret value) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(value, "value");
        Optional<String> field = ref.field();
        if (field.isEmpty()) {
            return value;
        }
        byte[] bytes = value.revealBytes();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidCredentialException(ref, "a field was asked for, but the stored value is not "
                        + "a JSON object");
            }
            Secret found = null;
            boolean seen = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                if (name.equals(field.get())) {
                    seen = true;
                    found = scalar(ref, parser, valueToken);
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new InvalidCredentialException(ref, "the stored value is not a single JSON object");
            }
            if (!seen) {
                throw new com.bigledger.auth.CredentialNotFoundException(ref, "the stored JSON object has no field '"
                        + field.get() + "'");
            }
            return found;
        } catch (JsonProcessingException e) {
            throw new InvalidCredentialException(ref, "a field was asked for, but the stored value is not valid "
                    + "JSON (" + location(e) + ")");
        } catch (IOException e) {
            throw new InvalidCredentialException(ref, "the stored value could not be read as JSON");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Returns a JSON object value with the field named by {@code ref} set to {@code fieldValue} and every other
     * field of {@code existing} kept as it was. With no existing value, the result holds that field alone.
     *
     * @param ref the reference, whose field is set; must have a field
     * @param existing the stored value, or empty when there is none yet
     * @param fieldValue the new value of the field, stored as a JSON string
     * @return the merged JSON object
     * @throws InvalidCredentialException if the existing value is not a JSON object
     * @throws IllegalArgumentException if {@code ref} has no field
     */
    public static Secret merge(CredentialRef ref, Optional<Secret> existing, Secret fieldValue) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(existing, "existing");
        Objects.requireNonNull(fieldValue, "fieldValue");
        String field = ref.field().orElseThrow(() -> new IllegalArgumentException(
                "Reference '" + ref + "' has no field to merge"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] existingBytes = existing.map(Secret::revealBytes).orElse(null);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            if (existingBytes != null) {
                try (JsonParser parser = JSON.createParser(existingBytes)) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        throw new InvalidCredentialException(ref, "cannot set a field: the stored value is not a "
                                + "JSON object");
                    }
                    JsonToken token;
                    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        if (name.equals(field)) {
                            parser.skipChildren();
                        } else {
                            generator.writeFieldName(name);
                            // The exact copy: the plain one rewrites 1.50 as 1.5 and 1e400 as the string "Infinity".
                            generator.copyCurrentStructureExact(parser);
                        }
                    }
                    if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                        throw new InvalidCredentialException(ref, "cannot set a field: the stored value is not a "
                                + "single JSON object");
                    }
                }
            }
            generator.writeStringField(field, fieldValue.reveal());
            generator.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new InvalidCredentialException(ref, "cannot set a field: the stored value is not valid JSON ("
                    + location(e) + ")");
        } catch (IOException e) {
            throw new InvalidCredentialException(ref, "cannot set a field: the stored value could not be read");
        } finally {
            if (existingBytes != null) {
                Arrays.fill(existingBytes, (byte) 0);
            }
        }
        byte[] merged = out.toByteArray();
        try {
            return Secret.ofBytes(merged);
        } finally {
            Arrays.fill(merged, (byte) 0);
        }
    }

    private static Secret scalar(CredentialRef ref, JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return Secret.of(parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return Secret.of(parser.getText());
            default:
                parser.skipChildren();
                throw new InvalidCredentialException(ref, "field '" + ref.field().orElseThrow()
                        + "' is not a string, number or boolean");
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "unreadable" : "line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
    }
}
