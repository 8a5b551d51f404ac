package dev.multipartuploadsts.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.multipartuploadsts.ledger.ItemKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The ledger routes against moto's DynamoDB (one request at a time, as DynamoDB isolates transactions) and
 * WireMock as STS: grants, quotas and their races, refresh, list and abort, and every error they answer.
 */
class LedgerRoutesTest {

    private static final String START = CredentialsHandler.START_ROUTE;
    private static final String REFRESH = CredentialsHandler.REFRESH_ROUTE;
    private static final String LIST = CredentialsHandler.LIST_ROUTE;
    private static final String ABORT = CredentialsHandler.ABORT_ROUTE;
    private static final String OWNER = Owners.encode(Events.SUBJECT);
    private static final Instant MORNING = Instant.parse("2026-11-22T07:00:00Z");

    private static WireMockServer sts;
    private static StsClient stsClient;
    private static DynamoDbClient dynamo;

    private final List<String> log = new ArrayList<>();
    private final Map<String, String> env = ConfigTest.validEnvironment();
    private MutableClock clock;

    @BeforeAll
    static void startServices() {
        sts = StsStubs.startServer();
        stsClient = StsStubs.client(sts);
        dynamo = MotoDynamoDb.client();
    }

    @AfterAll
    static void stopServices() {
        stsClient.close();
        dynamo.close();
        sts.stop();
    }

