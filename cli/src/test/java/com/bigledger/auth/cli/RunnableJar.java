package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The command's runnable jar, for the tests that run it as a process. */
final class RunnableJar {

    private RunnableJar() {
    }

    /** The jar the build made in the package phase and named in the system property {@code bigledger.cli.jar}. */
    static Path fromBuild() {
        String property = System.getProperty("bigledger.cli.jar");
        assertThat(property).as("system property bigledger.cli.jar, set by the build").isNotBlank();
        Path jar = Paths.get(property);
        assertThat(jar).as("the runnable jar, built in the package phase").isRegularFile();
        return jar;
    }
}
