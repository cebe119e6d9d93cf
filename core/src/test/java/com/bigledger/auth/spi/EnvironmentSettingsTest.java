package com.bigledger.auth.spi;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.spi.EnvironmentSettings.InvalidSettingException;
import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentSettingsTest {

    private static final String CURRENT = "BIGLEDGER_TEST_NEW_NAME";
    private static final String OLD = "BIGLEDGER_TEST_OLD_NAME";

    private final List<String> warnings = new ArrayList<>();

    private EnvironmentSettings settings(Map<String, String> variables) {
        return EnvironmentSettings.of(variables, warnings::add).renamed(CURRENT, OLD);
    }

    @Test
    void aVariableIsReadFromTheGivenMapAndAnEmptyOneCountsAsUnsetForValues() {
        EnvironmentSettings env = EnvironmentSettings.of(Map.of("A", "one", "EMPTY", ""));

        assertThat(env.value("A")).contains("one");
        assertThat(env.value("EMPTY")).isEmpty();
        assertThat(env.raw("EMPTY")).contains("");
        assertThat(env.value("MISSING")).isEmpty();
    }

    @Test
    void pathsAndSwitchesAreReadAsSuch() {
        EnvironmentSettings env = EnvironmentSettings.of(Map.of("FILE", "/tmp/x", "ON", " TRUE ", "OFF", "yes"));

        assertThat(env.path("FILE")).contains(Path.of("/tmp/x"));
        assertThat(env.path("MISSING")).isEmpty();
        assertThat(env.isTrue("ON")).isTrue();
        assertThat(env.isTrue("OFF")).isFalse();
        assertThat(env.isTrue("MISSING")).isFalse();
    }

    @Test
    void aRenamedVariableIsReadUnderItsNewNameWithoutAWarning() {
        String value = Canary.value("new_");

        assertThat(settings(Map.of(CURRENT, value)).value(CURRENT)).contains(value);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aRenamedVariableSetOnlyUnderItsOldNameIsUsedWithOneWarningNamingBothAndNotTheValue() {
        String value = Canary.value("old_");
        EnvironmentSettings env = settings(Map.of(OLD, value));

        assertThat(env.value(CURRENT)).contains(value);
        assertThat(env.raw(CURRENT)).contains(value);
        assertThat(env.renamed("OTHER", "OTHER_OLD").value(CURRENT)).contains(value);

        assertThat(warnings).singleElement().asString().contains(OLD, CURRENT).doesNotContain(value);
    }

    @Test
    void bothNamesSetToTheSameValueIsAcceptedAndStillWarnsAboutTheOldName() {
        String value = Canary.value("same_");

        assertThat(settings(Map.of(CURRENT, value, OLD, value)).value(CURRENT)).contains(value);
        assertThat(warnings).hasSize(1);
    }

    @Test
    void bothNamesSetToDifferentValuesIsATypedErrorNamingBothVariablesAndNoValue() {
        String current = Canary.value("current_");
        String old = Canary.value("old_");

        InvalidSettingException thrown = catchThrowableOfType(InvalidSettingException.class,
                () -> settings(Map.of(CURRENT, current, OLD, old)).value(CURRENT));

        assertThat(thrown.variables()).containsExactly(CURRENT, OLD);
        assertThat(thrown.getMessage()).contains(CURRENT, OLD).doesNotContain(current, old);
        assertThat(thrown.retryable()).isFalse();
    }

    @Test
    void aRenamedVariableReadThroughTheLoggingSettingsStillGivesTheOldValue() {
        String value = Canary.value("logged_");

        EnvironmentSettings env = EnvironmentSettings.of(Map.of(OLD + "_LOGGED", value))
                .renamed(CURRENT + "_LOGGED", OLD + "_LOGGED");

        assertThat(env.value(CURRENT + "_LOGGED")).contains(value);
    }

    @Test
    void aSettingIsAValueInItsVariableOrAReferenceInItsRefVariable() {
        String value = Canary.value("value_");
        EnvironmentSettings byValue = EnvironmentSettings.of(Map.of("SECRET", value));
        EnvironmentSettings byRef = EnvironmentSettings.of(Map.of("SECRET_REF", " aws-sm:prod/app#secret "));

        EnvironmentSettings.Setting given = byValue.valueOrReference("SECRET").orElseThrow();
        EnvironmentSettings.Setting referenced = byRef.valueOrReference("SECRET").orElseThrow();

        assertThat(given.variable()).isEqualTo("SECRET");
        assertThat(given.value()).contains(value);
        assertThat(given.reference()).isEmpty();
        assertThat(given.toString()).doesNotContain(value);
        assertThat(referenced.variable()).isEqualTo("SECRET_REF");
        assertThat(referenced.reference()).contains(CredentialRef.parse("aws-sm:prod/app#secret"));
        assertThat(referenced.value()).isEmpty();
        assertThat(EnvironmentSettings.of(Map.of()).valueOrReference("SECRET")).isEqualTo(Optional.empty());
    }

    @Test
    void aValueAndAReferenceTogetherIsATypedErrorNamingBoth() {
        String value = Canary.value("value_");

        InvalidSettingException thrown = catchThrowableOfType(InvalidSettingException.class,
                () -> EnvironmentSettings.of(Map.of("SECRET", value, "SECRET_REF", "env:OTHER"))
                        .valueOrReference("SECRET"));

        assertThat(thrown.variables()).containsExactly("SECRET", "SECRET_REF");
        assertThat(thrown.getMessage()).contains("SECRET and SECRET_REF are both set").doesNotContain(value);
    }

    @Test
    void aMalformedReferenceIsATypedErrorNamingTheVariableWithoutQuotingIt() {
        String pasted = Canary.value("blg_live_sk_");

        InvalidSettingException thrown = catchThrowableOfType(InvalidSettingException.class,
                () -> EnvironmentSettings.of(Map.of("SECRET_REF", pasted)).reference("SECRET_REF"));

        assertThat(thrown.variables()).containsExactly("SECRET_REF");
        assertThat(thrown.getMessage()).startsWith("SECRET_REF is not a valid reference").doesNotContain(pasted);
    }

    @Test
    void aParserMessageLosesAQuotedValueEvenOneWithLineBreaks() {
        String value = Canary.value("blg_live_sk_") + "\n";
        String split = Canary.value("") + "\r\n" + Canary.value("");

        String quoted = EnvironmentSettings.withoutValue("Invalid reference '" + value.strip() + "' at position 0",
                value);
        String unquoted = EnvironmentSettings.withoutValue("cannot use " + split + " here", split);

        assertThat(Canary.leaksIn(quoted)).isFalse();
        assertThat(quoted).contains("position 0");
        assertThat(Canary.leaksIn(unquoted)).isFalse();
        assertThat(EnvironmentSettings.withoutValue("no value in here", "absent value")).isEqualTo("no value in here");
    }

    @Test
    void variablesAreReadThroughALookupWhenOneIsGiven() {
        EnvironmentSettings env = EnvironmentSettings.of(
                name -> name.equals(OLD) ? Optional.of("from the lookup") : Optional.empty(), warnings::add)
                .renamed(CURRENT, OLD);

        assertThat(env.value(CURRENT)).contains("from the lookup");
        assertThat(warnings).hasSize(1);
    }
}
