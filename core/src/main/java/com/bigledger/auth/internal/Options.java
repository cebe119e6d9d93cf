package com.bigledger.auth.internal;

import java.time.Duration;
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
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(owner + " option '" + option + "' must be positive: " + value);
        }
        return value;
    }
}
