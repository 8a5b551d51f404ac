import dev.multipartuploadsts.credentials.Config;
import dev.multipartuploadsts.credentials.CredentialsHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Warm latency without the STS round trip: the same handler code and the real SDK client (marshalling,
 * SigV4 signing, XML unmarshalling), with an HTTP client that hands back a canned AssumeRole answer
 * instead of going to the network. Kept out of {@link ColdStartHarness} so none of this is loaded before
 * the cold start is measured.
 */
final class WarmLocal {

    private static final byte[] ANSWER = ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/upload/s</Arn>"
            + "<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser><Credentials>"
            + "<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>"
            + "<SessionToken>token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
            + "<PackedPolicySize>7</PackedPolicySize></AssumeRoleResult>"
            + "<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></AssumeRoleResponse>")
            .getBytes(StandardCharsets.UTF_8);

    private WarmLocal() {
    }

    static long[] run(byte[] event, int count) throws IOException {
        Config config = Config.fromEnvironment(System.getenv());
        try (StsClient sts = StsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .endpointOverride(URI.create("https://sts.local.invalid"))
                .httpClient(new CannedHttpClient())
                .build()) {
            CredentialsHandler handler = new CredentialsHandler(config, sts, () -> UUID.randomUUID().toString(),
                    line -> System.out.println(line));
            return ColdStartHarness.time(handler, event, count);
        }
    }

    /** Answers every request with {@link #ANSWER}, after reading the request body as a server would. */
    private static final class CannedHttpClient implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    request.contentStreamProvider().ifPresent(body -> drain(body.newStream()));
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "text/xml")
                                    .putHeader("Content-Length", Integer.toString(ANSWER.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(ANSWER)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }

        private static void drain(InputStream in) {
            try (in) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
