package dev.multipartuploadsts.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.multipartuploadsts.common.ShadedJar;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Checks the deployment jar that {@code mvn package} produced: its content, and that it runs on its own. */
class ShadedJarIT {

    private static final Path JAR = Paths.get(System.getProperty("lambda.jar", "target/credentials-lambda.jar"));
    private static final ShadedJar SHADED = new ShadedJar(JAR);
    private static final String START_EVENT =
            Events.post(CredentialsHandler.START_ROUTE, "{\"fileName\":\"clip.mp4\",\"size\":42}");
    private static final long MAX_BYTES = Long.getLong("lambda.jar.maxBytes", 7_000_000L);

    private static final String LEDGER_TABLE = "upload-ledger";

    private static WireMockServer sts;
    private static DynamoDbClient dynamo;

    @TempDir
    Path temp;

    @BeforeAll
    static void startSts() {
        sts = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sts.start();
        dynamo = MotoDynamoDb.client();
    }

    @AfterAll
    static void stopSts() {
        dynamo.close();
        sts.stop();
    }

    @BeforeEach
    void answerAssumeRoleWithAnEmptyLedger() {
        MotoDynamoDb.freshTable(dynamo, LEDGER_TABLE);
        sts.resetAll();
        sts.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(StsStubs.assumeRoleAnswer())));
    }

    @Test
    void staysWithinTheSizeBudget() throws IOException {
        assertThat(Files.size(JAR)).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void holdsNoApacheOrNettyHttpClient() throws IOException {
        List<String> names = SHADED.entryNames();

        assertThat(names).noneMatch(n -> n.startsWith("org/apache/http/") || n.startsWith("org/apache/hc/")
                || n.startsWith("io/netty/") || n.startsWith("software/amazon/awssdk/http/apache")
                || n.startsWith("software/amazon/awssdk/http/nio/") || n.startsWith("software/amazon/awssdk/http/crt/"));
        assertThat(names).contains("dev/multipartuploadsts/credentials/CredentialsHandler.class",
                "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
                "software/amazon/awssdk/services/sts/StsClient.class",
                "com/fasterxml/jackson/core/JsonFactory.class",
                "org/slf4j/impl/StaticLoggerBinder.class");
    }

    @Test
    void registersOnlyTheUrlConnectionClientAsAnHttpService() throws IOException {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            String services = new String(zip.getInputStream(
                    zip.getEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService")).readAllBytes(),
                    StandardCharsets.UTF_8);

            assertThat(services.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
                    .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        }
    }

    @Test
    void stampsThisProjectsEntriesWithTheFixedBuildTimestamp() throws IOException {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            List<LocalDateTime> times = new ArrayList<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.getName().startsWith("dev/multipartuploadsts/")) {
                    times.add(entry.getTimeLocal());
                }
            }

            LocalDateTime fixed = LocalDateTime.ofInstant(
                    Instant.parse(System.getProperty("build.outputTimestamp", "2026-01-01T00:00:00Z")), ZoneOffset.UTC);
            assertThat(times).isNotEmpty().containsOnly(fixed);
        }
    }

    @Test
    void runsOnItsOwnAndHonoursAwsEndpointUrlSts() throws Exception {
        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL_STS", sts.baseUrl()));

        assertThat(run.answer()).contains("\"statusCode\":200").contains(StsStubs.SESSION_TOKEN);
        List<LoggedRequest> requests = sts.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getBodyAsString()).startsWith("Action=AssumeRole&Version=2011-06-15");
        assertThat(requests.get(0).getHeader("Authorization"))
                .contains("Credential=" + ShadedJar.RUNTIME_ENVIRONMENT.get("AWS_ACCESS_KEY_ID") + "/")
                .contains("/" + ShadedJar.RUNTIME_ENVIRONMENT.get("AWS_REGION") + "/sts/aws4_request");
        assertThat(requests.get(0).getHeader("X-Amz-Security-Token"))
                .isEqualTo(ShadedJar.RUNTIME_ENVIRONMENT.get("AWS_SESSION_TOKEN"));
    }

    @Test
    void honoursTheGenericAwsEndpointUrl() throws Exception {
        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL", sts.baseUrl()));

        assertThat(run.answer()).contains("\"statusCode\":200");
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);
    }

    @Test
    void prefersTheStsSpecificEndpointOverTheGenericOne() throws Exception {
        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL_STS", sts.baseUrl(), "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort()));

        assertThat(run.answer()).contains("\"statusCode\":200");
    }

    @Test
    void printsOnlyTheOneLogLineAndNoSlf4jWarnings() throws Exception {
        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL_STS", sts.baseUrl()));

        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout().lines()).singleElement().satisfies(line ->
                assertThat(JsonTree.object(line)).containsEntry("outcome", "issued").containsEntry("status", 200L));
    }

    @Test
    void primesWithoutTouchingStsWhenSnapStartRunsInitAheadOfRequests() throws Exception {
        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL_STS", sts.baseUrl(), "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));

        assertThat(run.answer()).contains("\"statusCode\":200");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout().lines()).singleElement().satisfies(line ->
                assertThat(JsonTree.object(line)).containsEntry("outcome", "issued"));
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);
        // Only the real request's grant, open-grant counter and day counter: priming wrote nothing.
        assertThat(dynamo.scan(r -> r.tableName(LEDGER_TABLE)).items())
                .extracting(item -> item.get("owner").s()).containsOnly(Owners.encode(Events.SUBJECT)).hasSize(3);
    }

    @Test
    void servesEveryLedgerRouteFromTheJarAlone() throws Exception {
        Map<String, String> endpoints = Map.of("AWS_ENDPOINT_URL_STS", sts.baseUrl(), "MAX_OPEN_UPLOADS_PER_USER", "1");
        String started = runJar(START_EVENT, endpoints).answer();
        String key = (String) JsonTree.object((String) JsonTree.object(started).get("body")).get("key");
        String keyBody = "{\"key\":" + Events.quote(key) + "}";

        // The second start finds the open-grant limit: the refused transaction's reasons and old item are read.
        assertThat(runJar(START_EVENT, endpoints).answer()).contains("\"statusCode\":429").contains("quota_exceeded");
        assertThat(runJar(Events.post(CredentialsHandler.REFRESH_ROUTE, keyBody), endpoints).answer())
                .contains("\"statusCode\":200");
        assertThat(runJar(Events.getAs(Events.SUBJECT, CredentialsHandler.LIST_ROUTE, Map.of("limit", "5")), endpoints)
                .answer()).contains("\"statusCode\":200").contains(key);
        assertThat(runJar(Events.post(CredentialsHandler.ABORT_ROUTE, keyBody), endpoints).answer())
                .contains("\"statusCode\":200").contains("aborted");
        assertThat(runJar(Events.post(CredentialsHandler.REFRESH_ROUTE, keyBody), endpoints).answer())
                .contains("\"statusCode\":409").contains("but it is aborted");
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
    }

    @Test
    void failsAtInitNamingTheMisconfiguredVariable() throws Exception {
        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL_STS", sts.baseUrl(), "CREDENTIAL_DURATION_SECONDS", "7200"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains(
                "CREDENTIAL_DURATION_SECONDS must be a whole number from 900 to 3600, but 7200 was given");
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    private ShadedJar.Run runJar(Map<String, String> extraEnvironment) throws Exception {
        return runJar(START_EVENT, extraEnvironment);
    }

    private ShadedJar.Run runJar(String eventJson, Map<String, String> extraEnvironment) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("UPLOAD_ROLE_ARN", "arn:aws:iam::123456789012:role/upload-role");
        env.put("UPLOAD_BUCKET_NAME", "uploads-bucket");
        env.put("CREDENTIAL_DURATION_SECONDS", "900");
        // A fresh JVM's first STS call also loads the SDK's classes; on a loaded machine that alone can outlast
        // the default 5 s budget and end in a 503 these tests do not expect. The budget is tested in
        // CredentialsHandlerTest; here it only has to be out of the way.
        env.put("STS_TIMEOUT_MILLIS", "29000");
        env.put("LEDGER_TABLE", LEDGER_TABLE);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", MotoDynamoDb.endpoint().toString());
        env.putAll(extraEnvironment);
        return SHADED.run(CredentialsHandler.class.getName(), eventJson, env, temp);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
