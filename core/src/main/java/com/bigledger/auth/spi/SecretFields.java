package com.bigledger.auth.spi;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
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
 * a reference: {@link #extract} for a load, {@link #merge} for the JSON merge, and {@link #write} for a whole
 * {@code #field} write, the read-merge-compare-and-set loop that a store gives only a plain read and a
 * compare-and-set write of a whole value ({@link Store}).
 *
 * <p>Parse errors never carry the value: Jackson's own messages quote input, so they are replaced by a message
 * that names only the reference. Thread-safe.
 */
public final class SecretFields {

    /**
     * How many times a field write without an expected version reads, merges and writes before it answers the last
     * conflict: another writer that got in between a read and its write makes it merge into that writer's value.
     */
    public static final int MERGE_ATTEMPTS = 3;

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
     * @throws CredentialException of kind {@link CredentialException.Kind#INVALID} if the value is not a JSON object,
     *     or the field is an object, an array or {@code null}
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
                throw invalid(ref, "a field was asked for, but the stored value is not "
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
                throw invalid(ref, "the stored value is not a single JSON object");
            }
            if (!seen) {
                throw new CredentialNotFoundException(ref, "the stored JSON object has no field '"
                        + field.get() + "'");
            }
            return found;
        } catch (JsonProcessingException e) {
            throw invalid(ref, "a field was asked for, but the stored value is not valid "
                    + "JSON (" + location(e) + ")");
        } catch (IOException e) {
            throw invalid(ref, "the stored value could not be read as JSON");
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
     * @throws CredentialException of kind {@link CredentialException.Kind#INVALID} if the existing value is not a
     *     JSON object
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
                        throw invalid(ref, "cannot set a field: the stored value is not a "
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
                        throw invalid(ref, "cannot set a field: the stored value is not a "
                                + "single JSON object");
                    }
                }
            }
            generator.writeStringField(field, fieldValue.reveal());
            generator.writeEndObject();
        } catch (JsonProcessingException e) {
            throw invalid(ref, "cannot set a field: the stored value is not valid JSON ("
                    + location(e) + ")");
        } catch (IOException e) {
            throw invalid(ref, "cannot set a field: the stored value could not be read");
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

    /**
     * Writes the field named by {@code ref} and keeps the secret's other fields: reads the whole value, merges the
     * field into it ({@link #merge}) and writes the result with compare-and-set against the version read.
     *
     * <ul>
     *   <li>With an expected version: one attempt. A stored version other than the expected one answers
     *       {@link WriteResult#conflict} with the stored version, and nothing is written.
     *   <li>Without: up to {@value #MERGE_ATTEMPTS} attempts, each merging into the value another writer stored
     *       meanwhile; the last conflict is answered when all conflict.
     * </ul>
     *
     * @param ref where to write; must have a field
     * @param fieldValue the new value of the field
     * @param expectedVersion the version the caller last read; empty to write whatever is stored
     * @param store the store's plain read and compare-and-set write
     * @return {@link WriteResult#written} with the new version, or {@link WriteResult#conflict}
     * @throws IllegalArgumentException if {@code ref} has no field
     * @throws CredentialNotFoundException if a version is expected but nothing is stored, in a store that gives
     *     absence no version ({@link Store#absentVersion()})
     * @throws CredentialException of kind {@link CredentialException.Kind#INVALID} if the stored value is not a JSON
     *     object; any other, as the store's read or write throws it
     */
    public static WriteResult write(CredentialRef ref, Secret fieldValue, Optional<String> expectedVersion,
            Store store) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(fieldValue, "fieldValue");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        Objects.requireNonNull(store, "store");
        if (ref.field().isEmpty()) {
            throw new IllegalArgumentException("Reference '" + ref + "' has no field to write");
        }
        WriteResult result = null;
        int attempts = expectedVersion.isPresent() ? 1 : MERGE_ATTEMPTS;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Optional<VersionedSecret> current = store.read(ref);
            try {
                Optional<String> currentVersion = current.isPresent() ? current.get().version()
                        : store.absentVersion();
                if (expectedVersion.isPresent() && current.isEmpty() && currentVersion.isEmpty()) {
                    throw new CredentialNotFoundException(ref, "there is no such secret; the write expected version "
                            + expectedVersion.get());
                }
                if (expectedVersion.isPresent() && !expectedVersion.equals(currentVersion)) {
                    return WriteResult.conflict(currentVersion.orElse(null));
                }
                Secret merged = merge(ref, current.map(VersionedSecret::secret), fieldValue);
                try {
                    result = store.compareAndSet(ref, merged, fieldValue, currentVersion);
                } finally {
                    merged.destroy();
                }
            } finally {
                current.ifPresent(read -> read.secret().destroy());
            }
            if (result.isWritten()) {
                return result;
            }
        }
        return result;
    }

    /**
     * What a store gives {@link SecretFields#write}: a plain read and a compare-and-set write of a whole value. The
     * store keeps its own mechanism (a check-and-set parameter, a staging label, a lock), its own errors and its own
     * answers to lost replies; the loop, the merge and the conflict handling are the library's.
     */
    public interface Store {

        /**
         * Reads the whole value stored at the reference, ignoring its field, with its version.
         *
         * @param ref the reference being written
         * @return the stored value, or empty when nothing is stored there
         * @throws com.bigledger.auth.CredentialException or a subtype, when the store cannot be read
         */
        Optional<VersionedSecret> read(CredentialRef ref);

        /**
         * Writes a whole value, only if the stored version is still {@code expectedVersion}.
         *
         * @param ref the reference being written, with its field
         * @param value the whole value to store: the merged JSON object
         * @param fieldValue the field's new value alone, which a store may use to recognise its own write later
         * @param expectedVersion the version read; empty when nothing was stored, to create the secret only if it
         *     still does not exist
         * @return {@link WriteResult#written} with the new version, or {@link WriteResult#conflict} when another
         *     writer changed the secret first
         * @throws com.bigledger.auth.CredentialException or a subtype, when the write fails for another reason
         */
        WriteResult compareAndSet(CredentialRef ref, Secret value, Secret fieldValue, Optional<String> expectedVersion);

        /**
         * Returns the version that stands for "nothing stored", for a store whose versions count from it (KV
         * version 2's {@code 0}): a caller may expect it to create the secret. By default, none: expecting a
         * version of a secret that does not exist fails.
         *
         * @return the version of absence, or empty
         */
        default Optional<String> absentVersion() {
            return Optional.empty();
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
                throw invalid(ref, "field '" + ref.field().orElseThrow()
                        + "' is not a string, number or boolean");
        }
    }

    /** A value that cannot be used as the reference asks: {@link CredentialException.Kind#INVALID}. */
    private static CredentialException invalid(CredentialRef ref, String detail) {
        return new CredentialException(CredentialException.Kind.INVALID, ref, detail, null);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "unreadable" : "line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
    }
}
