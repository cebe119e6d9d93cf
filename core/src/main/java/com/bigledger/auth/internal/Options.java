package com.bigledger.auth.internal;

import com.bigledger.auth.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/** Checks shared by the library's builders, so that every builder words the same mistake the same way. */
public final class Options {

    private Options() {
    }

    /**
     * Returns {@code value} if it is positive.
     *
     * @param owner the type being built, such as {@code TokenManager}
     * @param option the option's name
     * @param value the value given
     * @return the value
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     * @throws IllegalArgumentException if it is zero or negative; the message names the type, option and value
     */
    public static Duration positive(String owner, String option, Duration value) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(owner + " option '" + option + "' must be positive: " + value);
        }
        return value;
    }

    /**
     * Returns a {@code User-Agent} value if it is printable ASCII and not blank.
     *
     * @param userAgent the value given
     * @return the value, as given
     * @throws NullPointerException if {@code userAgent} is {@code null}
     * @throws IllegalArgumentException if it is blank or not printable ASCII
     */
    public static String userAgent(String userAgent) {
        Objects.requireNonNull(userAgent, "userAgent");
        if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII and not blank");
        }
        return userAgent;
    }

    /**
     * Copies a secret, so that the caller may destroy its own (after a rotation, say) while the copy lives on.
     *
     * @param secret the secret
     * @return a new secret with the same value
     * @throws NullPointerException if {@code secret} is {@code null}
     * @throws IllegalStateException if {@code secret} was destroyed
     */
    public static Secret copy(Secret secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.revealBytes();
        try {
            return Secret.ofBytes(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Makes the failure of a builder option set a second time.
     *
     * @param current the value the option already has; an endpoint is shown without user info, query or fragment
     * @param option the option's name
     * @return the exception to throw, naming the option and its value
     */
    public static IllegalStateException alreadySet(Object current, String option) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(option, "option");
        return new IllegalStateException(option + " is already set (to " + shown(current) + "); each option is set "
                + "once");
    }

    /**
     * An option's value as a builder's message may show it: a URI without user info, query or fragment, anything
     * else as it is (a {@code Secret} shows itself redacted).
     *
     * @param value the value, or {@code null}
     * @return what to show
     */
    public static Object shown(Object value) {
        return value instanceof URI ? Endpoints.shown((URI) value) : value;
    }

    /**
     * Fails if a builder option is set already.
     *
     * @param current the option's value so far, or {@code null} while it is not set
     * @param option the option's name
     * @throws IllegalStateException if {@code current} is not {@code null}: {@link #alreadySet}
     */
    public static void once(Object current, String option) {
        if (current != null) {
            throw alreadySet(current, option);
        }
    }

    /**
     * Returns a builder option's value if it is not {@code null} and the option is not set yet.
     *
     * @param <T> the option's type
     * @param current the option's value so far, or {@code null} while it is not set
     * @param option the option's name
     * @param value the value given
     * @return {@code value}
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     * @throws IllegalStateException if {@code current} is not {@code null}: {@link #alreadySet}
     */
    public static <T> T set(Object current, String option, T value) {
        Objects.requireNonNull(value, option);
        once(current, option);
        return value;
    }

    /**
     * Returns a client id if it is not empty and holds no control character.
     *
     * @param clientId the client id given
     * @return the client id
     * @throws NullPointerException if {@code clientId} is {@code null}
     * @throws IllegalArgumentException if it is empty or holds a control character
     */
    public static String clientId(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty() || clientId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("clientId must be non-empty, without control characters");
        }
        return clientId;
    }

    /**
     * Returns a builder option's value if the option is not set yet.
     *
     * @param <T> the option's type
     * @param owner the type being built, such as {@code JwtBearerGrant}
     * @param alreadySet whether the option already has a value
     * @param option the option's name
     * @param value the value given
     * @return {@code value}
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     * @throws IllegalStateException if the option is already set; the message names the type and option, never a
     *     value
     */
    public static <T> T setOnce(String owner, boolean alreadySet, String option, T value) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, option);
        if (alreadySet) {
            throw new IllegalStateException(owner + " option '" + option + "' is set twice");
        }
        return value;
    }

    /**
     * Returns a builder option's text if it is not empty.
     *
     * @param owner the type being built, such as {@code TokenExchangeGrant}
     * @param option the option's name
     * @param value the text given
     * @return {@code value}
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     * @throws IllegalArgumentException if it is empty; the message names the type and option
     */
    public static String nonEmpty(String owner, String option, String value) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, option);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(owner + " option '" + option + "' is empty");
        }
        return value;
    }
}
