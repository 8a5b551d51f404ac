package dev.multipartuploadsts.credentials;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * Builds the STS and DynamoDB clients the same way: URL-connection HTTP, explicit region and credentials,
 * bounded time and retries.
 */
public final class AwsClients {

    /** One retry absorbs a blip; beyond that the caller is better served by a quick 503 and Retry-After. */
    static final int MAX_ATTEMPTS = 2;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The client's ceiling, well inside API Gateway's 30-second integration timeout; each call sets its own,
     * shorter budget (see {@link CallBudget}), within the function's timeout.
     */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(Config.MAX_STS_TIMEOUT_MILLIS / 1000);

    private AwsClients() {
    }

    /**
     * The execution role's credentials as Lambda provides them: in environment variables normally, through
     * the container credentials endpoint when SnapStart is on (Lambda then sets
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} instead of the keys, so that restored snapshots get fresh
     * credentials). The choice depends only on which variables exist, which does not change between init
     * and restore; the credentials themselves are resolved on the first call, so none land in a snapshot.
     * Choosing beats a chain of both: building the container provider costs tens of milliseconds of class
     * loading on every cold start that does not need it. Neither probes profile files or EC2 metadata.
     */
    public static AwsCredentialsProvider lambdaCredentials(Map<String, String> env) {
        if (env.get("AWS_ACCESS_KEY_ID") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return ContainerCredentialsProvider.create();
    }

    /**
     * An STS client for {@code region}. With {@code endpointOverride} null the SDK picks the endpoint, honouring
     * {@code AWS_ENDPOINT_URL_STS} and {@code AWS_ENDPOINT_URL} (the local mode uses those).
     */
    public static StsClient sts(String region, AwsCredentialsProvider credentials, URI endpointOverride) {
        StsClientBuilder builder = configure(StsClient.builder(), region, credentials);
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }

    /**
     * A DynamoDB client for {@code region}, for the upload ledger. With {@code endpointOverride} null the SDK
     * picks the endpoint, honouring {@code AWS_ENDPOINT_URL_DYNAMODB} and {@code AWS_ENDPOINT_URL}.
     */
    public static DynamoDbClient dynamoDb(String region, AwsCredentialsProvider credentials, URI endpointOverride) {
        DynamoDbClientBuilder builder = configure(DynamoDbClient.builder(), region, credentials);
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }

    private static <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, String region,
            AwsCredentialsProvider credentials) {
        return builder
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build())
                .overrideConfiguration(o -> o
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS)));
    }
}
