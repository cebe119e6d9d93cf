package com.bigledger.auth.store.env;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dotenv syntax, one rule per test, and each malformed case with its line number. */
class DotenvParserTest {

    private static final Path FILE = Path.of("/config/app/.env");

    @Test
    void blankLinesAndCommentLinesAreSkipped() {
        assertThat(parse("\n   \n# a comment\n\t# an indented comment\nA=1\n\n")).containsExactly(
                Map.entry("A", "1"));
    }

    @Test
    void exportPrefixIsIgnored() {
        assertThat(parse("export A=1\nexport\tB=2\nexport   C = 3\n")).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("C", "3"));
    }

    @Test
    void variablesNamedLikeTheExportKeywordAreStillVariables() {
        assertThat(parse("export=1\nexporter=2\nexport export=3\n")).containsExactly(
                Map.entry("export", "3"), Map.entry("exporter", "2"));
    }

    @Test
    void unquotedValueIsTrimmed() {
        assertThat(parse("A =   spaced value \t\n")).containsExactly(Map.entry("A", "spaced value"));
    }

    @Test
    void inlineCommentAfterABlankIsStrippedFromAnUnquotedValue() {
        assertThat(parse("A=value # a note\nB=value\t#tabbed note\nC= # only a note\n")).containsExactly(
                Map.entry("A", "value"), Map.entry("B", "value"), Map.entry("C", ""));
    }

    @Test
    void hashWithoutABlankBeforeItIsPartOfAnUnquotedValue() {
        assertThat(parse("A=pa#ss\nB=#starts-with-hash\n")).containsExactly(
                Map.entry("A", "pa#ss"), Map.entry("B", "#starts-with-hash"));
    }

    @Test
    void quotesInsideAnUnquotedValueAreLiteral() {
        assertThat(parse("A=it's \"fine\"\n")).containsExactly(Map.entry("A", "it's \"fine\""));
    }

    @Test
    void singleQuotedValueIsLiteral() {
        assertThat(parse("A='  a\\nb \"c\" # not a comment  '\n")).containsExactly(
                Map.entry("A", "  a\\nb \"c\" # not a comment  "));
    }

    @Test
    void quotedValueMayBeFollowedByBlanksAndAComment() {
        assertThat(parse("A='x'   \nB=\"y\" # note\nC='z'#note\n")).containsExactly(
                Map.entry("A", "x"), Map.entry("B", "y"), Map.entry("C", "z"));
    }

    @Test
    void doubleQuotedValueUnderstandsItsEscapes() {
        assertThat(parse("A=\"n\\n r\\r t\\t q\\\" b\\\\\"\n")).containsExactly(
                Map.entry("A", "n\n r\r t\t q\" b\\"));
    }

    @Test
    void otherBackslashesInADoubleQuotedValueAreKept() {
        assertThat(parse("A=\"C:\\Users\\dev\\$HOME\"\n")).containsExactly(Map.entry("A", "C:\\Users\\dev\\$HOME"));
    }

    @Test
    void doubleQuotedValueKeepsHashesAndSpaces() {
        assertThat(parse("A=\"  a # b  \"\n")).containsExactly(Map.entry("A", "  a # b  "));
    }

    @Test
    void doubleQuotedValueMaySpanLines() {
        assertThat(parse("A=\"-----BEGIN KEY-----\nabc\r\ndef\n-----END KEY-----\"\nB=after\n")).containsExactly(
                Map.entry("A", "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----"), Map.entry("B", "after"));
    }

    @Test
    void emptyValuesAreEmpty() {
        assertThat(parse("A=\nB=''\nC=\"\"\nD=   \n")).containsExactly(
                Map.entry("A", ""), Map.entry("B", ""), Map.entry("C", ""), Map.entry("D", ""));
    }

    @Test
    void laterLineForTheSameNameWins() {
        assertThat(parse("A=first\nA=second\n")).containsExactly(Map.entry("A", "second"));
    }

    @Test
    void windowsAndOldMacLineEndsAreLineEnds() {
        assertThat(parse("A=1\r\nB='2'\r\n\r\nC=3\rD=4")).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("C", "3"), Map.entry("D", "4"));
    }

    @Test
    void byteOrderMarkAtTheStartIsIgnored() {
        assertThat(parse("\uFEFFA=1\n")).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void valuesAreTakenAsWrittenWithoutExpansion() {
        assertThat(parse("HOME_DIR=${HOME}/x\n")).containsExactly(Map.entry("HOME_DIR", "${HOME}/x"));
    }

    @Test
    void lineWithoutEqualsSignIsMalformed() {
        String key = Canary.value("blg_test_sk_");

        DotenvFormatException e = malformed("A=1\n# comment\n" + key + "\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e).hasMessageContaining(FILE.toString()).hasMessageContaining("line 3")
                .hasMessageContaining("no '='");
        assertNoValueIn(e, key);
    }

    @Test
    void invalidNameIsMalformed() {
        String key = Canary.value("");

        for (String line : new String[] {"1A=" + key, "MY VAR=" + key, "=" + key, "A-B=" + key, "A.B=" + key,
                "9" + key + "=y"}) {
            DotenvFormatException e = malformed("OK=1\n" + line + "\n");

            assertThat(e.line()).as(line.replace(key, "<key>")).isEqualTo(2);
            assertThat(e).hasMessageContaining(FILE.toString()).hasMessageContaining("not a valid variable name");
            assertNoValueIn(e, key);
        }
    }

    @Test
    void unclosedSingleQuoteIsMalformed() {
        String key = Canary.value("blg_test_sk_");

        DotenvFormatException e = malformed("A=1\nAPI_KEY='" + key + "\n");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e).hasMessageContaining("line 2").hasMessageContaining("API_KEY")
                .hasMessageContaining("single quote");
        assertNoValueIn(e, key);
    }

    @Test
    void singleQuoteDoesNotSpanLines() {
        String key = Canary.value("blg_test_sk_");

        DotenvFormatException e = malformed("API_KEY='" + key + "\nrest'\n");

        assertThat(e.line()).isEqualTo(1);
        assertNoValueIn(e, key);
    }

    @Test
    void unclosedDoubleQuoteIsMalformedAtTheLineThatOpensIt() {
        String key = Canary.value("blg_test_sk_");

        DotenvFormatException e = malformed("A=1\n\nAPI_KEY=\"" + key + "\nB=2\nC=3\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e).hasMessageContaining("line 3").hasMessageContaining("API_KEY")
                .hasMessageContaining("double quote");
        assertNoValueIn(e, key);
    }

    @Test
    void textAfterAClosingQuoteIsMalformed() {
        String key = Canary.value("blg_test_sk_");

        for (String line : new String[] {"API_KEY=\"" + key + "\" " + key, "API_KEY='" + key + "'" + key,
                "API_KEY=\"x\"" + key}) {
            DotenvFormatException e = malformed("A=1\n" + line + "\n");

            assertThat(e.line()).isEqualTo(2);
            assertThat(e).hasMessageContaining("line 2").hasMessageContaining("after the closing quote");
            assertNoValueIn(e, key);
        }
    }

    @Test
    void textAfterAClosingQuoteOnALaterLineIsMalformedAtThatLine() {
        String key = Canary.value("blg_test_sk_");

        DotenvFormatException e = malformed("A=\"one\ntwo\" " + key + "\n");

        assertThat(e.line()).isEqualTo(2);
        assertNoValueIn(e, key);
    }

    @Test
    void lineNumbersCountTheLinesOfMultiLineValues() {
        DotenvFormatException e = malformed("A=\"one\ntwo\nthree\"\nB=1\nbroken\n");

        assertThat(e.line()).isEqualTo(5);
    }

    @Test
    void lineNumbersCountWindowsLineEndsOnce() {
        DotenvFormatException e = malformed("A=1\r\nB=2\r\nbroken\r\n");

        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void keyPastedBeforeTheEqualsSignIsNotQuotedInTheError() {
        String key = Canary.value("blg_live_sk_");
        for (String text : new String[] {key + "='unclosed\n", key + "=\"unclosed\n", key + "=\"v\" junk\n"}) {
            DotenvFormatException error = catchThrowableOfType(DotenvFormatException.class,
                    () -> DotenvParser.parse(FILE, text.toCharArray(), text.length()));
            assertThat(error).isNotNull();
            assertThat(error.getMessage()).contains("a variable named blg_live_sk_…").doesNotContain(key);
        }
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> revealed = new LinkedHashMap<>();
        for (Map.Entry<String, Secret> entry : DotenvParser.parse(FILE, text.toCharArray(), text.length())
                .entrySet()) {
            revealed.put(entry.getKey(), entry.getValue().reveal());
        }
        return revealed;
    }

    private static DotenvFormatException malformed(String text) {
        DotenvFormatException e = catchThrowableOfType(DotenvFormatException.class,
                () -> DotenvParser.parse(FILE, text.toCharArray(), text.length()));
        assertThat(e).as("a DotenvFormatException").isNotNull();
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.retryable()).isFalse();
        return e;
    }

    private static void assertNoValueIn(Throwable e, String value) {
        assertThat(String.valueOf(e).contains(value)).as("the message holds the value").isFalse();
    }
}
