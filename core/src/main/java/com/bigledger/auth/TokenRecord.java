package com.bigledger.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The token record a fleet of {@link TokenManager}s shares in one secret: the grant's refresh token, the last access
 * token with its instants and scopes, a generation number and a lease.
 *
 * <p>Encoding, version 1: one JSON object, UTF-8,
 * <pre>{@code
 * {"bigledger_token_record": 1,            // the encoding's version; required
 *  "generation": 7,                         // +1 on every new refresh token; required, >= 0
 *  "refresh_token": "...",                  // required
 *  "access_token": "...",                   // optional, with the three below
 *  "issued_at": "2026-12-05T09:00:00Z",     // ISO-8601 instants, UTC
 *  "expires_at": "2026-12-05T10:00:00Z",
 *  "scopes": ["read:accounts"],
 *  "lease": {"holder": "4242@host/9f0c", "until": "2026-12-05T09:55:30Z"}}   // optional
 * }</pre>
 * Unknown members are ignored, so that a later version 1 writer may add some; a higher version is refused. A
 * record that does not decode gives a {@link CredentialException} of kind {@link CredentialException.Kind#INVALID}
 * that names the reference and what is wrong, never the content.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows no token.
 */
final class TokenRecord {

    static final int FORMAT = 1;
    static final String FORMAT_MEMBER = "bigledger_token_record";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Who holds the lease and until when. */
    static final class Lease {
        final String holder;
        final Instant until;

        Lease(String holder, Instant until) {
            this.holder = Objects.requireNonNull(holder, "holder");
            this.until = Objects.requireNonNull(until, "until");
        }

        boolean heldBy(String id) {
            return holder.equals(id);
        }
    }

    final long generation;
    final Secret refreshToken;
    /** The shared access token, or {@code null} when none is stored. */
    final Secret accessToken;
    final Instant issuedAt;
    final Instant expiresAt;
    final Set<String> scopes;
    /** The lease, or {@code null} when none is held. */
    final Lease lease;

    TokenRecord(long generation, Secret refreshToken, Secret accessToken, Instant issuedAt, Instant expiresAt,
            Set<String> scopes, Lease lease) {
        this.generation = generation;
        this.refreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
        this.accessToken = accessToken;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        this.lease = lease;
        if (accessToken != null && (issuedAt == null || expiresAt == null)) {
            throw new IllegalArgumentException("an access token needs its instants");
        }
    }

    /**
     * Writes a record holding only {@code refreshToken}, as the generation after the stored one (or 1), for
     * {@link TokenManager#storeRefreshToken}: compare-and-set, read again on a conflict.
     *
     * @param vault the vault that writes the store
     * @param record where the token record lives
     * @param refreshToken the refresh token
     * @param maxRereads how many conflicts are read again before giving up
     * @return the generation written
     * @throws CredentialException if the store cannot be read or written, holds something that is not a token
     *     record, or the record kept changing
     */
    static long storeRefreshToken(CredentialVault vault, CredentialRef record, Secret refreshToken, int maxRereads) {
        for (int attempt = 0; attempt <= maxRereads; attempt++) {
            long generation = 0;
            Optional<String> version = Optional.empty();
            try {
                VersionedSecret stored = vault.read(record);
                generation = decode(record, stored.secret()).generation;
                version = stored.version();
            } catch (CredentialNotFoundException e) {
                // None yet: create it.
            }
            long next = generation + 1;
            WriteResult result = vault.write(record, ofRefreshToken(next, refreshToken).encode(), version);
            if (result.isWritten()) {
                return next;
            }
        }
        throw new SourceUnavailableException(record, "the token record kept changing while it was written", null);
    }

    /** A record holding only a refresh token. */
    static TokenRecord ofRefreshToken(long generation, Secret refreshToken) {
        return new TokenRecord(generation, refreshToken, null, null, null, Set.of(), null);
    }

    TokenRecord withLease(Lease newLease) {
        return new TokenRecord(generation, refreshToken, accessToken, issuedAt, expiresAt, scopes, newLease);
    }

    /** Encodes the record; the caller destroys the result once written. */
    Secret encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField(FORMAT_MEMBER, FORMAT);
            g.writeNumberField("generation", generation);
            g.writeStringField("refresh_token", refreshToken.reveal());
            if (accessToken != null) {
                g.writeStringField("access_token", accessToken.reveal());
                g.writeStringField("issued_at", issuedAt.toString());
                g.writeStringField("expires_at", expiresAt.toString());
                g.writeArrayFieldStart("scopes");
                for (String scope : new TreeSet<>(scopes)) {
                    g.writeString(scope);
                }
                g.writeEndArray();
            }
            if (lease != null) {
                g.writeObjectFieldStart("lease");
                g.writeStringField("holder", lease.holder);
                g.writeStringField("until", lease.until.toString());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("encoding a token record in memory failed", e);
        }
        byte[] bytes = out.toByteArray();
        try {
            return Secret.ofBytes(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Decodes a record.
     *
     * @throws CredentialException of kind {@link CredentialException.Kind#INVALID} if the value is not a token record
     *     of a known version; the message names {@code ref} and the problem, never the value
     */
    static TokenRecord decode(CredentialRef ref, Secret value) {
        byte[] bytes = value.revealBytes();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(ref, "it is not a JSON object");
            }
            Long format = null;
            Long generation = null;
            Secret refresh = null;
            Secret access = null;
            Instant issued = null;
            Instant expires = null;
            Set<String> scopes = new TreeSet<>();
            Lease lease = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken token = p.nextToken();
                switch (member) {
                    case FORMAT_MEMBER:
                        format = number(ref, p, token, member);
                        break;
                    case "generation":
                        generation = number(ref, p, token, member);
                        break;
                    case "refresh_token":
                        refresh = Secret.of(text(ref, p, token, member));
                        break;
                    case "access_token":
                        access = Secret.of(text(ref, p, token, member));
                        break;
                    case "issued_at":
                        issued = instant(ref, text(ref, p, token, member), member);
                        break;
                    case "expires_at":
                        expires = instant(ref, text(ref, p, token, member), member);
                        break;
                    case "scopes":
                        if (token != JsonToken.START_ARRAY) {
                            throw invalid(ref, "'scopes' is not an array");
                        }
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            scopes.add(text(ref, p, p.currentToken(), "scopes"));
                        }
                        break;
                    case "lease":
                        lease = lease(ref, p, token);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw invalid(ref, "it is not one JSON object");
            }
            if (format == null) {
                throw invalid(ref, "'" + FORMAT_MEMBER + "' is missing: it is not a token record");
            }
            if (format != FORMAT) {
                throw invalid(ref, "its version " + format + " is not known to this library (it reads version "
                        + FORMAT + ")");
            }
            if (generation == null || generation < 0) {
                throw invalid(ref, "'generation' is missing or negative");
            }
            if (refresh == null || refresh.isBlankOrHasWhitespace()) {
                throw invalid(ref, "'refresh_token' is missing, empty or holds white space");
            }
            if (access != null && (issued == null || expires == null)) {
                throw invalid(ref, "'access_token' comes without 'issued_at' and 'expires_at'");
            }
            if (access != null && !expires.isAfter(issued)) {
                throw invalid(ref, "'expires_at' is not after 'issued_at'");
            }
            return new TokenRecord(generation, refresh, access, issued, expires, scopes, lease);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the content: only the position goes out.
            throw invalid(ref, "it is not valid JSON (near line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw invalid(ref, "it cannot be read as JSON (" + e.getClass().getName() + ")");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Lease lease(CredentialRef ref, JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw invalid(ref, "'lease' is not an object");
        }
        String holder = null;
        Instant until = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken value = p.nextToken();
            if (member.equals("holder")) {
                holder = text(ref, p, value, "lease.holder");
            } else if (member.equals("until")) {
                until = instant(ref, text(ref, p, value, "lease.until"), "lease.until");
            } else {
                p.skipChildren();
            }
        }
        if (holder == null || until == null) {
            throw invalid(ref, "'lease' needs 'holder' and 'until'");
        }
        return new Lease(holder, until);
    }

    private static long number(CredentialRef ref, JsonParser p, JsonToken token, String member) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw invalid(ref, "'" + member + "' is not a whole number");
        }
        return p.getLongValue();
    }

    private static String text(CredentialRef ref, JsonParser p, JsonToken token, String member) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw invalid(ref, "'" + member + "' is not a string");
        }
        return p.getText();
    }

    private static Instant instant(CredentialRef ref, String text, String member) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw invalid(ref, "'" + member + "' is not an ISO-8601 instant");
        }
    }

    private static CredentialException invalid(CredentialRef ref, String why) {
        return new CredentialException(CredentialException.Kind.INVALID, ref, "the token record cannot be used: " + why
                + "; it was changed by hand or by another program. Store a new one with 'bigledger-auth login' or "
                + "TokenManager.storeRefreshToken(...)", null);
    }

    @Override
    public String toString() {
        return "TokenRecord[generation=" + generation + (accessToken == null ? "" : ", expiresAt=" + expiresAt)
                + (lease == null ? "" : ", lease=" + lease.holder + " until " + lease.until) + "]";
    }
}
