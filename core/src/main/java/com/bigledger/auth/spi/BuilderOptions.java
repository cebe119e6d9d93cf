package com.bigledger.auth.spi;

import com.bigledger.auth.Secret;
import com.bigledger.auth.internal.Options;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The options a builder has set, so that each may be set once, with checks worded as the library's own builders
 * word them ({@code VaultCredentialSource option 'requestTimeout' must be positive: PT0S}). A store's builder keeps
 * one and calls {@link #set} (or {@link #once}, then its own checks) first in each option's method.
 *
 * <p>Not thread-safe, as builders are not.
 */
public final class BuilderOptions {

    private final String owner;
    private final Set<String> set = new HashSet<>();

    /**
     * Starts with no option set.
     *
     * @param owner the type being built, such as {@code VaultCredentialSource}, for the messages
     */
    public BuilderOptions(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Records that an option is being set, failing if it was set before.
     *
     * @param option the option's name
     * @param shown the value given as it may be shown in the message, never a secret (a URI is shown without user
     *     info, query or fragment); may be {@code null}
     * @throws IllegalStateException if the option was set before; the message names the type, the option and
     *     {@code shown}
     */
    public void once(String option, Object shown) {
        Objects.requireNonNull(option, "option");
        if (!set.add(option)) {
            throw new IllegalStateException(owner + " option '" + option + "' is set twice (second value: "
                    + Options.shown(shown) + ")");
        }
    }

    /**
     * Tells whether an option was set, for the checks a builder makes at {@code build()} (options that only make
     * sense together, say).
     *
     * @param option the option's name
     * @return {@code true} if {@link #once} or {@link #set} was called for it
     */
    public boolean isSet(String option) {
        return set.contains(Objects.requireNonNull(option, "option"));
    }

    /**
     * Records that an option is being set, failing if it was set before, and returns its value if not
     * {@code null}.
     *
     * @param <T> the option's type
     * @param option the option's name
     * @param value the value given; shown in the message if the option was set before, so never a secret
     * @return {@code value}
     * @throws IllegalStateException if the option was set before; the message names the type, the option and
     *     {@code value}
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     */
    public <T> T set(String option, T value) {
        once(option, value);
        return Objects.requireNonNull(value, option);
    }

    /**
     * Returns {@code value} if it is positive.
     *
     * @param option the option's name
     * @param value the value given
     * @return the value
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     * @throws IllegalArgumentException if it is zero or negative; the message names the type, option and value
     */
    public Duration positive(String option, Duration value) {
        return Options.positive(owner, option, value);
    }

    /**
     * Returns an option's text if it is not empty.
     *
     * @param option the option's name
     * @param value the text given
     * @return the value
     * @throws NullPointerException if {@code value} is {@code null}; the message is the option's name
     * @throws IllegalArgumentException if it is empty; the message names the type and option
     */
    public String nonEmpty(String option, String value) {
        return Options.nonEmpty(owner, option, value);
    }

    /**
     * Copies a secret given to a builder, so that the caller may destroy its own (after a rotation, say) while the
     * copy lives on.
     *
     * @param secret the secret
     * @return a new secret with the same value
     * @throws IllegalStateException if {@code secret} was destroyed
     */
    public static Secret copy(Secret secret) {
        return Options.copy(secret);
    }

    /**
     * Shows the type being built and the options set so far.
     *
     * @return the type's name and the options' names
     */
    @Override
    public String toString() {
        return "BuilderOptions[" + owner + ", set=" + set + "]";
    }
}
