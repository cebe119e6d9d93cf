package com.bigledger.auth.store.aws;

import static com.bigledger.auth.store.aws.MotoSecrets.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.CredentialSourceContract;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The {@code aws-sm} source against {@code moto_server}, an emulator of AWS Secrets Manager started once for this
 * class (its start-up takes seconds) and stopped in {@code @AfterAll}. Every test works on secrets of its own, named
 * with a random suffix. Secret values are {@link Canary} values: the leak check around every test fails it if one
 * reaches the output, a log line (the AWS SDK logs at DEBUG here) or an exception message.
 */
@ExtendWith(MotoServer.Required.class)
class SecretsManagerIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static MotoServer moto;
    private static SecretsManagerClient aws;
    private static MotoSecrets secrets;

    @BeforeAll
    static void startMoto() throws Exception {
        if (MotoServer.installed()) {
            moto = MotoServer.start();
            aws = moto.client(Region.US_EAST_1);
            secrets = new MotoSecrets(aws, "it/");
        }
    }

    @AfterAll
    static void stopMoto() {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static String json(String field, String value, String otherField, String otherValue) {
        return "{\"" + field + "\":\"" + value + "\",\"" + otherField + "\":\"" + otherValue + "\"}";
    }

    private static String fakeKey() {
        return Canary.value("blg_test_sk_");
    }

    @Nested
    class Contract extends CredentialSourceContract {

        private AwsSecretsManagerSource source;

        @AfterEach
        void closeSource() {
            if (source != null) {
                source.close();
            }
        }

        @Override
        protected CredentialSource source() {
            if (source == null) {
                source = moto.source().build();
            }
            return source;
        }

        @Override
        protected CredentialRef seed(String name, Secret value) {
            secrets.create("contract/" + name, value.reveal());
            return ref("contract/" + name);
        }

        @Override
        protected CredentialRef missing() {
            return ref("contract/not-there");
        }
    }

    @Nested
    class Reads {

        private final AwsSecretsManagerSource source = moto.source().build();

        @AfterEach
        void closeSource() {
            source.close();
        }

        @Test
        void currentValueIsReadWithItsVersionId() {
            String name = secrets.name("current");
            String value = fakeKey();
            String version = secrets.create(name, value);

            VersionedSecret loaded = source.load(ref(name));

            assertThat(loaded.secret().reveal()).isEqualTo(value);
            assertThat(loaded.version()).contains(version);
        }

        @Test
        void stageAndVersionIdPinOlderValues() {
            String name = secrets.name("pinned");
            String first = fakeKey();
            String second = fakeKey();
            String firstVersion = secrets.create(name, first);
            String secondVersion = secrets.put(name, second);

            VersionedSecret previous = source.load(CredentialRef.parse("aws-sm:" + name + "?stage=AWSPREVIOUS"));
            VersionedSecret byVersion = source.load(CredentialRef.parse("aws-sm:" + name + "?version=" + firstVersion));
            VersionedSecret current = source.load(ref(name));

            assertThat(previous.secret().reveal()).isEqualTo(first);
            assertThat(previous.version()).contains(firstVersion);
            assertThat(byVersion.secret().reveal()).isEqualTo(first);
            assertThat(current.secret().reveal()).isEqualTo(second);
            assertThat(current.version()).contains(secondVersion);
        }

        @Test
        void fieldsOfAJsonSecretStringAreRead() {
            String name = secrets.name("json");
            String clientId = fakeKey();
            String clientSecret = fakeKey();
            secrets.create(name, json("client_id", clientId, "client_secret", clientSecret));

            assertThat(source.load(ref(name).withField("client_secret")).secret().reveal()).isEqualTo(clientSecret);
            assertThat(source.load(ref(name).withField("client_id")).secret().reveal()).isEqualTo(clientId);
        }

        @Test
        void secretBinaryIsReadAsItsBytes() {
            String name = secrets.name("binary");
            byte[] bytes = new byte[48];
            RANDOM.nextBytes(bytes);
            bytes[0] = (byte) 0xff;
            String version = aws.createSecret(r -> r.name(name).secretBinary(SdkBytes.fromByteArray(bytes)))
                    .versionId();

            VersionedSecret loaded = source.load(ref(name));

            assertThat(loaded.secret().revealBytes()).isEqualTo(bytes);
            assertThat(loaded.version()).contains(version);
            assertThatThrownBy(() -> source.load(ref(name).withField("client_secret")))
                    .isInstanceOf(CredentialException.class)
                    .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                    .hasMessageContaining(ref(name).withField("client_secret").toString())
                    .hasMessageContaining("SecretBinary");
        }

        @Test
        void missingSecretVersionAndStageAreNotFoundAndNamed() {
            String name = secrets.name("present");
            secrets.create(name, fakeKey());
            List<CredentialRef> missing = List.of(
                    ref(secrets.name("absent")),
                    CredentialRef.parse("aws-sm:" + name + "?version=" + "0".repeat(32)),
                    CredentialRef.parse("aws-sm:" + name + "?stage=NO_SUCH_STAGE"));

            for (CredentialRef ref : missing) {
                assertThatThrownBy(() -> source.load(ref))
                        .isInstanceOf(CredentialNotFoundException.class)
                        .hasMessageContaining(ref.toString())
                        .hasMessageContaining("ResourceNotFoundException");
            }
        }

        @Test
        void secretScheduledForDeletionIsNotFound() {
            String name = secrets.name("deleted");
            secrets.create(name, fakeKey());
            aws.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(7L));

            assertThatThrownBy(() -> source.load(ref(name)))
                    .isInstanceOf(CredentialNotFoundException.class)
                    .hasMessageContaining("scheduled for deletion");
        }

        @Test
        void regionComesFromTheOptionOrTheArn() {
            String name = secrets.name("west");
            String value = fakeKey();
            String arn;
            try (SecretsManagerClient west = moto.client(Region.US_WEST_2)) {
                arn = west.createSecret(r -> r.name(name).secretString(value)).arn();
            }

            assertThat(source.load(CredentialRef.parse("aws-sm:" + name + "?region=us-west-2")).secret().reveal())
                    .isEqualTo(value);
            assertThat(source.load(ref(arn)).secret().reveal()).isEqualTo(value);
            // The builder's region, us-east-1, holds no such secret: moto keeps regions apart, as AWS does.
            assertThatThrownBy(() -> source.load(ref(name))).isInstanceOf(CredentialNotFoundException.class);
        }
    }

    @Nested
    class Writes {

        private final AwsSecretsManagerSource source = moto.source().build();

        @AfterEach
        void closeSource() {
            source.close();
        }

        @Test
        void compareAndSetWriteMakesTheValueCurrentAndLeavesNoStagingLabel() {
            String name = secrets.name("cas");
            String first = fakeKey();
            String firstVersion = secrets.create(name, first);
            String second = fakeKey();

            WriteResult result = source.write(ref(name), Secret.of(second), Optional.of(firstVersion));

            assertThat(result.isWritten()).as("%s", result).isTrue();
            assertThat(secrets.currentValue(name)).isEqualTo(second);
            assertThat(secrets.stages(name)).containsEntry(result.version().orElseThrow(), List.of("AWSCURRENT"))
                    .containsEntry(firstVersion, List.of("AWSPREVIOUS"));
            assertThat(source.load(CredentialRef.parse("aws-sm:" + name + "?stage=AWSPREVIOUS")).secret().reveal())
                    .isEqualTo(first);
        }

        @Test
        void staleWriteIsAConflictAndItsStagedVersionLosesItsLabel() {
            String name = secrets.name("stale");
            String stale = secrets.create(name, fakeKey());
            String winner = fakeKey();
            String winnerVersion = secrets.put(name, winner);

            WriteResult result = source.write(ref(name), Canary.secret("blg_test_sk_"), Optional.of(stale));

            assertThat(result).isEqualTo(WriteResult.conflict(winnerVersion));
            assertThat(secrets.currentValue(name)).isEqualTo(winner);
            Map<String, List<String>> stages = secrets.stages(name);
            assertThat(stages.get(winnerVersion)).contains("AWSCURRENT");
            assertThat(stages.values()).noneMatch(labels -> labels.contains(AwsSecretsManagerSource.STAGING_LABEL));
            // The loser's version stays in the history, label-less: AWS offers no way to delete one version.
            assertThat(stages).hasSize(3);
        }

        @Test
        void twoWritersRacingFromOneVersionExactlyOneWinsAndNothingIsOverwritten() throws Exception {
            ExecutorService threads = Executors.newFixedThreadPool(2);
            AwsSecretsManagerSource other = moto.source().build();
            try {
                for (int round = 0; round < 5; round++) {
                    String name = secrets.name("race");
                    String base = secrets.create(name, fakeKey());
                    Secret mine = Canary.secret("blg_oauth_rt_");
                    Secret theirs = Canary.secret("blg_oauth_rt_");
                    CountDownLatch start = new CountDownLatch(1);
                    Callable<WriteResult> first = () -> {
                        start.await();
                        return source.write(ref(name), mine, Optional.of(base));
                    };
                    Callable<WriteResult> second = () -> {
                        start.await();
                        return other.write(ref(name), theirs, Optional.of(base));
                    };
                    Future<WriteResult> a = threads.submit(first);
                    Future<WriteResult> b = threads.submit(second);
                    start.countDown();
                    WriteResult resultA = a.get(60, TimeUnit.SECONDS);
                    WriteResult resultB = b.get(60, TimeUnit.SECONDS);

                    assertThat(List.of(resultA.isWritten(), resultB.isWritten())).as("round %d: %s, %s", round,
                            resultA, resultB).containsExactlyInAnyOrder(true, false);
                    WriteResult won = resultA.isWritten() ? resultA : resultB;
                    WriteResult lost = resultA.isWritten() ? resultB : resultA;
                    Secret winner = resultA.isWritten() ? mine : theirs;
                    assertThat(lost.version()).isEqualTo(won.version());
                    VersionedSecret current = source.load(ref(name));
                    assertThat(current.secret()).isEqualTo(winner);
                    assertThat(current.version()).isEqualTo(won.version());
                    assertThat(secrets.stages(name).values())
                            .noneMatch(labels -> labels.contains(AwsSecretsManagerSource.STAGING_LABEL));
                }
            } finally {
                other.close();
                threads.shutdownNow();
                assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }

        @Test
        void fieldWriteMergesIntoTheJsonAtTheExpectedVersion() {
            String name = secrets.name("field");
            String clientId = fakeKey();
            String version = secrets.create(name, json("client_id", clientId, "refresh_token", fakeKey()));
            String rotated = Canary.value("blg_oauth_rt_");

            WriteResult result = source.write(ref(name).withField("refresh_token"), Secret.of(rotated),
                    Optional.of(version));

            assertThat(result.isWritten()).isTrue();
            assertThat(source.load(ref(name).withField("refresh_token")).secret().reveal()).isEqualTo(rotated);
            assertThat(source.load(ref(name).withField("client_id")).secret().reveal()).isEqualTo(clientId);
        }

        @Test
        void fieldWriteAtAStaleVersionIsAConflictWithoutANewVersion() {
            String name = secrets.name("field-stale");
            String stale = secrets.create(name, json("client_id", fakeKey(), "refresh_token", fakeKey()));
            String current = secrets.put(name, json("client_id", fakeKey(), "refresh_token", fakeKey()));

            WriteResult result = source.write(ref(name).withField("refresh_token"), Canary.secret("blg_oauth_rt_"),
                    Optional.of(stale));

            assertThat(result).isEqualTo(WriteResult.conflict(current));
            assertThat(secrets.stages(name)).hasSize(2);
        }

        @Test
        void unconditionalWriteCreatesAMissingSecretThenReplacesItsValue() {
            String name = secrets.name("create");
            Secret first = Canary.secret("blg_test_sk_");
            Secret second = Canary.secret("blg_test_sk_");

            WriteResult created = source.write(ref(name), first, Optional.empty());
            WriteResult replaced = source.write(ref(name), second, Optional.empty());

            assertThat(created.isWritten()).isTrue();
            assertThat(replaced.isWritten()).isTrue();
            VersionedSecret loaded = source.load(ref(name));
            assertThat(loaded.secret()).isEqualTo(second);
            assertThat(loaded.version()).isEqualTo(replaced.version());
            assertThat(source.load(CredentialRef.parse("aws-sm:" + name + "?version=" + created.version()
                    .orElseThrow())).secret()).isEqualTo(first);
        }

        @Test
        void unconditionalFieldWriteCreatesAJsonObjectThenMergesIntoIt() {
            String name = secrets.name("create-field");
            Secret token = Canary.secret("blg_oauth_rt_");
            Secret clientId = Canary.secret("");

            source.write(ref(name).withField("refresh_token"), token, Optional.empty());
            WriteResult merged = source.write(ref(name).withField("client_id"), clientId, Optional.empty());

            assertThat(merged.isWritten()).isTrue();
            assertThat(source.load(ref(name).withField("refresh_token")).secret()).isEqualTo(token);
            assertThat(source.load(ref(name).withField("client_id")).secret()).isEqualTo(clientId);
        }

        @Test
        void binaryValueIsWrittenAsSecretBinary() {
            String name = secrets.name("write-binary");
            String version = secrets.create(name, fakeKey());
            byte[] bytes = new byte[40];
            RANDOM.nextBytes(bytes);
            bytes[0] = (byte) 0xc3;
            bytes[1] = (byte) 0x28;

            WriteResult result = source.write(ref(name), Secret.ofBytes(bytes), Optional.of(version));

            assertThat(result.isWritten()).isTrue();
            assertThat(aws.getSecretValue(r -> r.secretId(name).versionStage("AWSCURRENT")).secretBinary()
                    .asByteArray()).isEqualTo(bytes);
            assertThat(source.load(ref(name)).secret().revealBytes()).isEqualTo(bytes);
        }

        @Test
        void writeExpectingAVersionOfAMissingSecretIsNotFound() {
            CredentialRef ref = ref(secrets.name("never-created"));

            assertThatThrownBy(() -> source.write(ref, Canary.secret("blg_oauth_rt_"), Optional.of("0".repeat(32))))
                    .isInstanceOf(CredentialNotFoundException.class)
                    .hasMessageContaining(ref.toString());
        }

        @Test
        void lostAnswerToTheLabelMoveIsFoundOutBeforeAnythingIsReported() {
            String name = secrets.name("lost-answer");
            String base = secrets.create(name, fakeKey());
            FlakyClient flaky = new FlakyClient(aws);
            flaky.loseNextMoveAnswer();
            Secret value = Canary.secret("blg_oauth_rt_");

            WriteResult result;
            try (AwsSecretsManagerSource flakySource = AwsSecretsManagerSource.builder().client(flaky).build()) {
                result = flakySource.write(ref(name), value, Optional.of(base));
            }

            assertThat(result.isWritten()).isTrue();
            assertThat(secrets.stages(name).get(result.version().orElseThrow())).containsExactly("AWSCURRENT");
            assertThat(secrets.currentValue(name)).isEqualTo(value.reveal());
        }

        @Test
        void retryAfterALostAnswerThatCouldNotBeCheckedReportsTheEarlierWrite() {
            String name = secrets.name("lost-retry");
            String base = secrets.create(name, fakeKey());
            FlakyClient flaky = new FlakyClient(aws);
            Secret value = Canary.secret("blg_oauth_rt_");
            try (AwsSecretsManagerSource flakySource = AwsSecretsManagerSource.builder().client(flaky).build()) {
                flaky.loseNextMoveAnswer();
                flaky.failNextDescribe();
                assertThatThrownBy(() -> flakySource.write(ref(name), value, Optional.of(base)))
                        .isInstanceOf(com.bigledger.auth.SourceUnavailableException.class);
                int versionsAfterFirstAttempt = secrets.stages(name).size();

                WriteResult retried = flakySource.write(ref(name), value, Optional.of(base));

                assertThat(retried.isWritten()).as("%s", retried).isTrue();
                assertThat(secrets.stages(name)).hasSize(versionsAfterFirstAttempt);
                assertThat(secrets.stages(name).get(retried.version().orElseThrow())).containsExactly("AWSCURRENT");
                assertThat(secrets.currentValue(name)).isEqualTo(value.reveal());
            }
        }
    }

    @Nested
    class Pacing {

        private final FakeClock clock = new FakeClock();
        private final AwsSecretsManagerSource source = moto.source()
                .minWriteInterval(Duration.ofMinutes(10))
                .clock(clock)
                .build();

        @AfterEach
        void closeSource() {
            source.close();
        }

        @Test
        void writeInsideTheIntervalIsRefusedBeforeAnyRequestThenAllowedOnceItPasses() {
            String name = secrets.name("paced");
            String base = secrets.create(name, fakeKey());
            WriteResult first = source.write(ref(name), Canary.secret("blg_oauth_rt_"), Optional.of(base));
            Instant firstWrite = clock.instant();
            clock.advance(Duration.ofMinutes(3));
            Secret latest = Canary.secret("blg_oauth_rt_");

            WritePacedException paced = catchThrowableOfType(WritePacedException.class,
                    () -> source.write(ref(name), latest, first.version()));

            assertThat(paced.notBefore()).isEqualTo(firstWrite.plus(Duration.ofMinutes(10)));
            assertThat(paced.retryable()).isTrue();
            assertThat(paced).hasMessageContaining(ref(name).toString());
            assertThat(secrets.stages(name)).hasSize(2);

            clock.advance(Duration.ofMinutes(7));
            WriteResult second = source.write(ref(name), latest, first.version());

            assertThat(second.isWritten()).isTrue();
            assertThat(secrets.currentValue(name)).isEqualTo(latest.reveal());
        }

        @Test
        void tokenManagerCoalescesRotationsInsideTheIntervalIntoOneWriteOfTheLatestToken() throws Exception {
            FakeScheduler scheduler = new FakeScheduler(clock);
            ExecutorService threads = Executors.newCachedThreadPool();
            FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
            String clientSecret = Canary.value("");
            FakeTokenEndpoint.RotatingIssuer issuer = new FakeTokenEndpoint.RotatingIssuer("it-client", clientSecret,
                    3600);
            endpoint.dispatcher(issuer);
            String name = secrets.name("rotation");
            secrets.create(name, json("refresh_token", issuer.issueRefreshToken(), "client_id", "it-client"));
            CredentialRef ref = ref(name).withField("refresh_token");
            List<String> events = new CopyOnWriteArrayList<>();
            try (CredentialVault vault = CredentialVault.builder().source(source).discoverSources(false).build();
                    TokenManager manager = TokenManager.builder()
                            .client(OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("it-client")
                                    .clientSecret(Secret.of(clientSecret)).allowInsecureLoopback(true).build())
                            .refreshToken(vault, ref)
                            .clock(clock)
                            .scheduler(scheduler)
                            .jitter(0)
                            .watchdog(Duration.ofHours(2))
                            .addListener(new TokenListener() {
                                @Override
                                public void writeBackSucceeded(String m, CredentialRef r, Optional<String> v) {
                                    events.add("written");
                                }

                                @Override
                                public void writeBackFailed(String m, CredentialRef r, RuntimeException e,
                                        Duration retryIn) {
                                    events.add("failed " + e.getClass().getSimpleName());
                                }

                                @Override
                                public void writeBackConflict(String m, CredentialRef r, Optional<String> v) {
                                    events.add("conflict");
                                }
                            })
                            .build()) {
                Future<AccessToken> fetched = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
                AccessToken token = scheduler.runUntilDone(fetched);
                // Two more rotations at once, as after two 401s: both inside the 10 minutes after the first write.
                for (int i = 0; i < 2; i++) {
                    manager.invalidate(token);
                    scheduler.runDue();
                    token = manager.token(Duration.ZERO);
                }
                List<String> issued = issuer.refreshTokens();
                assertThat(issued).hasSize(4);
                assertThat(events).containsExactly("written", "failed WritePacedException",
                        "failed WritePacedException");
                assertThat(source.load(ref).secret().reveal()).isEqualTo(issued.get(1));

                scheduler.advance(Duration.ofMinutes(10));

                assertThat(events).endsWith("written").filteredOn("written"::equals).hasSize(2);
                assertThat(source.load(ref).secret().reveal()).isEqualTo(issued.get(3));
                assertThat(issuer.isLive(issued.get(3))).isTrue();
                // The first version, the first rotation, the latest: the rotation in between was never written.
                assertThat(secrets.stages(name)).hasSize(3);
                assertThat(source.load(ref(name).withField("client_id")).secret().reveal()).isEqualTo("it-client");
            } finally {
                endpoint.close();
                threads.shutdownNow();
                assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Nested
    class RotationInTheVault {

        private static final Duration TTL = Duration.ofMinutes(5);

        private final FakeClock clock = new FakeClock();
        private final FakeScheduler scheduler = new FakeScheduler(clock);
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final AwsSecretsManagerSource source = moto.source().build();
        private final CredentialVault vault = CredentialVault.builder()
                .source(source)
                .discoverSources(false)
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .ttl(TTL)
                .build();

        @AfterEach
        void close() throws InterruptedException {
            vault.close();
            source.close();
            threads.shutdownNow();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        private Secret firstGet(CredentialHandle handle) throws Exception {
            Future<Secret> value = threads.submit(() -> handle.get());
            return scheduler.runUntilDone(value);
        }

        @Test
        void rotatedSecretIsPickedUpWhenItsTtlEnds() throws Exception {
            String name = secrets.name("vault-ttl");
            String first = fakeKey();
            secrets.create(name, json("client_secret", first, "client_id", "it"));
            CredentialHandle handle = vault.handle(ref(name).withField("client_secret"));
            assertThat(firstGet(handle).reveal()).isEqualTo(first);

            String rotated = fakeKey();
            String rotatedVersion = secrets.put(name, json("client_secret", rotated, "client_id", "it"));
            scheduler.advance(TTL.minusSeconds(1));
            assertThat(handle.get(Duration.ZERO).reveal()).isEqualTo(first);

            scheduler.advance(Duration.ofSeconds(1));

            assertThat(handle.get(Duration.ZERO).reveal()).isEqualTo(rotated);
            assertThat(handle.versioned().version()).contains(rotatedVersion);
        }

        @Test
        void rotatedSecretIsPickedUpAtOnceAfterInvalidate() throws Exception {
            String name = secrets.name("vault-invalidate");
            String first = fakeKey();
            secrets.create(name, first);
            CredentialHandle handle = vault.handle(ref(name));
            assertThat(firstGet(handle).reveal()).isEqualTo(first);

            String rotated = fakeKey();
            secrets.put(name, rotated);
            assertThat(vault.invalidate(ref(name))).isEqualTo(1);
            scheduler.runDue();

            assertThat(handle.get(Duration.ZERO).reveal()).isEqualTo(rotated);
        }
    }

    @Nested
    class Logging {

        @Test
        void sdkDebugLogsShowTheRequestsButNoValue() {
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PrintStream tee = new PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    captured.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    original.write(bytes, offset, length);
                    captured.write(bytes, offset, length);
                }
            }, true, StandardCharsets.UTF_8);
            System.setErr(tee);
            try (AwsSecretsManagerSource source = moto.source().build()) {
                String name = secrets.name("logged");
                CredentialRef ref = ref(name).withField("refresh_token");
                WriteResult created = source.write(ref, Canary.secret("blg_oauth_rt_"), Optional.empty());
                VersionedSecret read = source.load(ref);
                WriteResult rotated = source.write(ref, Canary.secret("blg_oauth_rt_"), created.version());
                WriteResult conflict = source.write(ref, Canary.secret("blg_oauth_rt_"), created.version());
                source.write(ref(secrets.name("logged-binary")), Secret.ofBytes(new byte[] {(byte) 0xff, 1, 2}),
                        Optional.empty());
                assertThat(read.secret()).isNotNull();
                assertThat(rotated.isWritten()).isTrue();
                assertThat(conflict.isConflict()).isTrue();
            } finally {
                System.setErr(original);
            }

            String logged = captured.toString(StandardCharsets.UTF_8);
            assertThat(logged).contains("software.amazon.awssdk.request").contains("Sending Request")
                    .contains("secretsmanager.PutSecretValue").contains("secretsmanager.GetSecretValue");
            assertThat(Canary.leaksIn(logged)).as("a secret value in the SDK's debug log").isFalse();
        }
    }

    @Nested
    class EnvironmentConfiguration {

        @Test
        void discoveredSourceReachesTheEndpointInAwsEndpointUrlSecretsManager() throws Exception {
            String name = secrets.name("from-env");
            String version = secrets.create(name, fakeKey());

            ChildRun run = resolveInChild("aws-sm:" + name, true);

            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output).contains("version=" + version);
        }

        @Test
        void anHttpEndpointInAwsEndpointUrlSecretsManagerNeedsTheOptIn() throws Exception {
            String name = secrets.name("from-env-refused");
            secrets.create(name, fakeKey());

            ChildRun run = resolveInChild("aws-sm:" + name, false);

            assertThat(run.exitCode).isNotZero();
            assertThat(run.output).contains("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString(),
                    AwsSecretsManagerSource.ALLOW_INSECURE_LOOPBACK_VARIABLE).doesNotContain("version=");
        }

        /** Resolves a reference in a child JVM whose AWS settings come from its environment alone. */
        private ChildRun resolveInChild(String ref, boolean optIn) throws Exception {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    ResolveInChildProcess.class.getName(), ref)
                    .redirectErrorStream(true);
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(variable -> variable.startsWith("AWS_"));
            environment.remove(AwsSecretsManagerSource.ALLOW_INSECURE_LOOPBACK_VARIABLE);
            environment.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
            if (optIn) {
                environment.put(AwsSecretsManagerSource.ALLOW_INSECURE_LOOPBACK_VARIABLE, "true");
            }
            environment.put("AWS_REGION", "us-east-1");
            environment.put("AWS_ACCESS_KEY_ID", "testing");
            environment.put("AWS_SECRET_ACCESS_KEY", "testing");
            environment.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            environment.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String text = new String(output, StandardCharsets.UTF_8);
            assertThat(Canary.leaksIn(text)).as("a secret value in the child's output").isFalse();
            return new ChildRun(process.exitValue(), text);
        }
    }

    /** What a child JVM printed, and its exit code. */
    private record ChildRun(int exitCode, String output) {
    }
}
