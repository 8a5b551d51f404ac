package dev.multipartuploadsts.credentials;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
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
 * Sends one made-up start request through a throwaway handler at init, so that the classes of the whole
 * request path (event parsing, SigV4 signing, XML reading, answer writing) are loaded and linked before
 * SnapStart takes its snapshot, instead of on the first real request after a restore.
 *
 * <p>Only worth it when init is off the request path, that is with SnapStart or provisioned concurrency;
 * on an on-demand cold start it would only move the same work earlier. It calls nothing over the network:
 * the throwaway client has made-up credentials and an HTTP client that answers from memory. It keeps no
 * state: the real client, its credentials and the upload-id source are untouched, and the fixed upload id
 * means no random generator is seeded before the snapshot.
 */
final class Priming {

    /** Lambda's values of {@code AWS_LAMBDA_INITIALIZATION_TYPE} for which init runs ahead of requests. */
    private static final String SNAP_START = "snap-start";
    private static final String PROVISIONED = "provisioned-concurrency";

    private static final String UPLOAD_ID = "00000000-0000-4000-8000-000000000000";
    private static final byte[] EVENT = ("{\"routeKey\":\"POST /uploads\",\"requestContext\":{\"requestId\":\"priming\","
            + "\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"priming\"}}}},"
            + "\"body\":\"{\\\"fileName\\\":\\\"priming.bin\\\",\\\"size\\\":1}\",\"isBase64Encoded\":false}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] ASSUME_ROLE_ANSWER = ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><Credentials><AccessKeyId>ASIAPRIMING</AccessKeyId>"
            + "<SecretAccessKey>priming</SecretAccessKey><SessionToken>priming</SessionToken>"
            + "<Expiration>2000-01-01T00:00:00Z</Expiration></Credentials><PackedPolicySize>1</PackedPolicySize>"
            + "</AssumeRoleResult></AssumeRoleResponse>").getBytes(StandardCharsets.UTF_8);

    private Priming() {
    }

    /** Whether init runs ahead of requests here, so that priming pays off. */
    static boolean pays(Map<String, String> env) {
        String type = env.get("AWS_LAMBDA_INITIALIZATION_TYPE");
        return SNAP_START.equals(type) || PROVISIONED.equals(type);
    }

    /**
     * Runs the made-up request; a failure is reported to {@code log} and otherwise ignored, since priming
     * only saves time and must never stop the function from starting.
     *
     * @return whether the made-up request was answered with 200
     */
    static boolean prime(Config config, Consumer<String> log) {
        try (StsClient sts = StsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAPRIMING", "priming")))
                .httpClient(new InMemoryHttpClient())
                .build()) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            CredentialsHandler handler = new CredentialsHandler(config, sts, () -> UPLOAD_ID, line -> { });
            handler.handleRequest(new ByteArrayInputStream(EVENT), answer, null);
            if (!answer.toString(StandardCharsets.UTF_8).startsWith("{\"statusCode\":200")) {
                log.accept(failure("the made-up request was not answered with 200"));
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            log.accept(failure(e.toString()));
            return false;
        }
    }

    private static String failure(String detail) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("outcome", "priming_failed");
            json.writeStringField("detail", detail);
            json.writeEndObject();
        });
    }

    /** Answers every request with a canned AssumeRole result, without touching the network. */
    private static final class InMemoryHttpClient implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    request.contentStreamProvider().ifPresent(body -> drain(body.newStream()));
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "text/xml").build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(ASSUME_ROLE_ANSWER)))
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
