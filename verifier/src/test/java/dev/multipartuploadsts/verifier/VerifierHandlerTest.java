package dev.multipartuploadsts.verifier;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.multipartuploadsts.verifier.AwsStubs.GET_ITEM;
import static dev.multipartuploadsts.verifier.AwsStubs.PUT_EVENTS;
import static dev.multipartuploadsts.verifier.AwsStubs.TRANSACT_WRITE;
import static dev.multipartuploadsts.verifier.AwsStubs.UPDATE_ITEM;
import static dev.multipartuploadsts.verifier.AwsStubs.dynamo;
import static dev.multipartuploadsts.verifier.AwsStubs.dynamoError;
import static dev.multipartuploadsts.verifier.AwsStubs.eventsAccepted;
import static dev.multipartuploadsts.verifier.AwsStubs.grantItem;
import static dev.multipartuploadsts.verifier.AwsStubs.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The handler against WireMock standing in for S3, DynamoDB and EventBridge: for every outcome, the exact ledger
 * write, event and removal on the wire, and which messages go back to the queue.
 */
class VerifierHandlerTest {

    private static final String BUCKET = "upload-bucket-1";
    private static final String TABLE = "uploads-ledger";
    private static final String BUS = "uploads-app-bus";
    private static final String OWNER = "mfrggzdfmztwq2lknnwg23tpobyxe43u";
    private static final String OTHER_OWNER = "mjsxey3f";
    private static final String UPLOAD_ID = "01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f";
    private static final String KEY = "uploads/" + OWNER + "/" + UPLOAD_ID + "/My_clip_final.mp4";
    private static final long SIZE = 1_048_576;
    private static final String ETAG = "9b2cf535f27731c974343645a3985328-2";
    private static final Instant NOW = Instant.parse("2026-12-02T00:41:05Z");

    private static WireMockServer aws;
    private static S3Client s3;
    private static DynamoDbClient dynamoClient;
    private static EventBridgeClient eventsClient;
    private static AwsStubs stubs;

    private final List<String> log = new ArrayList<>();

    @BeforeAll
    static void startAws() {
        aws = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        aws.start();
        URI endpoint = URI.create(aws.baseUrl());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDVERIFIER", "verifier-secret"));
        s3 = AwsClients.s3("eu-west-1", credentials, endpoint, Map.of());
        dynamoClient = AwsClients.dynamo("eu-west-1", credentials, endpoint);
        eventsClient = AwsClients.events("eu-west-1", credentials, endpoint);
        stubs = new AwsStubs(aws, BUCKET);
    }

    @AfterAll
    static void stopAws() {
        s3.close();
        dynamoClient.close();
        eventsClient.close();
        aws.stop();
    }

    @BeforeEach
    void reset() {
        aws.resetAll();
        aws.stubFor(dynamo(PUT_EVENTS).willReturn(eventsAccepted()));
        aws.stubFor(dynamo(TRANSACT_WRITE).willReturn(json(200, "{}")));
        aws.stubFor(dynamo(UPDATE_ITEM).willReturn(json(200, "{}")));
        aws.stubFor(stubs.deleteAnswers(KEY, 204));
    }

    // --- completion -------------------------------------------------------------------------------------------

