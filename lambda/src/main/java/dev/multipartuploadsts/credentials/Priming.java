package dev.multipartuploadsts.credentials;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.multipartuploadsts.common.Jackson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Sends one made-up start request through a throwaway handler at init, so that the classes of the whole
 * request path (event parsing, the ledger's transaction, SigV4 signing, XML reading, answer writing) are loaded and linked before
 * SnapStart takes its snapshot, instead of on the first real request after a restore.
 *
 * <p>Only worth it when init is off the request path, that is with SnapStart or provisioned concurrency;
 * on an on-demand cold start it would only move the same work earlier. It calls nothing over the network:
 * the throwaway handler gets {@link InMemoryAws} clients. It keeps no state: the real clients, their
 * credentials and the upload-id source are untouched, and the fixed upload id means no random generator is
 * seeded before the snapshot. It knows the handler only through the factory it is given.
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

    private Priming() {
    }

    /** What the throwaway handler is built from: clients that answer from memory and a fixed upload id. */
    record Fakes(StsClient sts, DynamoDbClient dynamoDb, Supplier<String> uploadIds) {
    }

    /** Whether init runs ahead of requests here, so that priming pays off. */
    static boolean pays(Map<String, String> env) {
        String type = env.get("AWS_LAMBDA_INITIALIZATION_TYPE");
        return SNAP_START.equals(type) || PROVISIONED.equals(type);
    }

    /**
     * Runs the made-up request through {@code handlers.apply(fakes)}; a failure is reported to {@code log}
     * and otherwise ignored, since priming only saves time and must never stop the function from starting.
     *
     * @return whether the made-up request was answered with 200
     */
    static boolean prime(String region, Function<Fakes, RequestStreamHandler> handlers, Consumer<String> log) {
        try (StsClient sts = InMemoryAws.sts(region); DynamoDbClient dynamoDb = InMemoryAws.dynamoDb(region)) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            handlers.apply(new Fakes(sts, dynamoDb, () -> UPLOAD_ID)).handleRequest(new ByteArrayInputStream(EVENT), answer, null);
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
        return Jackson.write(json -> {
            json.writeStartObject();
            json.writeStringField("outcome", "priming_failed");
            json.writeStringField("detail", detail);
            json.writeEndObject();
        });
    }
}
