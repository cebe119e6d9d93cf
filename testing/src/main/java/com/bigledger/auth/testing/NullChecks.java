package com.bigledger.auth.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The null-check test of a whole module as JUnit Jupiter dynamic tests: one test for each public type of the module
 * ({@link PublicTypes#of(Class)}), which checks each of the type's reference parameters that is not documented as
 * accepting {@code null} ({@link PublicTypes#forEachCheckedParameter(Class, Set, Map, PublicTypes.ConstructorCheck,
 * PublicTypes.MethodCheck)}). With guava-testlib's {@code NullPointerTester}, a module's test is a
 * {@code @TestFactory} method that returns
 * {@code NullChecks.forModuleOf(AnyType.class, nullable, samples, tester::testConstructorParameter,
 * tester::testMethodParameter)}. Needs JUnit Jupiter on the class path. Stateless and thread-safe.
 */
public final class NullChecks {

    private NullChecks() {
    }

    /**
     * One dynamic test for each public type of the module {@code member} comes from, named by the type's name, in
     * the order of {@link PublicTypes#of(Class)}. The module's types are listed when this is called; the checks run
     * when JUnit runs each test.
     *
     * @param member any class of the module to check
     * @param nullable the {@linkplain PublicTypes.Parameter#key() keys} of parameters documented as accepting
     *     {@code null}
     * @param samples makers of instances, by type; needed for every type with public instance methods
     * @param constructors the check of one constructor parameter
     * @param methods the check of one method parameter, with the instance ({@code null} for a static method)
     * @return the tests, one for each public type
     * @throws IllegalArgumentException if {@code member} comes from neither a jar nor a folder
     * @throws java.io.UncheckedIOException if the jar or folder cannot be read
     */
    public static Stream<DynamicTest> forModuleOf(Class<?> member, Set<String> nullable,
            Map<Class<?>, ? extends Supplier<?>> samples, PublicTypes.ConstructorCheck constructors,
            PublicTypes.MethodCheck methods) {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(nullable, "nullable");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(constructors, "constructors");
        Objects.requireNonNull(methods, "methods");
        return forTypes(PublicTypes.of(member), nullable, samples, constructors, methods);
    }

    /**
     * One dynamic test for each of {@code types}, named by the type's name, in the order given: for a module whose
     * test leaves some of its public types out of {@link #forModuleOf}. The checks run when JUnit runs each test.
     *
     * @param types the public types to check
     * @param nullable the {@linkplain PublicTypes.Parameter#key() keys} of parameters documented as accepting
     *     {@code null}
     * @param samples makers of instances, by type; needed for every type with public instance methods
     * @param constructors the check of one constructor parameter
     * @param methods the check of one method parameter, with the instance ({@code null} for a static method)
     * @return the tests, one for each type
     */
    public static Stream<DynamicTest> forTypes(List<Class<?>> types, Set<String> nullable,
            Map<Class<?>, ? extends Supplier<?>> samples, PublicTypes.ConstructorCheck constructors,
            PublicTypes.MethodCheck methods) {
        List<Class<?>> checked = List.copyOf(types);
        Objects.requireNonNull(nullable, "nullable");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(constructors, "constructors");
        Objects.requireNonNull(methods, "methods");
        return checked.stream().map(type -> DynamicTest.dynamicTest(type.getName(),
                () -> PublicTypes.forEachCheckedParameter(type, nullable, samples, constructors, methods)));
    }
}
