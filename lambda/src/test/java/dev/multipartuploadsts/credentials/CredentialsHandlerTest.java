package dev.multipartuploadsts.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The handler against WireMock standing in for STS: the exact wire request, the answers, the errors. */
class CredentialsHandlerTest {

    private static final String UPLOAD_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String OWNER = Owners.encode(Events.SUBJECT);
    private static final String KEY = "uploads/" + OWNER + "/" + UPLOAD_ID + "/clip.mp4";
    private static final String START = CredentialsHandler.START_ROUTE;
    private static final String REFRESH = CredentialsHandler.REFRESH_ROUTE;

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T07:00:00Z"), ZoneOffset.UTC);

    private static WireMockServer sts;
    private static StsClient client;
    private static DynamoDbClient dynamo;
    private static Config config;

    private final List<String> log = new ArrayList<>();
    private CredentialsHandler handler;

    @BeforeAll
    static void startSts() {
        sts = StsStubs.startServer();
        client = StsStubs.client(sts);
        Map<String, String> env = ConfigTest.validEnvironment();
        // Out of the way on a loaded machine: the budget itself has its own tests below.
        env.put("STS_TIMEOUT_MILLIS", "29000");
        config = Config.fromEnvironment(env);
        dynamo = MotoDynamoDb.client();
    }

    @AfterAll
    static void stopSts() {
        client.close();
        dynamo.close();
        sts.stop();
    }

    @BeforeEach
    void resetStsAndLedger() {
        sts.resetAll();
        MotoDynamoDb.freshTable(dynamo, config.ledger().table());
        handler = new CredentialsHandler(config, client, dynamo, () -> UPLOAD_ID, CLOCK, log::add);
    }

