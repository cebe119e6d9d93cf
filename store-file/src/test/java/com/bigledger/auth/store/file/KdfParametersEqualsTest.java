package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.EqualsTester;
import org.junit.jupiter.api.Test;

class KdfParametersEqualsTest {

    @Test
    void parametersAreEqualByMemoryIterationsAndParallelism() {
        new EqualsTester()
                .addEqualityGroup(KdfParameters.argon2id(64 * 1024, 3, 4), KdfParameters.RFC_9106_SECOND_RECOMMENDED)
                .addEqualityGroup(KdfParameters.argon2id(32 * 1024, 3, 4))
                .addEqualityGroup(KdfParameters.argon2id(64 * 1024, 4, 4))
                .addEqualityGroup(KdfParameters.argon2id(64 * 1024, 3, 2))
                .testEquals();
        assertThat(KdfParameters.RFC_9106_SECOND_RECOMMENDED).hasToString("Argon2id(m=65536 KiB, t=3, p=4)");
    }
}
