package com.bigledger.auth.testing;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PublicTypesTest {

    /** A public type with a constructor, an instance method and a static method, each taking a reference. */
    public static final class Sample {

        /**
         * Creates one.
         *
         * @param name a name
         */
        public Sample(String name) {
        }

        /**
         * Does nothing.
         *
         * @param text a text
         * @param count a count (primitive, so never checked)
         */
        public void use(String text, int count) {
        }

        /**
         * Does nothing.
         *
         * @param text a text, or {@code null}
         */
        public static void optional(String text) {
        }
    }

    private record Call(Object instance, String member, int index) {
    }

    @Test
    void eachReferenceParameterIsHandedOutWithAFreshInstanceForInstanceMethodsAndNoneOtherwise() throws Exception {
        List<Call> calls = new ArrayList<>();
        List<Sample> made = new ArrayList<>();
        Supplier<Sample> maker = () -> {
            Sample sample = new Sample("made");
            made.add(sample);
            return sample;
        };

        PublicTypes.forEachCheckedParameter(Sample.class, Set.of("Sample.optional(String)#0"),
                Map.of(Sample.class, maker), (instance, executable, index) -> calls.add(new Call(instance,
                        executable instanceof Constructor<?> ? "constructor" : ((Method) executable).getName(),
                        index)));

        assertThat(calls).containsExactlyInAnyOrder(new Call(null, "constructor", 0),
                new Call(made.get(0), "use", 0));
        assertThat(made).hasSize(1);
    }

    @Test
    void anInstanceMethodWithoutASampleIsAnAssertionErrorNamingTheTypeAndParameter() {
        assertThatThrownBy(() -> PublicTypes.forEachCheckedParameter(Sample.class, Set.of(), Map.of(),
                (instance, executable, index) -> { }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(Sample.class.getName())
                .hasMessageContaining("Sample.use(String,int)#0");
    }
}
