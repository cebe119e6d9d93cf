package com.bigledger.auth.store.aws;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The opt-in real-account contract test run against moto behind the proxy, in the default build, so that its own
 * seeding and clean-up stay right between the runs against a real account.
 */
class RealSecretsManagerOnMotoIT extends RealSecretsManagerIT {

    private static MotoServer moto;
    private static SecretsManagerProxy proxy;
    private SecretsManagerClient viaProxy;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        proxy = SecretsManagerProxy.start(moto);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Override
    Map<String, String> environment() {
        return Map.of(OPT_IN, "true");
    }

    @Override
    SecretsManagerClient newClient() {
        return moto.client(Region.US_EAST_1);
    }

    @Override
    AwsSecretsManagerSource newSource() {
        viaProxy = proxy.client();
        return AwsSecretsManagerSource.builder().client(viaProxy).build();
    }

    @Override
    @AfterEach
    void cleanUp() {
        try {
            super.cleanUp();
        } finally {
            if (viaProxy != null) {
                viaProxy.close();
            }
        }
    }
}