    @Test
    void completesAGrantedUploadOfTheDeclaredSizeReleasingItsQuotaSlotInTheSameTransaction() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        grantIs("granted", SIZE, null, null);

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        List<?> items = Json.array(onlyCall(TRANSACT_WRITE), "TransactItems");
        assertThat(items).hasSize(2);
        Map<String, Object> grant = Json.object(items.get(0), "Update");
        assertThat(grant.get("TableName")).isEqualTo(TABLE);
        assertThat(grant.get("Key")).isEqualTo(Map.of("owner", Map.of("S", OWNER), "item", Map.of("S", "upload#" + UPLOAD_ID)));
        assertThat(grant.get("ConditionExpression")).isEqualTo("#state = :open");
        assertThat(grant.get("UpdateExpression")).isEqualTo("SET #state = :newState, #actualSize = :size, #etag = :etag, "
                + "#updatedAt = :updatedAt, #checksum = :checksum, #completedAt = :completedAt REMOVE #expiresAt");
        assertThat(Json.object(grant, "ExpressionAttributeValues")).containsAllEntriesOf(Map.of(
                ":open", Map.of("S", "granted"),
                ":newState", Map.of("S", "completed"),
                ":size", Map.of("N", "1048576"),
                ":etag", Map.of("S", ETAG),
                ":checksum", Map.of("S", "CRC64NVME:uS3t6zBAQ1M="),
                ":completedAt", Map.of("S", "2026-12-02T00:41:05.000Z")));
        Map<String, Object> quota = Json.object(items.get(1), "Update");
        assertThat(quota.get("Key")).isEqualTo(Map.of("owner", Map.of("S", OWNER), "item", Map.of("S", "quota")));
        assertThat(quota.get("UpdateExpression")).isEqualTo("SET #openGrants = if_not_exists(#openGrants, :one) - :one");
        assertThat(quota.get("ExpressionAttributeNames")).isEqualTo(Map.of("#openGrants", "openGrants"));
        assertThat(quota.get("ExpressionAttributeValues")).isEqualTo(Map.of(":one", Map.of("N", "1")));
        assertThat(quota).doesNotContainKey("ConditionExpression");

