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
import org.junit.jupiter.api.DynamicTest;
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

    @Test
    void constructorAndMethodParametersGoToTheirOwnChecks() throws Exception {
        List<Call> calls = new ArrayList<>();
        Sample sample = new Sample("made");

        PublicTypes.forEachCheckedParameter(Sample.class, Set.of(), Map.of(Sample.class, () -> sample),
                (constructor, index) -> calls.add(new Call(null, "constructor", index)),
                (instance, method, index) -> calls.add(new Call(instance, method.getName(), index)));

        assertThat(calls).containsExactlyInAnyOrder(new Call(null, "constructor", 0), new Call(sample, "use", 0),
                new Call(null, "optional", 0));
    }

    @Test
    void nullChecksMakeOneDynamicTestForEachTypeThatRunsItsChecksWhenExecuted() throws Throwable {
        List<Call> calls = new ArrayList<>();

        List<DynamicTest> tests = NullChecks.forTypes(List.of(Sample.class), Set.of("Sample.optional(String)#0"),
                Map.of(Sample.class, () -> new Sample("made")),
                (constructor, index) -> calls.add(new Call(null, "constructor", index)),
                (instance, method, index) -> calls.add(new Call(null, method.getName(), index))).toList();

        assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly(Sample.class.getName());
        assertThat(calls).isEmpty();
        tests.get(0).getExecutable().execute();
        assertThat(calls).containsExactlyInAnyOrder(new Call(null, "constructor", 0), new Call(null, "use", 0));
    }

    @Test
    void nullChecksOfAModuleCoverEachOfItsPublicTypes() {
        List<String> names = NullChecks.forModuleOf(FakeClock.class, Set.of(), Map.of(), (constructor, index) -> { },
                (instance, method, index) -> { }).map(DynamicTest::getDisplayName).toList();

        assertThat(names).containsExactlyElementsOf(PublicTypes.of(FakeClock.class).stream().map(Class::getName)
                .toList());
        assertThat(names).contains(NullChecks.class.getName(), FakeClock.class.getName());
    }
}
