package com.bigledger.auth.micrometer;

import com.bigledger.auth.CredentialAccessDeniedException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.InvalidCredentialException;
import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.NoSuchSourceException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.TokenRefreshException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;

/** Maps failures to the small, fixed set of {@code kind} tag values: never a message, which could grow unbounded. */
final class FailureKinds {

    private FailureKinds() {
    }

    /** The kind of a failed token refresh. */
    static String ofRefresh(RuntimeException failure) {
        if (failure instanceof ReauthenticationRequiredException) {
            return "reauthentication_required";
        }
        if (failure instanceof InvalidTokenResponseException) {
            return "invalid_response";
        }
        if (failure instanceof TokenRefreshException) {
            TokenRefreshException e = (TokenRefreshException) failure;
            if (e.httpStatus().isPresent()) {
                int status = e.httpStatus().getAsInt();
                return status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "client_error";
            }
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof HttpTimeoutException) {
                    return "timeout";
                }
                if (cause instanceof IOException) {
                    return "io";
                }
            }
            return "no_response";
        }
        if (failure instanceof CredentialException) {
            return "store";
        }
        return "other";
    }

    /** The kind of a failed load from a store. */
    static String ofLoad(CredentialException failure) {
        if (failure instanceof NoSuchSourceException) {
            return "no_source";
        }
        if (failure instanceof CredentialNotFoundException) {
            return "not_found";
        }
        if (failure instanceof CredentialAccessDeniedException) {
            return "access_denied";
        }
        if (failure instanceof SourceUnavailableException) {
            return "unavailable";
        }
        if (failure instanceof InvalidCredentialException) {
            return "invalid";
        }
        return "other";
    }
}