        Map<String, Object> entry = onlyEvent();
        assertThat(entry.get("EventBusName")).isEqualTo(BUS);
        assertThat(entry.get("Source")).isEqualTo("multipart-upload-sts");
        assertThat(entry.get("DetailType")).isEqualTo("Upload Completed");
        assertThat(Json.string(entry, "Detail")).isEqualTo("{\"owner\":\"" + OWNER + "\",\"key\":\"" + KEY + "\","
                + "\"uploadId\":\"" + UPLOAD_ID + "\",\"fileName\":\"My clip (final).mp4\",\"size\":1048576,"
                + "\"declaredSize\":1048576,\"contentType\":\"video/mp4\",\"checksum\":\"CRC64NVME:uS3t6zBAQ1M=\","
                + "\"etag\":\"" + ETAG + "\",\"state\":\"completed\",\"completedAt\":\"2026-12-02T00:41:05.000Z\"}");
        assertThat(aws.findAll(deleteRequestedFor(anyUrl()))).isEmpty();
        assertThat(onlyLogLine()).contains("\"outcome\":\"completed\"", "\"stateBefore\":\"granted\"",
                "\"sequencer\":\"617f08299329d189\"", "\"eventReason\":\"CompleteMultipartUpload\"",
                "\"stateAfter\":\"completed\"", "\"encryption\":\"AES256\"");
    }

    @Test
    void asksS3ForTheStoredChecksumWithChecksumModeEnabled() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        grantIs("granted", SIZE, null, null);

        handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        LoggedRequest head = aws.findAll(headRequestedFor(urlPathEqualTo(stubs.objectPath(KEY)))).get(0);
        assertThat(head.getHeader("x-amz-checksum-mode")).isEqualTo("ENABLED");
    }

    // --- every rejection reason -------------------------------------------------------------------------------

    @Test
    void rejectsAnObjectOfAnotherSizeThanDeclaredThenDeletesExactlyThatWrite() {
        aws.stubFor(stubs.objectIs(KEY, SIZE + 1, ETAG));
        grantIs("granted", SIZE, null, null);

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE + 1, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        Map<String, Object> grant = Json.object(Json.array(onlyCall(TRANSACT_WRITE), "TransactItems").get(0), "Update");
        assertThat(grant.get("ConditionExpression")).isEqualTo("#state = :open");
        assertThat(Json.object(grant, "ExpressionAttributeValues")).containsAllEntriesOf(Map.of(
                ":newState", Map.of("S", "rejected"),
                ":reason", Map.of("S", "size_mismatch"),
                ":size", Map.of("N", "1048577")));
        assertThat(Json.object(grant, "ExpressionAttributeValues")).doesNotContainKey(":completedAt");
        Map<String, Object> detail = rejectedDetail();
        assertThat(detail).containsEntry("reason", "size_mismatch").containsEntry("state", "rejected")
                .containsEntry("size", 1048577L).containsEntry("declaredSize", SIZE)
                .containsEntry("disposition", "deleted").doesNotContainKey("completedAt");
        assertThat(onlyDelete().getHeader("If-Match")).isEqualTo('"' + ETAG + '"');
        assertThat(onlyLogLine()).contains("\"outcome\":\"rejected\"", "\"reason\":\"size_mismatch\"",
                "\"disposition\":\"deleted\"");
    }

    @Test
    void rejectsAnObjectWithoutAGrantWithoutWritingTheLedger() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        aws.stubFor(dynamo(GET_ITEM).willReturn(json(200, "{}")));

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(stubs.calls(TRANSACT_WRITE)).isEmpty();
        assertThat(stubs.calls(UPDATE_ITEM)).isEmpty();
        assertThat(rejectedDetail()).containsEntry("reason", "no_grant").containsEntry("fileName", "My_clip_final.mp4")
                .doesNotContainKey("state").doesNotContainKey("declaredSize");
        assertThat(onlyDelete().getHeader("If-Match")).isEqualTo('"' + ETAG + '"');
    }

    @Test
    void rejectsAnObjectUnderAnotherOwnersPrefixBecauseThatOwnerHoldsNoSuchGrant() {
        // The upload id is the caller's, but the key puts it under another owner: the grant is looked up by the
        // key's owner segment, where it does not exist, so an owner mismatch is a missing grant.
        String foreignKey = "uploads/" + OTHER_OWNER + "/" + UPLOAD_ID + "/My_clip_final.mp4";
        aws.stubFor(stubs.objectIs(foreignKey, SIZE, ETAG));
        aws.stubFor(stubs.deleteAnswers(foreignKey, 204));
        aws.stubFor(dynamo(GET_ITEM).willReturn(json(200, "{}")));

        handle(Messages.objectCreated(BUCKET, foreignKey, SIZE, ETAG));

        assertThat(onlyCall(GET_ITEM).get("Key")).isEqualTo(Map.of("owner", Map.of("S", OTHER_OWNER),
                "item", Map.of("S", "upload#" + UPLOAD_ID)));
        assertThat(onlyCall(GET_ITEM).get("ConsistentRead")).isEqualTo(true);
        assertThat(rejectedDetail()).containsEntry("reason", "no_grant").containsEntry("owner", OTHER_OWNER);
        assertThat(aws.findAll(deleteRequestedFor(urlPathEqualTo(stubs.objectPath(foreignKey))))).hasSize(1);
    }

    @Test
    void rejectsAnObjectWhoseGrantNamesAnotherFileAndLeavesThatGrantOpen() {
        String sibling = "uploads/" + OWNER + "/" + UPLOAD_ID + "/other.mp4";
        aws.stubFor(stubs.objectIs(sibling, SIZE, ETAG));
        aws.stubFor(stubs.deleteAnswers(sibling, 204));
        grantIs("granted", SIZE, null, null);

        handle(Messages.objectCreated(BUCKET, sibling, SIZE, ETAG));

        assertThat(stubs.calls(TRANSACT_WRITE)).isEmpty();
        assertThat(rejectedDetail()).containsEntry("reason", "key_mismatch").containsEntry("state", "granted")
                .containsEntry("fileName", "other.mp4").doesNotContainKey("declaredSize");
        assertThat(aws.findAll(deleteRequestedFor(urlPathEqualTo(stubs.objectPath(sibling))))).hasSize(1);
    }

    @Test
    void rejectsAnObjectThatArrivesAfterTheGrantWasAbortedKeepingAborted() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        grantIs("aborted", SIZE, null, "user_aborted");

        handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(stubs.calls(TRANSACT_WRITE)).isEmpty();
        assertThat(stubs.calls(UPDATE_ITEM)).isEmpty();
        assertThat(rejectedDetail()).containsEntry("reason", "grant_not_open").containsEntry("state", "aborted");
        assertThat(onlyDelete()).isNotNull();
    }

    @Test
    void rejectsAWriteAfterCompletionMovingTheGrantFromCompletedToRejected() {
        aws.stubFor(stubs.objectIs(KEY, 5_000_000_000L, "newer-write"));
        grantIs("completed", SIZE, ETAG, null);

        handle(Messages.objectCreated(BUCKET, KEY, 5_000_000_000L, "newer-write"));

        assertThat(stubs.calls(TRANSACT_WRITE)).isEmpty();
        Map<String, Object> update = onlyCall(UPDATE_ITEM);
        assertThat(update.get("ConditionExpression")).isEqualTo("#state = :completed AND #etag = :completedEtag");
        assertThat(Json.object(update, "ExpressionAttributeValues")).containsAllEntriesOf(Map.of(
                ":completedEtag", Map.of("S", ETAG),
                ":newState", Map.of("S", "rejected"),
                ":etag", Map.of("S", "newer-write"),
                ":reason", Map.of("S", "overwritten_after_completion")));
        assertThat(rejectedDetail()).containsEntry("reason", "overwritten_after_completion");
        assertThat(onlyDelete().getHeader("If-Match")).isEqualTo("\"newer-write\"");
    }

    @Test
    void quarantinesARejectedObjectByCopyingExactlyThatWriteThenDeletingIt() {
        String quarantined = "quarantine/" + KEY;
        aws.stubFor(stubs.objectIs(KEY, SIZE + 1, ETAG));
        aws.stubFor(stubs.copyTo(quarantined));
        grantIs("granted", SIZE, null, null);

        handle(VerifierConfig.RejectedObjects.QUARANTINE, Messages.objectCreated(BUCKET, KEY, SIZE + 1, ETAG));

        LoggedRequest copy = aws.findAll(putRequestedFor(urlPathEqualTo(stubs.objectPath(quarantined)))).get(0);
        assertThat(copy.getHeader("x-amz-copy-source")).isEqualTo(BUCKET + "/" + KEY);
        assertThat(copy.getHeader("x-amz-copy-source-if-match")).isEqualTo('"' + ETAG + '"');
        assertThat(copy.getHeader("x-amz-tagging-directive")).isEqualTo("REPLACE");
        assertThat(onlyDelete().getHeader("If-Match")).isEqualTo('"' + ETAG + '"');
        assertThat(rejectedDetail()).containsEntry("disposition", "quarantined");
        assertThat(onlyLogLine()).contains("\"disposition\":\"quarantined\"");
    }

    @Test
    void deletesARejectedObjectTooLargeForOneCopyEvenInQuarantineModeAndSaysSo() {
        long tooLarge = ObjectStore.MAX_COPY_BYTES + 1;
        aws.stubFor(stubs.objectIs(KEY, tooLarge, ETAG));
        grantIs("granted", SIZE, null, null);

        handle(VerifierConfig.RejectedObjects.QUARANTINE, Messages.objectCreated(BUCKET, KEY, tooLarge, ETAG));

        assertThat(aws.findAll(putRequestedFor(anyUrl()))).isEmpty();
        assertThat(onlyDelete()).isNotNull();
        assertThat(rejectedDetail()).containsEntry("disposition", "deleted_too_large_to_quarantine");
    }

    // --- idempotency and order --------------------------------------------------------------------------------

    @Test
    void aSecondDeliveryOfTheSameEventWritesNothingAndSendsTheCompletedEventAgain() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        aws.stubFor(dynamo(GET_ITEM).inScenario("ledger").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(grant("granted", SIZE, null, null)));
        aws.stubFor(dynamo(TRANSACT_WRITE).inScenario("ledger").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "{}")).willSetStateTo("completed"));
        aws.stubFor(dynamo(GET_ITEM).inScenario("ledger").whenScenarioStateIs("completed")
                .willReturn(grant("completed", SIZE, ETAG, null)));
        String event = Messages.objectCreated(BUCKET, KEY, SIZE, ETAG);

        String response = handle(event, event);

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(stubs.calls(TRANSACT_WRITE)).hasSize(1);
        assertThat(stubs.calls(PUT_EVENTS)).extracting(call -> Json.string(Json.array(call, "Entries").get(0), "DetailType"))
                .containsExactly("Upload Completed", "Upload Completed");
        assertThat(Json.string(Json.array(stubs.calls(PUT_EVENTS).get(1), "Entries").get(0), "Detail"))
                .contains("\"completedAt\":\"2026-12-02T00:40:00.000Z\"");
        assertThat(aws.findAll(deleteRequestedFor(anyUrl()))).isEmpty();
        assertThat(log).hasSize(2);
        assertThat(log.get(1)).contains("\"outcome\":\"already_completed\"");
    }

    @Test
    void anOlderEventArrivingAfterTheNewerWriteWasVerifiedChangesNothing() {
        // Event for write A arrives last; S3 now holds write B, which the ledger already completed.
        aws.stubFor(stubs.objectIs(KEY, SIZE, "write-b"));
        grantIs("completed", SIZE, "write-b", null);

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, "write-a"));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(stubs.calls(TRANSACT_WRITE)).isEmpty();
        assertThat(stubs.calls(UPDATE_ITEM)).isEmpty();
        assertThat(aws.findAll(deleteRequestedFor(anyUrl()))).isEmpty();
        assertThat(onlyLogLine()).contains("\"outcome\":\"already_completed\"", "\"etag\":\"write-b\"");
    }

    @Test
    void anEventForAnObjectAlreadyRemovedIsDoneWithoutTouchingLedgerOrBus() {
        aws.stubFor(stubs.noObject(KEY));

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(stubs.calls(GET_ITEM)).isEmpty();
        assertThat(stubs.calls(PUT_EVENTS)).isEmpty();
        assertThat(onlyLogLine()).contains("\"outcome\":\"object_missing\"");
    }

    @Test
    void finishesARejectionThatStoppedAfterTheLedgerWriteWithTheRecordedReason() {
        aws.stubFor(stubs.objectIs(KEY, SIZE + 1, ETAG));
        grantIs("rejected", SIZE, ETAG, "size_mismatch");

        handle(Messages.objectCreated(BUCKET, KEY, SIZE + 1, ETAG));

        assertThat(stubs.calls(TRANSACT_WRITE)).isEmpty();
        assertThat(rejectedDetail()).containsEntry("reason", "size_mismatch").containsEntry("state", "rejected");
        assertThat(onlyDelete()).isNotNull();
        assertThat(onlyLogLine()).contains("\"outcome\":\"already_rejected\"");
    }

    @Test
    void leavesANewerWriteAloneWhenTheConditionalDeleteFindsIt() {
        aws.stubFor(stubs.objectIs(KEY, SIZE + 1, ETAG));
        aws.stubFor(stubs.deleteAnswers(KEY, 412));
        grantIs("granted", SIZE, null, null);

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE + 1, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(onlyLogLine()).contains("\"outcome\":\"rejected\"", "\"disposition\":\"already_gone\"");
    }

    @Test
    void decidesAgainWhenAnotherVerifierMovedTheGrantFirst() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        aws.stubFor(dynamo(GET_ITEM).inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(grant("granted", SIZE, null, null)));
        aws.stubFor(dynamo(TRANSACT_WRITE).inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(AwsStubs.transactionCancelled()).willSetStateTo("lost"));
        aws.stubFor(dynamo(GET_ITEM).inScenario("race").whenScenarioStateIs("lost")
                .willReturn(grant("completed", SIZE, ETAG, null)));

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(stubs.calls(GET_ITEM)).hasSize(2);
        assertThat(stubs.calls(TRANSACT_WRITE)).hasSize(1);
        assertThat(onlyLogLine()).contains("\"outcome\":\"already_completed\"");
    }

    @Test
    void givesTheMessageBackWhenTheGrantKeepsChanging() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        grantIs("granted", SIZE, null, null);
        aws.stubFor(dynamo(TRANSACT_WRITE).willReturn(AwsStubs.transactionCancelled()));

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}");
        assertThat(stubs.calls(TRANSACT_WRITE)).hasSize(Verifier.MAX_DECISIONS);
        assertThat(stubs.calls(PUT_EVENTS)).isEmpty();
        assertThat(onlyLogLine()).contains("\"outcome\":\"retry\"", "changed while it was being verified");
    }

    // --- data, not crashes ------------------------------------------------------------------------------------

    static Stream<Arguments> messagesThatAreNotUploads() {
        return Stream.of(
                Arguments.of("{not json", "malformed_event", "not well-formed JSON"),
                Arguments.of(Messages.objectCreated(BUCKET, KEY, 1, "e").replace("aws.s3", "my.app"), "malformed_event",
                        "the event must have source aws.s3"),
                Arguments.of(Messages.objectCreated("another-bucket", KEY, 1, "e"), "other_bucket",
                        "the event must be about bucket " + BUCKET + ", but it is about another-bucket"),
                Arguments.of(Messages.objectCreated(BUCKET, "uploads/admin-notes.txt", 1, "e"), "unrecognised_key",
                        "object key must be uploads/<owner>/<uploadId>/<fileName>"),
                Arguments.of(Messages.objectCreated(BUCKET, "uploads/" + OWNER + "/" + UPLOAD_ID + "/red+flower.jpg", 1, "e"),
                        "unrecognised_key", "but \\\"uploads/"));
    }

    @ParameterizedTest
    @MethodSource("messagesThatAreNotUploads")
    void logsAndDropsAMessageThatIsNotAnUploadWithoutAnyAwsCall(String body, String reason, String detail) {
        String response = handle(body);

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(aws.findAll(anyRequestedFor(anyUrl()))).isEmpty();
        assertThat(onlyLogLine()).contains("\"outcome\":\"ignored\"", "\"reason\":\"" + reason + "\"", detail);
    }

    @Test
    void givesBackAMessageWhoseGrantIsUnreadableSoTheDeadLetterQueueKeepsIt() {
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        aws.stubFor(dynamo(GET_ITEM).willReturn(json(200, grantItem(OWNER, UPLOAD_ID, KEY, "pending", SIZE, null, null))));

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}");
        assertThat(aws.findAll(deleteRequestedFor(anyUrl()))).isEmpty();
        assertThat(stubs.calls(PUT_EVENTS)).isEmpty();
        assertThat(onlyLogLine()).contains("\"outcome\":\"retry\"",
                "the grant's state must be one of granted, completed, rejected, aborted, expired");
    }

    @Test
    void refusesAnInputThatIsNotAnSqsBatch() {
        VerifierHandler handler = handler(VerifierConfig.RejectedObjects.DELETE);

        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the input must be an SQS event with a Records array, but it has none");
    }

    // --- failures worth retrying ------------------------------------------------------------------------------

    static Stream<Arguments> transientFailures() {
        return Stream.of(
                Arguments.of("S3 HeadObject 503", "head", AwsStubs.s3Error(503, "SlowDown")),
                Arguments.of("DynamoDB GetItem 500", GET_ITEM, json(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"boom\"}")),
                Arguments.of("DynamoDB GetItem throttled", GET_ITEM, dynamoError("ThrottlingException", "Rate of requests exceeds the allowed throughput.")),
                Arguments.of("DynamoDB transaction throttled", TRANSACT_WRITE, dynamoError("ProvisionedThroughputExceededException", "slow down")),
                Arguments.of("EventBridge PutEvents 500", PUT_EVENTS, json(500, "{\"__type\":\"InternalException\",\"message\":\"boom\"}")),
                Arguments.of("EventBridge entry refused", PUT_EVENTS, json(200, "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"Request rate exceeded\"}]}")),
                Arguments.of("S3 DeleteObject 503", "delete", AwsStubs.s3Error(503, "SlowDown")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void givesTheMessageBackToTheQueueOnATransientFailure(String name, String failing, ResponseDefinitionBuilder answer) {
        // A size mismatch goes through every call: head, read, transaction, event, delete.
        aws.stubFor(stubs.objectIs(KEY, SIZE + 1, ETAG));
        grantIs("granted", SIZE, null, null);
        if (failing.equals("head")) {
            aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo(stubs.objectPath(KEY)))
                    .willReturn(answer));
        } else if (failing.equals("delete")) {
            aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo(stubs.objectPath(KEY)))
                    .willReturn(answer));
        } else {
            aws.stubFor(dynamo(failing).willReturn(answer));
        }

        String response = handle(Messages.objectCreated(BUCKET, KEY, SIZE + 1, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}");
        assertThat(onlyLogLine()).contains("\"outcome\":\"retry\"");
    }

    @Test
    void givesBackOnlyTheFailedMessagesOfABatch() {
        String failingKey = "uploads/" + OWNER + "/01938a6e-7c3b-7d2e-9f10-000000000002/b.bin";
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo(stubs.objectPath(failingKey)))
                .willReturn(AwsStubs.s3Error(500, "InternalError")));
        aws.stubFor(stubs.objectIs(KEY, SIZE, ETAG));
        grantIs("granted", SIZE, null, null);

        String response = handle("not json", Messages.objectCreated(BUCKET, failingKey, 1, "x"),
                Messages.objectCreated(BUCKET, KEY, SIZE, ETAG));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-2\"}]}");
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).contains("\"messageId\":\"m-1\"", "\"outcome\":\"ignored\"");
        assertThat(log.get(1)).contains("\"messageId\":\"m-2\"", "\"outcome\":\"retry\"", "\"receiveCount\":\"1\"");
        assertThat(log.get(2)).contains("\"messageId\":\"m-3\"", "\"outcome\":\"completed\"");
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private void grantIs(String state, long declaredSize, String etag, String reason) {
        aws.stubFor(dynamo(GET_ITEM).willReturn(grant(state, declaredSize, etag, reason)));
    }

    private static ResponseDefinitionBuilder grant(String state, long declaredSize, String etag, String reason) {
        return json(200, grantItem(OWNER, UPLOAD_ID, KEY, state, declaredSize, etag, reason));
    }

    private VerifierHandler handler(VerifierConfig.RejectedObjects mode) {
        VerifierConfig config = new VerifierConfig(TABLE, BUCKET, BUS, mode, "eu-west-1");
        Verifier verifier = new Verifier(config, new ObjectStore(s3, BUCKET, mode), new Ledger(dynamoClient, TABLE),
                new UploadEvents(eventsClient, BUS), Clock.fixed(NOW, ZoneOffset.UTC));
        return new VerifierHandler(verifier, log::add);
    }

    private String handle(String... bodies) {
        return handle(VerifierConfig.RejectedObjects.DELETE, bodies);
    }

    private String handle(VerifierConfig.RejectedObjects mode, String... bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler(mode).handleRequest(new ByteArrayInputStream(Messages.batch(List.of(bodies))
                    .getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Object> onlyCall(String target) {
        List<Map<String, Object>> calls = stubs.calls(target);
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    private Map<String, Object> onlyEvent() {
        List<?> entries = Json.array(onlyCall(PUT_EVENTS), "Entries");
        assertThat(entries).hasSize(1);
        return Json.object(entries.get(0));
    }

    private Map<String, Object> rejectedDetail() {
        Map<String, Object> entry = onlyEvent();
        assertThat(entry.get("DetailType")).isEqualTo("Upload Rejected");
        return Json.object(Json.parse(Json.string(entry, "Detail")));
    }

    private LoggedRequest onlyDelete() {
        List<LoggedRequest> deletes = aws.findAll(deleteRequestedFor(urlPathEqualTo(stubs.objectPath(KEY))));
        assertThat(deletes).hasSize(1);
        return deletes.get(0);
    }

    private String onlyLogLine() {
        assertThat(log).hasSize(1);
        return log.get(0);
    }
}
