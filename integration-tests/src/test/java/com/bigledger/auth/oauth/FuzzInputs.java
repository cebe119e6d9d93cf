package com.bigledger.auth.oauth;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generators of hostile text: random characters, and random sequences of fragments of the expected syntax. */
public final class FuzzInputs {

    private FuzzInputs() {
    }

    /** Any text, biased toward the characters that carry structure. */
    public static Arbitrary<String> text(String structure) {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(structure).withCharRange('a', 'f').ofMaxLength(80),
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(200));
    }

    /** Sequences of {@code fragments}, as a mutated document of the expected shape. */
    public static Arbitrary<String> fragments(List<String> fragments) {
        return Arbitraries.of(fragments).list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /** Either kind. */
    public static Arbitrary<String> hostile(String structure, List<String> fragments) {
        return Arbitraries.oneOf(text(structure), fragments(fragments));
    }
}
