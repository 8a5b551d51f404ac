package dev.multipartuploadsts.credentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Real SDK clients (marshalling, SigV4 signing, unmarshalling) whose HTTP client answers from memory with a
 * canned success (for DynamoDB an empty one: the grant is written, nothing is found), so nothing reaches the network and no real credentials are used. What {@link Priming} runs
 * at init, and what {@code bench/cold-start} times as warm latency without the network.
 */
public final class InMemoryAws {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAINMEMORY", "in-memory"));

    /** A complete AssumeRole answer; the credentials are made up and long expired. */
    private static final byte[] ASSUME_ROLE_ANSWER = ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><Credentials><AccessKeyId>ASIAINMEMORY</AccessKeyId>"
            + "<SecretAccessKey>in-memory</SecretAccessKey><SessionToken>in-memory</SessionToken>"
            + "<Expiration>2000-01-01T00:00:00Z</Expiration></Credentials><PackedPolicySize>1</PackedPolicySize>"
            + "</AssumeRoleResult></AssumeRoleResponse>").getBytes(StandardCharsets.UTF_8);

    /** Every DynamoDB call this handler makes (TransactWriteItems, GetItem, Query) succeeds with an empty answer. */
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    private InMemoryAws() {
    }

    /** A DynamoDB client for {@code region} whose every call succeeds from memory with {@code {}}. */
    public static DynamoDbClient dynamoDb(String region) {
        return DynamoDbClient.builder()
                .region(Region.of(region))
                .credentialsProvider(CREDENTIALS)
                .httpClient(new CannedHttpClient("application/x-amz-json-1.0", EMPTY_JSON))
                .build();
    }

    /** An STS client for {@code region} whose every AssumeRole succeeds from memory. */
    public static StsClient sts(String region) {
        return StsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(CREDENTIALS)
                .httpClient(new CannedHttpClient("text/xml", ASSUME_ROLE_ANSWER))
                .build();
    }

    /** Answers every request with one canned 200, after reading the request body as a server would. */
    private static final class CannedHttpClient implements SdkHttpClient {
        private final String contentType;
        private final byte[] answer;

        CannedHttpClient(String contentType, byte[] answer) {
            this.contentType = contentType;
            this.answer = answer;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    request.contentStreamProvider().ifPresent(body -> drain(body.newStream()));
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", contentType)
                                    .putHeader("Content-Length", Integer.toString(answer.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
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
