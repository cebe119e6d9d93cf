package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.testing.Canary;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenRecord}: the stored form of a fleet's grant. Encoding is exact and stable (scopes sorted), decoding
 * reads it back, skips members it does not know, and refuses every malformed record with a message that names
 * the problem but never the content.
 */
class TokenRecordTest {

    private static final CredentialRef REF = CredentialRef.of("mem", "token-record-test");
    private static final Instant ISSUED = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant EXPIRES = Instant.parse("2026-01-02T04:04:05Z");
    private static final Instant UNTIL = Instant.parse("2026-01-02T03:05:00Z");

    private final String refresh = Canary.value("blg_oauth_rt_");
    private final String access = Canary.value("blg_at_");

    private static TokenRecord decode(String json) {
        return TokenRecord.decode(REF, Secret.of(json));
    }

    private String minimal(String extra) {
        return "{\"bigledger_token_record\":1,\"generation\":7,\"refresh_token\":\"" + refresh + "\"" + extra + "}";
    }

    @Test
    void fullRecordIsEncodedExactlyWithSortedScopesAndReadBack() {
        TokenRecord record = new TokenRecord(3, Secret.of(refresh), Secret.of(access), ISSUED, EXPIRES,
                Set.of("write", "read", "admin"), new TokenRecord.Lease("4242/host", UNTIL));

        String json = record.encode().reveal();

        assertThat(json).isEqualTo("{\"bigledger_token_record\":1,\"generation\":3,\"refresh_token\":\"" + refresh
                + "\",\"access_token\":\"" + access + "\",\"issued_at\":\"2026-01-02T03:04:05Z\","
                + "\"expires_at\":\"2026-01-02T04:04:05Z\",\"scopes\":[\"admin\",\"read\",\"write\"],"
                + "\"lease\":{\"holder\":\"4242/host\",\"until\":\"2026-01-02T03:05:00Z\"}}");
        TokenRecord back = decode(json);
        assertThat(back.generation).isEqualTo(3);
        assertThat(back.refreshToken.reveal()).isEqualTo(refresh);
        assertThat(back.accessToken.reveal()).isEqualTo(access);
        assertThat(back.issuedAt).isEqualTo(ISSUED);
        assertThat(back.expiresAt).isEqualTo(EXPIRES);
        assertThat(back.scopes).containsExactlyInAnyOrder("admin", "read", "write");
        assertThat(back.lease.holder).isEqualTo("4242/host");
        assertThat(back.lease.until).isEqualTo(UNTIL);
        assertThat(back.lease.heldBy("4242/host")).isTrue();
        assertThat(back.lease.heldBy("4242/other")).isFalse();
    }

    @Test
    void recordWithOnlyARefreshTokenHasNoAccessTokenScopesOrLease() {
        TokenRecord record = TokenRecord.ofRefreshToken(0, Secret.of(refresh));

        String json = record.encode().reveal();

        assertThat(json).isEqualTo("{\"bigledger_token_record\":1,\"generation\":0,\"refresh_token\":\"" + refresh
                + "\"}");
        TokenRecord back = decode(json);
        assertThat(back.generation).isZero();
        assertThat(back.accessToken).isNull();
        assertThat(back.issuedAt).isNull();
        assertThat(back.expiresAt).isNull();
        assertThat(back.scopes).isEmpty();
        assertThat(back.lease).isNull();
    }

    @Test
    void withLeaseKeepsEverythingElse() {
        TokenRecord record = new TokenRecord(9, Secret.of(refresh), Secret.of(access), ISSUED, EXPIRES,
                Set.of("read"), null);

        TokenRecord leased = record.withLease(new TokenRecord.Lease("1/a", UNTIL));

        assertThat(leased.generation).isEqualTo(9);
        assertThat(leased.refreshToken).isSameAs(record.refreshToken);
        assertThat(leased.accessToken).isSameAs(record.accessToken);
        assertThat(leased.issuedAt).isEqualTo(ISSUED);
        assertThat(leased.expiresAt).isEqualTo(EXPIRES);
        assertThat(leased.scopes).containsExactly("read");
        assertThat(leased.lease.holder).isEqualTo("1/a");
        assertThat(record.lease).isNull();
    }

