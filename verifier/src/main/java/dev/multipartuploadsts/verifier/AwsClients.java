package dev.multipartuploadsts.verifier;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the three clients: URL-connection HTTP, explicit region and credentials, and at most
 * {@value #MAX_ATTEMPTS} attempts with the SDK's standard backoff. A failure past those goes back to the queue,
 * which tries again after the visibility timeout: cheaper than a Lambda sleeping through the DynamoDB client's own
 * default of many throttled attempts (close to a minute measured in the wire tests).
 */
final class AwsClients {

    static final int MAX_ATTEMPTS = 3;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** S3 keeps a long CopyObject's connection alive with whitespace, so this bounds silence, not the copy. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private AwsClients() {
    }

    /** The execution role's credentials from Lambda's environment variables, else the container endpoint. */
    static AwsCredentialsProvider lambdaCredentials(Map<String, String> env) {
        return env.get("AWS_ACCESS_KEY_ID") != null
                ? EnvironmentVariableCredentialsProvider.create() : ContainerCredentialsProvider.create();
    }

    /**
     * The S3 client. Path-style addressing when an endpoint is given (tests, or {@code AWS_ENDPOINT_URL[_S3]} for
     * an emulator), because an emulator on 127.0.0.1 has no per-bucket host names.
     */
    static S3Client s3(String region, AwsCredentialsProvider credentials, URI endpoint, Map<String, String> env) {
        boolean emulated = endpoint != null || env.get("AWS_ENDPOINT_URL_S3") != null
                || env.get("AWS_ENDPOINT_URL") != null;
        return configure(S3Client.builder(), region, credentials, endpoint).forcePathStyle(emulated).build();
    }

    static DynamoDbClient dynamo(String region, AwsCredentialsProvider credentials, URI endpoint) {
        return configure(DynamoDbClient.builder(), region, credentials, endpoint).build();
    }

    static EventBridgeClient events(String region, AwsCredentialsProvider credentials, URI endpoint) {
        return configure(EventBridgeClient.builder(), region, credentials, endpoint).build();
    }

    /** With {@code endpoint} null the SDK picks the endpoint, honouring {@code AWS_ENDPOINT_URL_<SERVICE>}. */
    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
            String region, AwsCredentialsProvider credentials, URI endpoint) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(o -> o.retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