    @Test
    void startsAnUploadWithCredentialsForANewKeyUnderTheCallersOwner() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Answer answer = call(Events.post(START, "{\"fileName\":\"clip.mp4\",\"size\":1048576,\"contentType\":\"video/mp4\"}"));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.headers).containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store").doesNotContainKey("Retry-After");
        assertThat(answer.body).containsExactly(
                Map.entry("bucket", "uploads-bucket"),
                Map.entry("region", "eu-west-1"),
                Map.entry("key", KEY),
                Map.entry("partSize", 8L * 1024 * 1024),
                Map.entry("credentials", credentialProcessOutput()));
    }

    @Test
    void startsAnEmptyFileLikeAnyOther() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Answer answer = call(Events.post(START, "{\"fileName\":\"placeholder.mp4\",\"size\":0}"));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).containsEntry("partSize", 8L * 1024 * 1024);
        assertThat(onlyStsRequest().getBodyAsString()).contains("Action=AssumeRole");
    }

    @Test
    void asksStsForExactlyTheUploadRoleNarrowedToTheNewKey() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        call(Events.post(START, "{\"fileName\":\"../My Clip?.mp4\",\"size\":1}"));

        LoggedRequest request = onlyStsRequest();
        Map<String, String> form = form(request.getBodyAsString());
        String key = "uploads/" + OWNER + "/" + UPLOAD_ID + "/My_Clip_.mp4";
        assertThat(form.keySet()).containsExactlyInAnyOrder("Action", "Version", "RoleArn", "RoleSessionName",
                "SourceIdentity", "DurationSeconds", "Policy");
        assertThat(form).containsEntry("Action", "AssumeRole")
                .containsEntry("Version", "2011-06-15")
                .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/upload-role")
                .containsEntry("RoleSessionName", OWNER)
                .containsEntry("SourceIdentity", OWNER)
                .containsEntry("DurationSeconds", "900");
        assertThat(JsonTree.parse(form.get("Policy"))).isEqualTo(Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Action", List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                        "Resource", "arn:aws:s3:::uploads-bucket/" + key))));
        assertThat(request.getHeader("Authorization"))
                .contains("Credential=AKIDEXECUTIONROLE/").contains("/eu-west-1/sts/aws4_request");
    }

    @Test
    void grantsTheBucketsKmsKeyInTheSessionPolicyWhenTheBucketUsesOne() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());
        Map<String, String> env = ConfigTest.validEnvironment();
        env.put("UPLOAD_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        CredentialsHandler kms = new CredentialsHandler(Config.fromEnvironment(env), client, dynamo, () -> UPLOAD_ID, CLOCK, log::add);

        call(kms, Events.post(START, "{\"fileName\":\"clip.mp4\",\"size\":1}"));

        Object policy = JsonTree.parse(form(onlyStsRequest().getBodyAsString()).get("Policy"));
        assertThat(policy).isEqualTo(Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(
                        Map.of("Effect", "Allow",
                                "Action", List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                                "Resource", "arn:aws:s3:::uploads-bucket/" + KEY),
                        Map.of("Effect", "Allow",
                                "Action", List.of("kms:GenerateDataKey", "kms:Decrypt"),
                                "Resource", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"))));
    }

    @Test
    void answersWithACredentialsObjectThatIsCredentialProcessOutputOnItsOwn() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Answer answer = call(Events.post(START, "{\"fileName\":\"clip.mp4\",\"size\":5}"));

        @SuppressWarnings("unchecked")
        Map<String, Object> credentials = (Map<String, Object>) answer.body.get("credentials");
        assertThat(credentials.keySet())
                .containsExactly("Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration");
        assertThat(credentials.get("Version")).isEqualTo(1L);
        assertThat(Instant.parse((String) credentials.get("Expiration"))).isEqualTo(Instant.parse(StsStubs.EXPIRATION));
    }

    @Test
    void answersThePartSizeThatKeepsAFiveTebibyteFileWithinTenThousandParts() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Map<String, String> env = ConfigTest.validEnvironment();
        env.put("MAX_BYTES_PER_USER_PER_DAY", "1125899906842624");
        CredentialsHandler petabyteDays = new CredentialsHandler(Config.fromEnvironment(env), client, dynamo,
                () -> UPLOAD_ID, CLOCK, log::add);

        Answer answer = call(petabyteDays, Events.post(START, "{\"fileName\":\"huge.bin\",\"size\":5497558138880}"));

        assertThat(answer.body.get("partSize")).isEqualTo(525L * 1024 * 1024);
    }

    @Test
    void acceptsABodyThatApiGatewayBase64Encoded() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Answer answer = call(Events.postBase64(START, Events.utf8("{\"fileName\":\"caf\u00e9.jpg\",\"size\":3}")));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body.get("key")).isEqualTo("uploads/" + OWNER + "/" + UPLOAD_ID + "/cafe.jpg");
    }

    @Test
    void refreshesCredentialsForTheCallersOwnKeyWithoutAPartSize() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());
        assertThat(call(Events.post(START, "{\"fileName\":\"clip.mp4\",\"size\":1}")).status).isEqualTo(200);
        sts.resetRequests();

        Answer answer = call(Events.post(REFRESH, "{\"key\":\"" + KEY + "\"}"));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).containsOnlyKeys("bucket", "region", "key", "credentials").containsEntry("key", KEY);
        assertThat(form(onlyStsRequest().getBodyAsString()).get("Policy"))
                .contains("\"Resource\":\"arn:aws:s3:::uploads-bucket/" + KEY + "\"");
    }

    @Test
    void refusesToRefreshAnotherUsersKeyWithoutCallingSts() {
        String bobsKey = "uploads/" + Owners.encode("bob") + "/" + UPLOAD_ID + "/clip.mp4";

        Answer answer = call(Events.post(REFRESH, "{\"key\":\"" + bobsKey + "\"}"));

        assertThat(answer.status).isEqualTo(403);
        assertThat(answer.body).containsEntry("error", "forbidden_key").containsEntry("message",
                "key must be one of your own uploads, under uploads/" + OWNER + "/, but it is not");
        assertThat(sts.getAllServeEvents()).isEmpty();
        assertThat(logLine()).containsEntry("status", 403L).containsEntry("outcome", "forbidden_key")
                .containsEntry("detail", "requested key: " + bobsKey);
    }

    @Test
    void refusesToRefreshAMalformedKeyUnderTheCallersOwnPrefix() {
        for (String key : new String[] {
            "uploads/" + OWNER + "/" + UPLOAD_ID + "/*",
            "uploads/" + OWNER + "/" + UPLOAD_ID + "/../x",
            "uploads/" + OWNER + "/" + UPLOAD_ID + "/${aws:username}",
            "uploads/" + OWNER + "/not-an-id/clip.mp4",
            "uploads/" + OWNER + "/",
        }) {
            Answer answer = call(Events.post(REFRESH, "{\"key\":" + Events.quote(key) + "}"));

            assertThat(answer.status).as(key).isEqualTo(403);
            assertThat(answer.body).containsEntry("message",
                    "key must be exactly as a start request returned it, but it is not");
        }
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesAKeyOfTheWrongType() {
        Answer answer = call(Events.post(REFRESH, "{\"key\":[\"" + KEY + "\"]}"));

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).containsEntry("error", "invalid_field").containsEntry("message",
                "key must be a string: the key a start request returned, but an array was given");
    }

    @Test
    void answers401WhenTheAuthorizerPassedNoClaims() {
        Answer answer = call(Events.postWithoutClaims(START, "{\"fileName\":\"clip.mp4\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(401);
        assertThat(answer.body).containsEntry("error", "unauthorized")
                .containsEntry("message", "a verified sub claim is required, but the request carried none");
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    void answers401WhenTheSubClaimIsNotAString() {
        String event = Events.event(START, Events.quote("{}"), false, "{\"jwt\":{\"claims\":{\"sub\":42}}}");

        assertThat(call(event).status).isEqualTo(401);
    }

    @Test
    void answers401ForASubjectLongerThan255Bytes() {
        Answer answer = call(Events.postAs("s".repeat(256), START, "{\"fileName\":\"clip.mp4\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(401);
        assertThat(answer.body).containsEntry("message", "subject must be 1 to 255 bytes of UTF-8, but 256 bytes were given");
    }

    @Test
    void givesDifferentUsersKeysUnderDifferentOwners() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        String alices = (String) call(Events.postAs("alice", START, "{\"fileName\":\"a\",\"size\":1}")).body.get("key");
        String alice2s = (String) call(Events.postAs("alice2", START, "{\"fileName\":\"a\",\"size\":1}")).body.get("key");

        assertThat(alices).startsWith("uploads/mfwgsy3f/");
        assertThat(alice2s).startsWith("uploads/mfwgsy3fgi/");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownRoutes")
    void answers404ForAnyOtherRoute(String routeKey) {
        Answer answer = call(Events.post(routeKey, "{}"));

        assertThat(answer.status).isEqualTo(404);
        assertThat(answer.body).containsEntry("error", "not_found").containsEntry("message",
                "route must be POST /uploads, POST /uploads/refresh, GET /uploads or POST /uploads/abort, but "
                        + routeKey + " was given");
    }

    static Stream<String> unknownRoutes() {
        return Stream.of("$default", "GET /uploads/refresh", "POST /uploads/", "POST /Uploads", "DELETE /uploads/abort");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStartBodies")
    void answers400NamingTheProblemForABadStartBody(String body, String error, String message) {
        Answer answer = call(Events.post(START, body));

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).containsExactly(Map.entry("error", error), Map.entry("message", message));
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    static Stream<Arguments> badStartBodies() {
        String range = "size must be a whole number of bytes from 0 to 5497558138880, but ";
        return Stream.of(
                Arguments.of("not json", "malformed_json",
                        "body is not valid JSON at line 1, column 1: Unrecognized token 'not'"),
                Arguments.of("[]", "malformed_json", "body must be a JSON object, but an array was given"),
                Arguments.of("\"text\"", "malformed_json", "body must be a JSON object, but a string was given"),
                Arguments.of("null", "malformed_json", "body must be a JSON object, but null was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1} {}", "malformed_json",
                        "body must be exactly one JSON object, but more data follows it"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1}x", "malformed_json",
                        "body is not valid JSON at line 1, column 26: Unrecognized token 'x'"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1", "malformed_json",
                        "body is not valid JSON at line 1, column 25: Unexpected end-of-input"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1,\"size\":2}", "malformed_json",
                        "body is not valid JSON at line 1, column 32: Duplicate field 'size'"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1,\"x\":{\"y\":1,\"y\":2}}", "malformed_json",
                        "body is not valid JSON at line 1, column 40: Duplicate field 'y'"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1,/*comment*/}", "malformed_json",
                        "body is not valid JSON at line 1, column 26: Unexpected character ('/' (code 47))"),
                Arguments.of("{'fileName':'a','size':1}", "malformed_json",
                        "body is not valid JSON at line 1, column 2: Unexpected character (''' (code 39))"),
                Arguments.of("{\"fileName\":\"a\u0000\",\"size\":1}", "malformed_json",
                        "body is not valid JSON at line 1, column 15: Illegal unquoted character ((CTRL-CHAR, code 0))"),
                Arguments.of("{\"fileName\":\"a\",\"size\":" + "9".repeat(1500) + "}", "malformed_json",
                        "body is not valid JSON: Number value length (1500) exceeds the maximum allowed (1000)"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1,\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}",
                        "malformed_json",
                        "body is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)"),
                Arguments.of("{\"size\":1}", "missing_field", "fileName is required: a string of 1 to 255 bytes"),
                Arguments.of("{\"fileName\":\"a\"}", "missing_field",
                        "size is required: a whole number of bytes from 0 to 5497558138880"),
                Arguments.of("{\"fileName\":7,\"size\":1}", "invalid_field",
                        "fileName must be a string, but a number was given"),
                Arguments.of("{\"fileName\":null,\"size\":1}", "invalid_field",
                        "fileName must be a string, but null was given"),
                Arguments.of("{\"fileName\":{\"name\":\"a\"},\"size\":1}", "invalid_field",
                        "fileName must be a string, but an object was given"),
                Arguments.of("{\"fileName\":\"../..\",\"size\":1}", "invalid_field",
                        "fileName must keep 1 to 255 bytes after cleaning, but nothing usable was left of the 5"
                                + " characters given"),
                Arguments.of("{\"fileName\":\"\",\"size\":1}", "invalid_field",
                        "fileName must keep 1 to 255 bytes after cleaning, but nothing usable was left of the 0"
                                + " characters given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":\"10\"}", "invalid_field", range + "a string was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":true}", "invalid_field", range + "a boolean was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":null}", "invalid_field", range + "null was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":-1}", "invalid_field", range + "-1 was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":-5}", "invalid_field", range + "-5 was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1.5}", "invalid_field", range + "1.5 was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1.0}", "invalid_field", range + "1.0 was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1e3}", "invalid_field", range + "1e3 was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":5497558138881}", "invalid_field",
                        range + "5497558138881 was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":" + "9".repeat(60) + "}", "invalid_field",
                        range + "9".repeat(40) + "... was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1,\"contentType\":5}", "invalid_field",
                        "contentType must be a media type such as video/mp4, of at most 255 characters, but a number"
                                + " was given"),
                Arguments.of("{\"fileName\":\"a\",\"size\":1,\"contentType\":\"video\"}", "invalid_field",
                        "contentType must be a media type such as video/mp4, of at most 255 characters, but video"
                                + " was given"));
    }

    @Test
    void acceptsAnEmptyOrMissingContentTypeAsBrowsersSendForUnknownFiles() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());
        handler = new CredentialsHandler(config, client, dynamo, () -> UploadIds.next(CLOCK.instant()), CLOCK, log::add);

        assertThat(call(Events.post(START, "{\"fileName\":\"a\",\"size\":1,\"contentType\":\"\"}")).status).isEqualTo(200);
        assertThat(call(Events.post(START, "{\"fileName\":\"a\",\"size\":1,\"contentType\":null}")).status).isEqualTo(200);
        assertThat(call(Events.post(START, "{\"fileName\":\"a\",\"size\":1,\"contentType\":\"text/plain; charset=utf-8\"}"))
                .status).isEqualTo(200);
    }

    @Test
    void ignoresUnknownFieldsSoANewerPageCanSendMore() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Answer answer = call(Events.post(START,
                "{\"fileName\":\"a.txt\",\"size\":1,\"lastModified\":1795330800000,\"owner\":\"someone-else\"}"));

        assertThat(answer.status).isEqualTo(200);
        assertThat((String) answer.body.get("key")).startsWith("uploads/" + OWNER + "/");
    }

    @Test
    void answers400ForABodyOverTheLimitSuchAsATenKilobyteName() {
        String body = "{\"fileName\":\"" + "a".repeat(10_240) + "\",\"size\":1}";

        Answer answer = call(Events.post(START, body));

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).containsEntry("error", "body_too_large")
                .containsEntry("message", "body must be at most 4096 bytes, but 10264 bytes were given");
    }

    @Test
    void countsTheLimitInBytesAfterBase64Decoding() {
        byte[] body = Events.utf8("{\"fileName\":\"" + "\u00e9".repeat(2100) + "\",\"size\":1}");

        Answer answer = call(Events.postBase64(START, body));

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).containsEntry("message", "body must be at most 4096 bytes, but 4224 bytes were given");
    }

    @Test
    void answers400ForABodyMarkedBase64ThatIsNot() {
        String event = Events.event(START, Events.quote("{not base64!}"), true, Events.claims(Events.SUBJECT));

        Answer answer = call(event);

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).containsEntry("message", "body is marked as base64-encoded, but it is not valid base64");
    }

    @Test
    void answers400ForAMissingBody() {
        String event = Events.event(START, "null", false, Events.claims(Events.SUBJECT));

        Answer answer = call(event);

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).containsEntry("message", "body must be a JSON object, but no body was given");
    }

    @Test
    void mapsStsThrottlingTo503WithRetryAfter() {
        stsAnswers(400, StsStubs.error("Sender", "Throttling", "Rate exceeded"));

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.headers).containsEntry("Retry-After", "2").containsEntry("Cache-Control", "no-store");
        assertThat(answer.body).containsEntry("error", "throttled");
        assertThat(logLine()).containsEntry("outcome", "throttled").containsKey("stsLatencyMs");
    }

    @Test
    void mapsStsAccessDeniedToAGeneric500AndKeepsTheDetailForTheLog() {
        stsAnswers(403, StsStubs.error("Sender", "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/exec/fn"
                + " is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/upload-role"));

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(500);
        assertThat(answer.headers).doesNotContainKey("Retry-After");
        assertThat(answer.body).containsExactly(Map.entry("error", "internal_error"), Map.entry("message",
                "The request failed because of a server-side problem; it has been logged."));
        assertThat(answer.rawBody).doesNotContain("AccessDenied", "arn:", "Exception");
        assertThat((String) logLine().get("detail")).startsWith("STS answered 403 AccessDenied: User: arn:aws:sts::");
        assertThat(sts.getAllServeEvents()).hasSize(1);
    }

    @Test
    void mapsARejectedSessionPolicyTo500() {
        stsAnswers(400, StsStubs.error("Sender", "PackedPolicyTooLarge", "Packed policy consumes 101% of allotted space"));

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(500);
        assertThat((String) logLine().get("detail")).startsWith("STS answered 400 PackedPolicyTooLarge");
    }

    @Test
    void retriesAnStsServerErrorOnceThenAnswers503WithRetryAfter() {
        stsAnswers(500, StsStubs.error("Receiver", "InternalFailure", "internal failure"));

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.headers).containsEntry("Retry-After", "2");
        assertThat(answer.body).containsEntry("error", "sts_unavailable");
        assertThat(sts.getAllServeEvents()).hasSize(AwsClients.MAX_ATTEMPTS);
    }

    @Test
    void succeedsWhenTheRetryAfterAnStsServerErrorDoes() {
        sts.stubFor(post(urlEqualTo("/")).inScenario("blip").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(StsStubs.error("Receiver", "ServiceUnavailable", "busy")))
                .willSetStateTo("recovered"));
        sts.stubFor(post(urlEqualTo("/")).inScenario("blip").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody(StsStubs.assumeRoleAnswer())));

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(200);
        assertThat(sts.getAllServeEvents()).hasSize(2);
    }

    @Test
    void answersTheDesigned503WithinTheStsBudgetWhenStsIsSlowerThanTheFunctionsTimeout() {
        Map<String, String> env = ConfigTest.validEnvironment();
        env.put("STS_TIMEOUT_MILLIS", "1000");
        CredentialsHandler budgeted = new CredentialsHandler(Config.fromEnvironment(env), client, dynamo, () -> UPLOAD_ID, CLOCK, log::add);
        sts.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(StsStubs.assumeRoleAnswer()).withFixedDelay(8_000)));

        long started = System.nanoTime();
        Answer answer = call(budgeted, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"), new TestContext(10_000));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.headers).containsEntry("Retry-After", "2");
        assertThat(answer.body).containsEntry("error", "sts_unavailable");
        // The budget is 1 s; the rest is slack for a loaded machine, still far below the function's 10 s.
        assertThat(tookMillis).isLessThan(5_000);
        assertThat((String) logLine().get("detail")).startsWith("STS call failed: ");
    }

    @Test
    void cutsTheStsBudgetToTheTimeTheInvocationHasLeft() {
        sts.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(StsStubs.assumeRoleAnswer()).withFixedDelay(8_000)));

        long started = System.nanoTime();
        Answer answer = call(handler, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"), new TestContext(2_000));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.body).containsEntry("error", "sts_unavailable");
        assertThat(tookMillis).isLessThan(2_000);
        assertThat(logLine()).containsEntry("lambdaRequestId", "lambda-req-1");
    }

    @Test
    void answers503WithoutCallingAnythingWhenTheInvocationHasNoTimeLeft() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        Answer answer = call(handler, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"), new TestContext(300));

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.headers).containsEntry("Retry-After", "2");
        assertThat(sts.getAllServeEvents()).isEmpty();
        assertThat(logLine()).containsEntry("outcome", "ledger_unavailable")
                .containsEntry("detail", "no time left in the invocation to call DynamoDB");
    }

    @Test
    void mapsAnUnreadableStsAnswerTo502() {
        stsAnswers(200, "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>x</Acc");

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(502);
        assertThat(answer.body).containsEntry("error", "bad_gateway")
                .containsEntry("message", "The credentials service gave an answer that could not be read.");
        assertThat((String) logLine().get("detail")).startsWith("STS call failed: Unable to unmarshall response");
    }

    @Test
    void mapsAnEmptyStsAnswerTo502() {
        stsAnswers(200, "");

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(502);
    }

    @Test
    void mapsMissingExecutionRoleCredentialsTo500WithoutCallingSts() {
        try (StsClient withoutCredentials = AwsClients.sts("eu-west-1", () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }, URI.create(sts.baseUrl()))) {
            CredentialsHandler misconfigured = new CredentialsHandler(config, withoutCredentials, dynamo, () -> UPLOAD_ID, CLOCK, log::add);

            Answer answer = call(misconfigured, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

            assertThat(answer.status).isEqualTo(500);
            assertThat((String) logLine().get("detail")).contains("Unable to load credentials");
            assertThat(sts.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void mapsAnStsAnswerWithoutCredentialsTo502() {
        stsAnswers(200, StsStubs.answerWithoutCredentials());

        Answer answer = call(Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(502);
        assertThat(answer.body).containsEntry("message", "The credentials service gave an answer without credentials.");
    }

    @Test
    void mapsAnUnreachableStsTo503() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (StsClient unreachable = AwsClients.sts("eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                URI.create("http://127.0.0.1:" + closedPort))) {
            CredentialsHandler offline = new CredentialsHandler(config, unreachable, dynamo, () -> UPLOAD_ID, CLOCK, log::add);

            Answer answer = call(offline, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

            assertThat(answer.status).isEqualTo(503);
            assertThat(answer.body).containsEntry("error", "sts_unavailable");
        }
    }

    @Test
    void answersAGeneric500WithoutAStackTraceWhenSomethingUnexpectedBreaks() {
        CredentialsHandler broken = new CredentialsHandler(config, client, dynamo, () -> "not-a-uuid", CLOCK, log::add);

        Answer answer = call(broken, Events.post(START, "{\"fileName\":\"a\",\"size\":1}"));

        assertThat(answer.status).isEqualTo(500);
        assertThat(answer.rawBody).doesNotContain("Exception", "at dev.", "not-a-uuid");
        assertThat((String) logLine().get("detail")).startsWith("java.lang.IllegalArgumentException: uploadId must be")
                .contains(" at dev.multipartuploadsts.credentials.ObjectKeys.key(");
    }

    @Test
    void answers500ForAnEventThatIsNotFromAnHttpApi() {
        Answer answer = call("[1,2,3]");

        assertThat(answer.status).isEqualTo(500);
        assertThat(logLine()).containsEntry("detail",
                "the event is not an API Gateway HTTP API event: the event is not a JSON object");
    }

    @Test
    void logsOneJsonLinePerRequestWithTheOutcomeAndNoSecrets() {
        stsAnswers(200, StsStubs.assumeRoleAnswer());

        call(Events.post(START, "{\"fileName\":\"clip.mp4\",\"size\":1048576,\"contentType\":\"video/mp4\"}"));

        assertThat(log).hasSize(1);
        assertThat(log.get(0)).doesNotContain("\n", StsStubs.SECRET_ACCESS_KEY, StsStubs.SESSION_TOKEN,
                StsStubs.ACCESS_KEY_ID, Events.BEARER, Events.SUBJECT, "execution-secret");
        Map<String, Object> line = logLine();
        assertThat(line).containsEntry("requestId", "req-1")
                .containsEntry("route", START)
                .containsEntry("owner", OWNER)
                .containsEntry("outcome", "issued")
                .containsEntry("status", 200L)
                .containsEntry("key", KEY)
                .containsEntry("size", 1048576L)
                .containsEntry("contentType", "video/mp4")
                .containsEntry("packedPolicySize", 7L)
                .containsKey("ledgerLatencyMs")
                .containsKey("stsLatencyMs");
        assertThat(line.keySet()).containsExactly("requestId", "route", "owner", "outcome", "status", "key", "size",
                "contentType", "ledgerLatencyMs", "stsLatencyMs", "packedPolicySize");
    }

    @Test
    void logsRejectedRequestsToo() {
        call(Events.post(START, "{\"fileName\":\"a\",\"size\":-1}"));

        assertThat(log).hasSize(1);
        assertThat(logLine()).containsEntry("outcome", "invalid_field").containsEntry("status", 400L)
                .containsEntry("owner", OWNER).doesNotContainKey("stsLatencyMs");
    }

    private void stsAnswers(int status, String body) {
        sts.stubFor(post(urlEqualTo("/"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body)));
    }

    private LoggedRequest onlyStsRequest() {
        List<LoggedRequest> requests = sts.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlEqualTo("/")));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private Map<String, Object> logLine() {
        assertThat(log).hasSize(1);
        return JsonTree.object(log.get(0));
    }

    private static Map<String, Object> credentialProcessOutput() {
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("Version", 1L);
        credentials.put("AccessKeyId", StsStubs.ACCESS_KEY_ID);
        credentials.put("SecretAccessKey", StsStubs.SECRET_ACCESS_KEY);
        credentials.put("SessionToken", StsStubs.SESSION_TOKEN);
        credentials.put("Expiration", StsStubs.EXPIRATION);
        return credentials;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String previous = form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            assertThat(previous).as("parameter sent twice: " + pair).isNull();
        }
        return form;
    }

    private Answer call(String event) {
        return call(handler, event);
    }

    private static Answer call(CredentialsHandler handler, String event) {
        return Answer.of(handler, event, null);
    }

    private static Answer call(CredentialsHandler handler, String event, TestContext context) {
        return Answer.of(handler, event, context);
    }
}