    @Test
    void accessTokenWithoutItsInstantsIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> new TokenRecord(1, Secret.of(refresh), Secret.of(access), ISSUED, null, Set.of(),
                null)).isInstanceOf(IllegalArgumentException.class).hasMessage("an access token needs its instants");
        assertThatThrownBy(() -> new TokenRecord(1, Secret.of(refresh), Secret.of(access), null, EXPIRES, Set.of(),
                null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownMembersAnywhereAreSkippedAndANullLeaseIsNoLease() {
        TokenRecord back = decode(minimal(",\"future\":{\"nested\":[1,{\"deep\":true}]},\"lease\":null,"
                + "\"scopes\":[\"b\",\"a\"],\"note\":\"x\""));

        assertThat(back.generation).isEqualTo(7);
        assertThat(back.refreshToken.reveal()).isEqualTo(refresh);
        assertThat(back.scopes).containsExactlyInAnyOrder("a", "b");
        assertThat(back.lease).isNull();

        TokenRecord leased = decode(minimal(",\"lease\":{\"extra\":[1,2],\"holder\":\"h\",\"until\":"
                + "\"2026-01-02T03:05:00Z\",\"more\":{}}"));
        assertThat(leased.lease.holder).isEqualTo("h");
        assertThat(leased.lease.until).isEqualTo(UNTIL);
    }

    private void assertRefused(String json, String why) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("the token record cannot be used: " + why + "; it was changed by hand");
    }

    @Test
    void malformedRecordsAreRefusedWithTheReason() {
        assertRefused("[1]", "it is not a JSON object");
        assertRefused("{\"generation\":1,\"refresh_token\":\"" + refresh + "\"}",
                "'bigledger_token_record' is missing: it is not a token record");
        assertRefused("{\"bigledger_token_record\":2,\"generation\":1,\"refresh_token\":\"" + refresh + "\"}",
                "its version 2 is not known to this library (it reads version 1)");
        assertRefused("{\"bigledger_token_record\":1,\"refresh_token\":\"" + refresh + "\"}",
                "'generation' is missing or negative");
        assertRefused("{\"bigledger_token_record\":1,\"generation\":-1,\"refresh_token\":\"" + refresh + "\"}",
                "'generation' is missing or negative");
        assertRefused("{\"bigledger_token_record\":1,\"generation\":1}",
                "'refresh_token' is missing, empty or holds white space");
        assertRefused("{\"bigledger_token_record\":1,\"generation\":1,\"refresh_token\":\"a b\"}",
                "'refresh_token' is missing, empty or holds white space");
        assertRefused(minimal(",\"access_token\":\"" + access + "\",\"issued_at\":\"2026-01-02T03:04:05Z\""),
                "'access_token' comes without 'issued_at' and 'expires_at'");
        assertRefused(minimal(",\"access_token\":\"" + access + "\",\"expires_at\":\"2026-01-02T03:04:05Z\""),
                "'access_token' comes without 'issued_at' and 'expires_at'");
        assertRefused(minimal(",\"access_token\":\"" + access + "\",\"issued_at\":\"2026-01-02T03:04:05Z\","
                + "\"expires_at\":\"2026-01-02T03:04:05Z\""), "'expires_at' is not after 'issued_at'");
        assertRefused(minimal(",\"scopes\":\"read\""), "'scopes' is not an array");
        assertRefused(minimal(",\"scopes\":[1]"), "'scopes' is not a string");
        assertRefused(minimal(",\"lease\":[]"), "'lease' is not an object");
        assertRefused(minimal(",\"lease\":{\"holder\":\"h\"}"), "'lease' needs 'holder' and 'until'");
        assertRefused(minimal(",\"lease\":{\"until\":\"2026-01-02T03:05:00Z\"}"),
                "'lease' needs 'holder' and 'until'");
        assertRefused(minimal(",\"lease\":{\"holder\":\"h\",\"until\":\"soon\"}"),
                "'lease.until' is not an ISO-8601 instant");
        assertRefused(minimal(",\"issued_at\":\"yesterday\""), "'issued_at' is not an ISO-8601 instant");
        assertRefused("{\"bigledger_token_record\":\"1\",\"generation\":1,\"refresh_token\":\"" + refresh + "\"}",
                "'bigledger_token_record' is not a whole number");
        assertRefused("{\"bigledger_token_record\":1,\"generation\":1.5,\"refresh_token\":\"" + refresh + "\"}",
                "'generation' is not a whole number");
        assertRefused("{\"bigledger_token_record\":1,\"generation\":1,\"refresh_token\":7}",
                "'refresh_token' is not a string");
        assertRefused(minimal("") + "{}", "it is not one JSON object");
        assertRefused("{\"bigledger_token_record\":1,", "it is not valid JSON (near line 1, column 29)");
    }

    @Test
    void invalidJsonIsReportedByPositionWithoutQuotingTheContent() {
        String json = "{\"bigledger_token_record\":1,\"refresh_token\":" + refresh + "}";

        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("it is not valid JSON (near line 1, column ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(refresh));
    }

    @Test
    void toStringShowsGenerationExpiryAndLeaseButNoToken() {
        TokenRecord full = new TokenRecord(4, Secret.of(refresh), Secret.of(access), ISSUED, EXPIRES, Set.of(),
                new TokenRecord.Lease("1/h", UNTIL));

        assertThat(full.toString()).isEqualTo("TokenRecord[generation=4, expiresAt=2026-01-02T04:04:05Z, "
                + "lease=1/h until 2026-01-02T03:05:00Z]");
        assertThat(TokenRecord.ofRefreshToken(5, Secret.of(refresh)).toString())
                .isEqualTo("TokenRecord[generation=5]");
    }
}
