package com.bigledger.auth.cli;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.store.file.FileCredentialSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The token record in a test's secrets file, where {@code login} puts it and {@code token} reads it by default. */
final class TokenRecords {

    /** The default record's reference, spelled out: the documented interface. */
    static final CredentialRef DEFAULT = CredentialRef.parse("file:bigledger/token_record");

    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]*)\"");

    private TokenRecords() {
    }

    /** Stores a refresh token as the next generation of the default record, as {@code login} does. */
    static void store(FileCredentialSource file, String refreshToken) {
        try (CredentialVault vault = CredentialVault.builder().source(file).build()) {
            TokenManager.storeRefreshToken(vault, DEFAULT, Secret.of(refreshToken));
        }
    }

    /** The refresh token the default record holds. */
    static String refreshToken(FileCredentialSource file) {
        Matcher matcher = REFRESH_TOKEN.matcher(file.load(DEFAULT).secret().reveal());
        if (!matcher.find()) {
            throw new AssertionError("the token record at " + DEFAULT + " holds no refresh token");
        }
        return matcher.group(1);
    }
}
