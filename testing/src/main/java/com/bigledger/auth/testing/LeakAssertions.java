package com.bigledger.auth.testing;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.assertj.core.api.ThrowableTypeAssert;

/**
 * AssertJ's entry points for expected exceptions, each of which first checks that the caught exception (its message,
 * its {@code toString}, its causes and suppressed exceptions) holds no {@link Canary} value.
 *
 * <p>Why a wrapper: {@link LeakCheckExtension} sees what escapes a test, but an exception a test expects is caught
 * inside the test, so a message that quotes a secret would pass unseen. The caught exception is what users see, so
 * it is checked where it is caught. Imported in place of AssertJ's methods of the same names; the extension refuses
 * a test class that imports AssertJ's own, so none is missed. Stateless and thread-safe.
 */
public final class LeakAssertions {

    private LeakAssertions() {
    }

    /**
     * As {@link Assertions#assertThatThrownBy(ThrowingCallable)}, after checking the exception for leaks.
     *
     * @param callable the code expected to throw
     * @return AssertJ's assertion on what it threw
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertThatThrownBy(ThrowingCallable callable) {
        return Assertions.assertThatThrownBy(checked(callable));
    }

    /**
     * As {@link Assertions#catchThrowable(ThrowingCallable)}, after checking the exception for leaks.
     *
     * @param callable the code that may throw
     * @return what it threw, or {@code null}
     */
    public static Throwable catchThrowable(ThrowingCallable callable) {
        java.util.Objects.requireNonNull(callable, "callable");
        return check(Assertions.catchThrowable(callable));
    }

    /**
     * As {@link Assertions#catchThrowableOfType(Class, ThrowingCallable)}, after checking the exception.
     *
     * @param <T> the expected type
     * @param type the expected type
     * @param callable the code expected to throw
     * @return what it threw
     */
    public static <T extends Throwable> T catchThrowableOfType(Class<T> type, ThrowingCallable callable) {
        java.util.Objects.requireNonNull(type, "type");
        return Assertions.catchThrowableOfType(type, checked(callable));
    }

    /**
     * As {@link Assertions#catchThrowableOfType(ThrowingCallable, Class)}, after checking the exception.
     *
     * @param <T> the expected type
     * @param callable the code expected to throw
     * @param type the expected type
     * @return what it threw
     */
    public static <T extends Throwable> T catchThrowableOfType(ThrowingCallable callable, Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return Assertions.catchThrowableOfType(type, checked(callable));
    }

    /**
     * As {@link Assertions#assertThatIllegalArgumentException()}, checking the exception for leaks.
     *
     * @return AssertJ's assertion on the expected type
     */
    public static ThrowableTypeAssert<IllegalArgumentException> assertThatIllegalArgumentException() {
        return new Checked<>(IllegalArgumentException.class);
    }

    /**
     * As {@link Assertions#assertThatIllegalStateException()}, checking the exception for leaks.
     *
     * @return AssertJ's assertion on the expected type
     */
    public static ThrowableTypeAssert<IllegalStateException> assertThatIllegalStateException() {
        return new Checked<>(IllegalStateException.class);
    }

    /**
     * As {@link Assertions#assertThatNullPointerException()}, checking the exception for leaks.
     *
     * @return AssertJ's assertion on the expected type
     */
    public static ThrowableTypeAssert<NullPointerException> assertThatNullPointerException() {
        return new Checked<>(NullPointerException.class);
    }

    /**
     * As {@link Assertions#assertThatExceptionOfType(Class)}, checking the exception for leaks.
     *
     * @param <T> the expected type
     * @param type the expected type
     * @return AssertJ's assertion on the expected type
     */
    public static <T extends Throwable> ThrowableTypeAssert<T> assertThatExceptionOfType(Class<? extends T> type) {
        return new Checked<>(type);
    }

    /**
     * Fails if a fake secret is in the throwable, its causes or its suppressed exceptions.
     *
     * @param <T> the throwable's type
     * @param thrown what a test caught, or {@code null}
     * @return {@code thrown}
     * @throws AssertionError naming the exception's class, never the value
     */
    public static <T extends Throwable> T check(T thrown) {
        scan(thrown, 0);
        return thrown;
    }

    private static void scan(Throwable thrown, int depth) {
        if (thrown == null || depth > 16) {
            return;
        }
        if (Canary.leaksIn(thrown.getMessage()) || Canary.leaksIn(thrown.toString())) {
            throw new AssertionError("A fake secret value is in the message of a " + thrown.getClass().getName()
                    + " that the test caught (value withheld)");
        }
        scan(thrown.getCause(), depth + 1);
        for (Throwable suppressed : thrown.getSuppressed()) {
            scan(suppressed, depth + 1);
        }
    }

    /** Runs the code now and checks what it threw, outside AssertJ; returns code that throws the same again. */
    private static ThrowingCallable checked(ThrowingCallable callable) {
        java.util.Objects.requireNonNull(callable, "callable");
        Throwable thrown = check(Assertions.catchThrowable(callable));
        return () -> {
            if (thrown != null) {
                throw thrown;
            }
        };
    }

    private static final class Checked<T extends Throwable> extends ThrowableTypeAssert<T> {
        Checked(Class<? extends T> type) {
            super(type);
        }

        @Override
        public ThrowableAssertAlternative<T> isThrownBy(ThrowingCallable callable) {
            return super.isThrownBy(checked(callable));
        }
    }
}
