package dev.multipartuploadsts.verifier;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static dev.multipartuploadsts.verifier.AwsStubs.GET_ITEM;
import static dev.multipartuploadsts.verifier.AwsStubs.PUT_EVENTS;
import static dev.multipartuploadsts.verifier.AwsStubs.TRANSACT_WRITE;
import static dev.multipartuploadsts.verifier.AwsStubs.dynamo;
import static dev.multipartuploadsts.verifier.AwsStubs.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.multipartuploadsts.common.ShadedJar;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the deployment jar that {@code mvn package} produced: its content, and that it runs on its own. */
class ShadedJarIT {

    private static final ShadedJar SHADED =
            new ShadedJar(Paths.get(System.getProperty("lambda.jar", "target/verifier-lambda.jar")));
    private static final String BUCKET = "upload-bucket-1";
    private static final String OWNER = "mfrggzdf";
    private static final String UPLOAD_ID = "01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f";
    private static final String KEY = "uploads/" + OWNER + "/" + UPLOAD_ID + "/clip.mp4";

    private static WireMockServer aws;

    @TempDir
    Path temp;

    @BeforeAll
    static void startAws() {
        aws = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        aws.start();
    }

    @AfterAll
    static void stopAws() {
        aws.stop();
    }

    @Test
    void holdsTheHandlerTheLedgerSchemaAndNoApacheOrNettyHttpClient() throws IOException {
        List<String> names = SHADED.entryNames();

        assertThat(names).noneMatch(n -> n.startsWith("org/apache/http/") || n.startsWith("org/apache/hc/")
                || n.startsWith("io/netty/") || n.startsWith("software/amazon/awssdk/http/apache")
                || n.startsWith("software/amazon/awssdk/http/nio/"));
        assertThat(names).contains("dev/multipartuploadsts/verifier/VerifierHandler.class",
                "dev/multipartuploadsts/ledger/UploadKey.class",
                "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
                "org/slf4j/impl/StaticLoggerBinder.class");
    }

    @Test
    void runsOnItsOwnAgainstTheEndpointInAwsEndpointUrl() throws Exception {
        aws.resetAll();
        AwsStubs stubs = new AwsStubs(aws, BUCKET);
        aws.stubFor(stubs.objectIs(KEY, 42, "etag-1"));
        aws.stubFor(dynamo(GET_ITEM).willReturn(json(200,
                AwsStubs.grantItem(OWNER, UPLOAD_ID, KEY, "granted", 42, null, null))));
        aws.stubFor(dynamo(TRANSACT_WRITE).willReturn(json(200, "{}")));
        aws.stubFor(dynamo(PUT_EVENTS).willReturn(AwsStubs.eventsAccepted()));

        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL", aws.baseUrl()),
                Messages.batch(List.of(Messages.objectCreated(BUCKET, KEY, 42, "etag-1"))));

        assertThat(run.exitCode()).isZero();
        assertThat(run.answer()).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout().lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("\"outcome\":\"completed\""));
        assertThat(stubs.calls(TRANSACT_WRITE)).hasSize(1);
        assertThat(stubs.calls(PUT_EVENTS)).hasSize(1);
        assertThat(aws.findAll(deleteRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void failsAtInitNamingTheMisconfiguredVariable() throws Exception {
        aws.resetAll();

        ShadedJar.Run run = runJar(Map.of("AWS_ENDPOINT_URL", aws.baseUrl(), "REJECTED_OBJECTS", "KEEP"),
                Messages.batch(List.of(Messages.objectCreated(BUCKET, KEY, 42, "etag-1"))));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("REJECTED_OBJECTS must be DELETE (the default) or QUARANTINE, but \"KEEP\" was given");
        assertThat(aws.getAllServeEvents()).isEmpty();
    }

    private ShadedJar.Run runJar(Map<String, String> extraEnvironment, String batch) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGER_TABLE", "uploads-ledger");
        env.put("UPLOAD_BUCKET", BUCKET);
        env.put("EVENT_BUS_NAME", "uploads-app-bus");
        env.putAll(extraEnvironment);
        return SHADED.run(VerifierHandler.class.getName(), batch, env, temp);
    }
}
