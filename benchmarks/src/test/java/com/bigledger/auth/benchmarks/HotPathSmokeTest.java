package com.bigledger.auth.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Checks that the benchmarks run, not how fast: one short iteration of one benchmark, in this JVM, through the same
 * JMH runner the documented command uses. Numbers come only from the documented command (docs/BENCHMARKS.md).
 */
class HotPathSmokeTest {

    @Test
    void tokenManagerBenchmarkRunsOneIterationAndReportsAScore() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(HotPathBenchmark.class.getName() + "\\.tokenManager$")
                // In this JVM, so that the test stays a few seconds long and needs no class path of its own.
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .threads(1)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertThat(results).hasSize(1);
        RunResult result = results.iterator().next();
        assertThat(result.getParams().getBenchmark()).endsWith(".tokenManager");
        assertThat(result.getPrimaryResult().getScore()).isPositive();
    }
}