    @BeforeEach
    void freshLedger() {
        sts.resetAll();
        sts.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(StsStubs.assumeRoleAnswer())));
        MotoDynamoDb.freshTable(dynamo, env.get("LEDGER_TABLE"));
        clock = new MutableClock(MORNING);
    }

    @Test
    void recordsTheGrantWithItsQuotaBeforeCredentialsLeave() {
        Answer answer = start(Events.SUBJECT, "../My Clip?.mp4", 1_048_576, "video/mp4");

        assertThat(answer.status).isEqualTo(200);
        String key = (String) answer.body.get("key");
        String uploadId = key.split("/")[2];
        Map<String, AttributeValue> grant = item(OWNER, ItemKeys.grant(uploadId));
        assertThat(grant).containsEntry("key", s(key))
                .containsEntry("fileName", s("../My Clip?.mp4"))
                .containsEntry("declaredSize", n(1_048_576))
                .containsEntry("contentType", s("video/mp4"))
                .containsEntry("partSize", n(8L * 1024 * 1024))
                .containsEntry("state", s("granted"))
                .containsEntry("createdAt", s("2026-11-22T07:00:00.000Z"))
                .containsEntry("updatedAt", s("2026-11-22T07:00:00.000Z"))
                // created + the default maximum age (2 days) + the abort window (2 days)
                .containsEntry("expiresAt", n(MORNING.getEpochSecond() + 4 * 86_400));
        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(1));
        assertThat(item(OWNER, "quota#2026-11-22")).containsEntry("declaredBytes", n(1_048_576))
                .containsEntry("expiresAt", n(Instant.parse("2026-11-24T00:00:00Z").getEpochSecond()));
        assertThat(uploadId).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void refusesTheUploadOverTheOpenLimitWith429NamingLimitUsageAndWhenItFreesUp() {
        env.put("MAX_OPEN_UPLOADS_PER_USER", "2");
        start(Events.SUBJECT, "a", 1, null);
        start(Events.SUBJECT, "b", 1, null);

        Answer answer = start(Events.SUBJECT, "c", 1, null);

        assertThat(answer.status).isEqualTo(429);
        assertThat(answer.body).containsEntry("error", "quota_exceeded").containsEntry("message",
                "at most 2 uploads may be open at once, and 2 of yours are: one frees up when an upload completes, is"
                        + " aborted (POST /uploads/abort) or is 172800 seconds old");
        assertThat(answer.headers).doesNotContainKey("Retry-After");
        assertThat(sts.getAllServeEvents()).hasSize(2);
        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(2));
        assertThat(lastLogLine()).containsEntry("outcome", "quota_exceeded").containsEntry("status", 429L);
    }

    @Test
    void refusesDeclaredBytesOverTheDailyLimitUntilTheNextUtcDay() {
        env.put("MAX_BYTES_PER_USER_PER_DAY", "100");
        assertThat(start(Events.SUBJECT, "a", 60, null).status).isEqualTo(200);

        Answer answer = start(Events.SUBJECT, "b", 41, null);

        assertThat(answer.status).isEqualTo(429);
        assertThat(answer.body).containsEntry("message", "at most 100 bytes may be declared per UTC day, 60 are"
                + " declared today and this upload declares 41: the limit frees up at 2026-11-23T00:00:00Z");
        assertThat(answer.headers).containsEntry("Retry-After", Long.toString(17 * 3600));
        assertThat(start(Events.SUBJECT, "c", 40, null).status).as("exactly at the limit").isEqualTo(200);
        assertThat(item(OWNER, "quota")).as("a refused start takes no slot").containsEntry("openGrants", n(2));

        clock.advance(Duration.ofHours(17));
        assertThat(start(Events.SUBJECT, "d", 100, null).status).as("a new UTC day").isEqualTo(200);
        assertThat(sts.getAllServeEvents()).hasSize(3);
    }

    @Test
    void refusesAnUploadLargerThanTheDailyLimitWithoutTouchingTheLedger() {
        env.put("MAX_BYTES_PER_USER_PER_DAY", "100");

        Answer answer = start(Events.SUBJECT, "a", 101, null);

        assertThat(answer.status).isEqualTo(429);
        assertThat(answer.body).containsEntry("message", "at most 100 bytes may be declared per UTC day, but this"
                + " upload alone declares 101: it can never fit; ask the operator for a higher limit");
        assertThat(item(OWNER, "quota")).isEmpty();
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void letsExactlyOneOfTwoParallelStartsTakeTheLastOpenSlot() throws Exception {
        env.put("MAX_OPEN_UPLOADS_PER_USER", "1");
        for (int round = 0; round < 5; round++) {
            MotoDynamoDb.freshTable(dynamo, env.get("LEDGER_TABLE"));
            sts.resetRequests();

            List<Answer> answers = inParallel(() -> start(Events.SUBJECT, "a", 1, null),
                    () -> start(Events.SUBJECT, "b", 1, null));

            assertThat(answers).extracting(a -> a.status).as("round " + round).containsExactlyInAnyOrder(200, 429);
            assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(1));
            assertThat(sts.getAllServeEvents()).hasSize(1);
        }
    }

    @Test
    void letsExactlyOneOfTwoParallelStartsTakeTheLastBytesOfTheDay() throws Exception {
        env.put("MAX_BYTES_PER_USER_PER_DAY", "100");
        for (int round = 0; round < 5; round++) {
            MotoDynamoDb.freshTable(dynamo, env.get("LEDGER_TABLE"));

            List<Answer> answers = inParallel(() -> start(Events.SUBJECT, "a", 60, null),
                    () -> start(Events.SUBJECT, "b", 60, null));

            assertThat(answers).extracting(a -> a.status).as("round " + round).containsExactlyInAnyOrder(200, 429);
            assertThat(item(OWNER, "quota#2026-11-22")).containsEntry("declaredBytes", n(60));
        }
    }

    @Test
    void refreshesAnOpenGrantYoungerThanTheMaximumAge() {
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        clock.advance(Duration.ofSeconds(172_799));

        Answer answer = call(Events.post(REFRESH, keyBody(key)));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).containsEntry("key", key);
    }

    @Test
    void refusesToRefreshAGrantAtTheMaximumAgeNamingWhenItStarted() {
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        clock.advance(Duration.ofSeconds(172_800));
        sts.resetRequests();

        Answer answer = call(Events.post(REFRESH, keyBody(key)));

        assertThat(answer.status).isEqualTo(409);
        assertThat(answer.body).containsEntry("error", "grant_expired").containsEntry("message",
                "credentials are refreshed only within 172800 seconds of the upload's start, but it started at"
                        + " 2026-11-22T07:00:00.000Z; start the upload again");
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesToRefreshAnUploadThatEndedNamingItsState() {
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        String uploadId = key.split("/")[2];
        dynamo.updateItem(r -> r.tableName(env.get("LEDGER_TABLE"))
                .key(Map.of("owner", s(OWNER), "item", s(ItemKeys.grant(uploadId))))
                .updateExpression("SET #state = :completed")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":completed", s("completed"))));
        sts.resetRequests();

        Answer answer = call(Events.post(REFRESH, keyBody(key)));

        assertThat(answer.status).isEqualTo(409);
        assertThat(answer.body).containsEntry("error", "grant_not_open").containsEntry("message",
                "credentials are refreshed only while the upload is granted, but it is completed");
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesToRefreshAKeyWithoutAGrant() {
        String key = "uploads/" + OWNER + "/" + UploadIds.next(MORNING) + "/clip.mp4";

        Answer answer = call(Events.post(REFRESH, keyBody(key)));

        assertThat(answer.status).isEqualTo(403);
        assertThat(answer.body).containsEntry("error", "no_grant").containsEntry("message", "key must be an upload"
                + " of yours that the ledger holds, but it has no grant (not started by this service, or removed after"
                + " it ended)");
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesToRefreshTheGrantsUploadIdUnderAnotherFileName() {
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        sts.resetRequests();

        Answer answer = call(Events.post(REFRESH, keyBody(key.replace("clip.mp4", "other.mp4"))));

        assertThat(answer.status).isEqualTo(403);
        assertThat(answer.body).containsEntry("error", "forbidden_key")
                .containsEntry("message", "key must be exactly as a start request returned it, but it is not");
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void abortMarksTheGrantAbortedAndFreesItsSlot() {
        env.put("MAX_OPEN_UPLOADS_PER_USER", "1");
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        clock.advance(Duration.ofMinutes(5));

        Answer answer = call(Events.post(ABORT, keyBody(key)));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).containsExactly(Map.entry("key", key), Map.entry("state", "aborted"));
        Map<String, AttributeValue> grant = item(OWNER, ItemKeys.grant(key.split("/")[2]));
        assertThat(grant).containsEntry("state", s("aborted")).containsEntry("reason", s("user_aborted"))
                .containsEntry("updatedAt", s("2026-11-22T07:05:00.000Z")).doesNotContainKey("expiresAt");
        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(0));
        assertThat(start(Events.SUBJECT, "next.mp4", 1, null).status).isEqualTo(200);
        assertThat(lastLogLine()).containsEntry("outcome", "issued");
    }

    @Test
    void abortingTwiceSucceedsAndFreesTheSlotOnce() {
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        start(Events.SUBJECT, "other.mp4", 1, null);

        assertThat(call(Events.post(ABORT, keyBody(key))).status).isEqualTo(200);
        assertThat(call(Events.post(ABORT, keyBody(key))).status).isEqualTo(200);

        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(1));
    }

    @Test
    void refusesToAbortAnotherUsersUploadOrOneWithoutAGrant() {
        String alicesKey = (String) start("alice", "clip.mp4", 1, null).body.get("key");

        Answer others = call(Events.post(ABORT, keyBody(alicesKey)));
        Answer missing = call(Events.post(ABORT, keyBody("uploads/" + OWNER + "/" + UploadIds.next(MORNING) + "/a")));

        assertThat(others.status).isEqualTo(403);
        assertThat(others.body).containsEntry("error", "forbidden_key");
        assertThat(missing.status).isEqualTo(403);
        assertThat(missing.body).containsEntry("error", "no_grant");
        assertThat(item(Owners.encode("alice"), ItemKeys.grant(alicesKey.split("/")[2])))
                .containsEntry("state", s("granted"));
    }

    @Test
    void refusesToAbortAnUploadThatCompletedNamingItsState() {
        String key = (String) start(Events.SUBJECT, "clip.mp4", 1, null).body.get("key");
        dynamo.updateItem(r -> r.tableName(env.get("LEDGER_TABLE"))
                .key(Map.of("owner", s(OWNER), "item", s(ItemKeys.grant(key.split("/")[2]))))
                .updateExpression("SET #state = :completed")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":completed", s("completed"))));

        Answer answer = call(Events.post(ABORT, keyBody(key)));

        assertThat(answer.status).isEqualTo(409);
        assertThat(answer.body).containsEntry("error", "grant_not_open")
                .containsEntry("message", "only an upload that is granted can be aborted, but it is completed");
        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(1));
    }

    @Test
    void expiresGrantsPastTheMaximumAgeWhenTheOpenLimitIsReached() {
        env.put("MAX_OPEN_UPLOADS_PER_USER", "1");
        env.put("GRANT_MAX_AGE_SECONDS", "900");
        String stale = (String) start(Events.SUBJECT, "old.mp4", 1, null).body.get("key");
        clock.advance(Duration.ofSeconds(901));

        Answer answer = start(Events.SUBJECT, "new.mp4", 1, null);

        assertThat(answer.status).isEqualTo(200);
        assertThat(item(OWNER, ItemKeys.grant(stale.split("/")[2]))).containsEntry("state", s("expired"))
                .containsEntry("reason", s("max_age_reached")).doesNotContainKey("expiresAt");
        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(1));
    }

    @Test
    void listsTheCallersOwnUploadsNewestFirstPageByPage() {
        List<String> keys = new ArrayList<>();
        for (String name : List.of("one.mp4", "two.mp4", "three.mp4")) {
            keys.add((String) start(Events.SUBJECT, name, 1, "video/mp4").body.get("key"));
            clock.advance(Duration.ofSeconds(1));
        }
        start("alice", "alices.mp4", 1, null);

        Answer first = call(Events.getAs(Events.SUBJECT, LIST, Map.of("limit", "2")));

        assertThat(first.status).isEqualTo(200);
        assertThat(keysOf(first)).containsExactly(keys.get(2), keys.get(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> newest = ((List<Map<String, Object>>) first.body.get("uploads")).get(0);
        assertThat(newest).containsEntry("fileName", "three.mp4").containsEntry("state", "granted")
                .containsEntry("declaredSize", 1L).containsEntry("contentType", "video/mp4")
                .containsEntry("partSize", 8L * 1024 * 1024).containsEntry("createdAt", "2026-11-22T07:00:02.000Z")
                .doesNotContainKeys("owner", "item", "expiresAt");
        Answer second = call(Events.getAs(Events.SUBJECT, LIST,
                Map.of("limit", "2", "cursor", (String) first.body.get("cursor"))));
        assertThat(keysOf(second)).containsExactly(keys.get(0));
        assertThat(lastLogLine()).containsEntry("outcome", "listed").containsEntry("route", LIST);
    }

    @Test
    void refusesACursorGivenToAnotherUser() {
        start("alice", "a.mp4", 1, null);
        start("alice", "b.mp4", 1, null);
        String alicesCursor = (String) call(Events.getAs("alice", LIST, Map.of("limit", "1"))).body.get("cursor");

        Answer answer = call(Events.getAs(Events.SUBJECT, LIST, Map.of("cursor", alicesCursor)));

        assertThat(answer.status).isEqualTo(403);
        assertThat(answer.body).containsEntry("error", "forbidden_cursor").containsEntry("message",
                "cursor must be one that GET /uploads gave you, but it was given to another user");
    }

    @Test
    void answers400ForAMalformedCursorOrLimit() {
        Answer cursor = call(Events.getAs(Events.SUBJECT, LIST, Map.of("cursor", "not a cursor!")));
        Answer limit = call(Events.getAs(Events.SUBJECT, LIST, Map.of("limit", "500")));
        Answer text = call(Events.getAs(Events.SUBJECT, LIST, Map.of("limit", "ten")));

        assertThat(cursor.status).isEqualTo(400);
        assertThat(cursor.body).containsEntry("error", "invalid_cursor").containsEntry("message",
                "cursor must be exactly as a previous GET /uploads answer gave it, but it is not");
        assertThat(limit.body).containsEntry("error", "invalid_field")
                .containsEntry("message", "limit must be a whole number from 1 to 100, but 500 was given");
        assertThat(text.body).containsEntry("message", "limit must be a whole number from 1 to 100, but ten was given");
    }

    @Test
    void listsNothingForANewUser() {
        Answer answer = call(Events.getAs(Events.SUBJECT, LIST, Map.of()));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).containsExactly(Map.entry("uploads", List.of()));
    }

    @Test
    void releasesTheSlotOfAStartWhoseStsCallFailedSoRetriesDoNotUseUpTheQuota() {
        env.put("MAX_OPEN_UPLOADS_PER_USER", "1");
        sts.resetAll();
        sts.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/xml")
                .withBody(StsStubs.error("Receiver", "ServiceUnavailable", "busy"))));

        Answer failed = start(Events.SUBJECT, "clip.mp4", 1, null);
        Answer retried = start(Events.SUBJECT, "clip.mp4", 1, null);

        assertThat(failed.status).isEqualTo(503);
        assertThat(retried.status).as("the slot came back").isEqualTo(503);
        assertThat(item(OWNER, "quota")).containsEntry("openGrants", n(0));
        List<Map<String, AttributeValue>> grants = dynamo.scan(r -> r.tableName(env.get("LEDGER_TABLE"))).items()
                .stream().filter(i -> i.get("item").s().startsWith("upload#")).toList();
        assertThat(grants).hasSize(2).allSatisfy(grant -> assertThat(grant)
                .containsEntry("state", s("aborted")).containsEntry("reason", s("credentials_not_issued")));
    }

    @Test
    void answers503WithRetryAfterAndCallsNoStsWhenTheLedgerIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (DynamoDbClient unreachable = AwsClients.dynamoDb("eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                URI.create("http://127.0.0.1:" + closedPort))) {
            CredentialsHandler handler = new CredentialsHandler(Config.fromEnvironment(env), stsClient, unreachable,
                    () -> UploadIds.next(clock.instant()), clock, log::add);

            Answer answer = Answer.of(handler, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"), null);

            assertThat(answer.status).isEqualTo(503);
            assertThat(answer.headers).containsEntry("Retry-After", "2");
            assertThat(answer.body).containsEntry("error", "ledger_unavailable").containsEntry("message",
                    "The upload ledger is unavailable right now; retry after a short wait.");
            assertThat(sts.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void mapsLedgerErrorsTheOperatorMustFixTo500AndThrottlingTo503() {
        WireMockServer fakeDynamo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort());
        fakeDynamo.start();
        try (DynamoDbClient client = AwsClients.dynamoDb("eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                URI.create(fakeDynamo.baseUrl()))) {
            CredentialsHandler handler = new CredentialsHandler(Config.fromEnvironment(env), stsClient, client,
                    () -> UploadIds.next(clock.instant()), clock, log::add);
            String event = Events.post(START, "{\"fileName\":\"a\",\"size\":1}");

            fakeDynamo.stubFor(post(urlEqualTo("/")).willReturn(dynamoError("AccessDeniedException",
                    "User is not authorized to perform: dynamodb:TransactWriteItems")));
            Answer denied = Answer.of(handler, event, null);
            fakeDynamo.stubFor(post(urlEqualTo("/")).willReturn(dynamoError("ThrottlingException", "Rate exceeded")));
            Answer throttled = Answer.of(handler, event, null);
            fakeDynamo.stubFor(post(urlEqualTo("/")).willReturn(dynamoError("TransactionCanceledException",
                    "Transaction cancelled", "[{\"Code\":\"None\"},{\"Code\":\"TransactionConflict\"},{\"Code\":\"None\"}]")));
            Answer conflicted = Answer.of(handler, event, null);

            assertThat(denied.status).isEqualTo(500);
            assertThat(denied.rawBody).doesNotContain("AccessDenied", "dynamodb:");
            assertThat(log.get(0)).contains("DynamoDB answered 400 AccessDeniedException: User is not authorized");
            assertThat(throttled.status).isEqualTo(503);
            assertThat(throttled.body).containsEntry("error", "throttled");
            assertThat(conflicted.status).isEqualTo(503);
            assertThat(conflicted.body).containsEntry("error", "ledger_unavailable");
            assertThat(conflicted.headers).containsEntry("Retry-After", "2");
            assertThat(sts.getAllServeEvents()).isEmpty();
        } finally {
            fakeDynamo.stop();
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder dynamoError(String type,
            String message, String... cancellationReasons) {
        String reasons = cancellationReasons.length == 0 ? "" : ",\"CancellationReasons\":" + cancellationReasons[0];
        return aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message
                        + "\"" + reasons + "}");
    }

    private Answer start(String subject, String fileName, long size, String contentType) {
        String body = "{\"fileName\":" + Events.quote(fileName) + ",\"size\":" + size
                + (contentType == null ? "" : ",\"contentType\":" + Events.quote(contentType)) + "}";
        return call(Events.postAs(subject, START, body));
    }

    private Answer call(String event) {
        CredentialsHandler handler = new CredentialsHandler(Config.fromEnvironment(env), stsClient, dynamo,
                () -> UploadIds.next(clock.instant()), clock, log::add);
        return Answer.of(handler, event, null);
    }

    @SafeVarargs
    private static List<Answer> inParallel(java.util.concurrent.Callable<Answer>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            CountDownLatch ready = new CountDownLatch(calls.length);
            List<Future<Answer>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<Answer> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return call.call();
                }));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, AttributeValue> item(String owner, String item) {
        Map<String, AttributeValue> found = dynamo.getItem(r -> r.tableName(env.get("LEDGER_TABLE"))
                .key(Map.of("owner", s(owner), "item", s(item))).consistentRead(true)).item();
        return found == null ? Map.of() : new HashMap<>(found);
    }

    private Map<String, Object> lastLogLine() {
        return JsonTree.object(log.get(log.size() - 1));
    }

    @SuppressWarnings("unchecked")
    private static List<String> keysOf(Answer answer) {
        return ((List<Map<String, Object>>) answer.body.get("uploads")).stream().map(u -> (String) u.get("key")).toList();
    }

    private static String keyBody(String key) {
        return "{\"key\":" + Events.quote(key) + "}";
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    @AfterEach
    void noSecretsInTheLog() {
        assertThat(log).noneMatch(line -> line.contains(StsStubs.SECRET_ACCESS_KEY) || line.contains(Events.SUBJECT));
    }
}
