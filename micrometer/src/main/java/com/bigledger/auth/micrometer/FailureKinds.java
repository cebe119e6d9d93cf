package com.bigledger.auth.micrometer;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.ReauthenticationRequiredException;
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

    /**
     * The kind of a failed load from a store, from the failure's {@link CredentialException#kind()}: a configuration
     * problem is {@code no_source} when the vault has no source for the reference's scheme, else {@code other}.
     *
     * @param failure the failure
     * @param schemeServed whether the vault has a source for the scheme of the reference that failed
     */
    static String ofLoad(CredentialException failure, boolean schemeServed) {
        switch (failure.kind()) {
            case NOT_FOUND:
                return "not_found";
            case UNAVAILABLE:
                return "unavailable";
            case ACCESS_DENIED:
                return "access_denied";
            case INVALID:
                return "invalid";
            case CONFIGURATION:
                return schemeServed ? "other" : "no_source";
            default:
                return "other";
        }
    }
}
