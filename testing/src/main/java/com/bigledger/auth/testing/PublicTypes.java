package com.bigledger.auth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lists the public types of one jar or class folder, so that a test can sweep a module's whole public API (with
 * guava-testlib's {@code NullPointerTester}, for instance) and a new public type is covered without editing the
 * test. Stateless and thread-safe.
 */
public final class PublicTypes {

    private PublicTypes() {
    }

    /**
     * The public types, top-level and nested, that come from the same jar or class folder as {@code member}, by
     * name. A nested type counts only when every type around it is public too; anonymous and local classes,
     * {@code module-info} and {@code package-info} never count. Blocks while it reads the jar or folder.
     *
     * @param member any class of the module to list
     * @return the module's public types, sorted by name
     * @throws IllegalArgumentException if {@code member} comes from neither a jar nor a folder
     * @throws UncheckedIOException if the jar or folder cannot be read
     */
    public static List<Class<?>> of(Class<?> member) {
        Objects.requireNonNull(member, "member");
        java.security.CodeSource source = member.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalArgumentException(member.getName() + " does not come from a jar or a folder");
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(member.getName() + " does not come from a jar or a folder", e);
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : classNames(location)) {
            Class<?> type = load(name, member.getClassLoader());
            if (isPublicApi(type)) {
                types.add(type);
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return List.copyOf(types);
    }

    /**
     * The reference-typed parameters of the public constructors and public methods {@code type} declares, each
     * one a place where a null check belongs: what guava-testlib's {@code NullPointerTester.testConstructorParameter}
     * and {@code testMethodParameter} take. Left out: constructors of abstract types and enums, synthetic methods,
     * {@code equals}, and the instance methods of interfaces (callbacks and SPIs that users implement).
     *
     * @param type a public type
     * @return its parameters, constructors first, in declaration order as reflection reports it
     */
    public static List<Parameter> referenceParameters(Class<?> type) {
        Objects.requireNonNull(type, "type");
        List<Executable> members = new ArrayList<>();
        if (!Modifier.isAbstract(type.getModifiers()) && !type.isEnum()) {
            members.addAll(Arrays.asList(type.getConstructors()));
        }
        for (Method method : type.getDeclaredMethods()) {
            boolean instance = !Modifier.isStatic(method.getModifiers());
            if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()
                    && !method.getName().equals("equals") && !(instance && type.isInterface())) {
                members.add(method);
            }
        }
        List<Parameter> parameters = new ArrayList<>();
        for (Executable member : members) {
            Class<?>[] types = member.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (!types[i].isPrimitive()) {
                    parameters.add(new Parameter(member, i));
                }
            }
        }
        return List.copyOf(parameters);
    }

    /**
     * Hands each parameter of {@link #referenceParameters(Class)} that is not in {@code nullable} to {@code check},
     * with the instance to call a method on: a fresh one from {@code samples} for an instance method (builders refuse
     * an option set twice), {@code null} for a constructor or a static method. What a null-check test of a module
     * does for each of its public types, with guava-testlib's {@code NullPointerTester} in {@code check}.
     *
     * @param type a public type
     * @param nullable the {@linkplain Parameter#key() keys} of parameters documented as accepting {@code null}
     * @param samples makers of instances, by type; needed for every type with public instance methods
     * @param check the check of one parameter
     * @throws AssertionError if an instance method is found and {@code samples} has no maker for {@code type}
     * @throws Exception whatever {@code check} throws
     */
    public static void forEachCheckedParameter(Class<?> type, Set<String> nullable,
            Map<Class<?>, ? extends Supplier<?>> samples, ParameterCheck check) throws Exception {
        Objects.requireNonNull(nullable, "nullable");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(check, "check");
        for (Parameter parameter : referenceParameters(type)) {
            if (nullable.contains(parameter.key())) {
                continue;
            }
            Object instance = null;
            if (parameter.needsInstance()) {
                Supplier<?> sample = samples.get(type);
                if (sample == null) {
                    throw new AssertionError(type.getName() + " needs a sample instance for " + parameter.key());
                }
                instance = sample.get();
            }
            check.check(instance, parameter.executable(), parameter.index());
        }
    }

    /**
     * Does what {@link #forEachCheckedParameter(Class, Set, Map, ParameterCheck)} does, with a check of its own for
     * constructor parameters and for method parameters: the shapes of guava-testlib's
     * {@code NullPointerTester::testConstructorParameter} and {@code NullPointerTester::testMethodParameter}, which a
     * null-check test passes as they are.
     *
     * @param type a public type
     * @param nullable the {@linkplain Parameter#key() keys} of parameters documented as accepting {@code null}
     * @param samples makers of instances, by type; needed for every type with public instance methods
     * @param constructors the check of one constructor parameter
     * @param methods the check of one method parameter, with the instance ({@code null} for a static method)
     * @throws AssertionError if an instance method is found and {@code samples} has no maker for {@code type}
     * @throws Exception whatever a check throws
     */
    public static void forEachCheckedParameter(Class<?> type, Set<String> nullable,
            Map<Class<?>, ? extends Supplier<?>> samples, ConstructorCheck constructors, MethodCheck methods)
            throws Exception {
        Objects.requireNonNull(constructors, "constructors");
        Objects.requireNonNull(methods, "methods");
        forEachCheckedParameter(type, nullable, samples, (instance, executable, index) -> {
            if (executable instanceof Constructor<?> constructor) {
                constructors.check(constructor, index);
            } else {
                methods.check(instance, (Method) executable, index);
            }
        });
    }

    /** The check of one constructor parameter, as guava-testlib's {@code testConstructorParameter} makes it. */
    @FunctionalInterface
    public interface ConstructorCheck {

        /**
         * Checks one constructor parameter.
         *
         * @param constructor the constructor
         * @param index the parameter's position, from zero
         * @throws Exception if the check fails or cannot be made
         */
        void check(Constructor<?> constructor, int index) throws Exception;
    }

    /** The check of one method parameter, as guava-testlib's {@code testMethodParameter} makes it. */
    @FunctionalInterface
    public interface MethodCheck {

        /**
         * Checks one method parameter.
         *
         * @param instance the instance to call the method on, or {@code null} for a static method
         * @param method the method
         * @param index the parameter's position, from zero
         * @throws Exception if the check fails or cannot be made
         */
        void check(Object instance, Method method, int index) throws Exception;
    }

    /** The check of one parameter, as {@link #forEachCheckedParameter} hands it out. */
    @FunctionalInterface
    public interface ParameterCheck {

        /**
         * Checks one parameter.
         *
         * @param instance the instance to call a method on, or {@code null} for a constructor or a static method
         * @param executable the constructor or method
         * @param index the parameter's position, from zero
         * @throws Exception if the check fails or cannot be made
         */
        void check(Object instance, Executable executable, int index) throws Exception;
    }

    /**
     * One parameter of a public constructor or method.
     *
     * @param executable the constructor or method
     * @param index the parameter's position, from zero
     */
    public record Parameter(Executable executable, int index) {

        /**
         * Creates a parameter.
         *
         * @param executable the constructor or method
         * @param index the parameter's position, from zero
         * @throws NullPointerException if {@code executable} is {@code null}
         */
        public Parameter {
            Objects.requireNonNull(executable, "executable");
        }

        /**
         * Names the parameter by simple type names, for lists of parameters that accept {@code null}:
         * {@code "Type(String,Throwable)#1"} for a constructor, {@code "Type.method(String)#0"} for a method.
         *
         * @return the key
         */
        public String key() {
            String owner = executable.getDeclaringClass().getSimpleName();
            String name = executable instanceof Method ? owner + "." + executable.getName() : owner;
            return name + Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                    .collect(Collectors.joining(",", "(", ")")) + "#" + index;
        }

        /**
         * Tells whether calling the member needs an instance: a method that is not static.
         *
         * @return {@code true} for an instance method
         */
        public boolean needsInstance() {
            return executable instanceof Method && !Modifier.isStatic(executable.getModifiers());
        }
    }

    private static List<String> classNames(Path location) {
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    return files.map(location::relativize).map(Path::toString)
                            .map(file -> file.replace(location.getFileSystem().getSeparator(), "/"))
                            .filter(PublicTypes::isClassFile).map(PublicTypes::className).toList();
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream().map(entry -> entry.getName()).filter(PublicTypes::isClassFile)
                        .filter(file -> !file.startsWith("META-INF/")).map(PublicTypes::className).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the classes of " + location, e);
        }
    }

    private static boolean isClassFile(String file) {
        return file.endsWith(".class") && !file.endsWith("module-info.class")
                && !file.endsWith("package-info.class");
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.');
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("listed but not loadable: " + name, e);
        }
    }

    private static boolean isPublicApi(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
