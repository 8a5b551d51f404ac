package dev.multipartuploadsts.verifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Verifies each uploaded object against its grant, for a batch of SQS messages (S3 {@code Object Created} events
 * that an EventBridge rule forwards to the queue). Answers with a partial batch response: only the messages whose
 * verification failed in a way worth retrying are listed, so SQS delivers just those again, and its dead-letter
 * queue takes any that keep failing. Each message leaves one JSON log line.
 */
public final class VerifierHandler implements RequestStreamHandler {

    private final Verifier verifier;
    private final Consumer<String> log;

    /** What Lambda instantiates: settings from the environment and the shared clients. */
    public VerifierHandler() {
        this(Production.VERIFIER, line -> System.out.println(line));
    }

    /**
     * For tests.
     *
     * @param log receives one JSON line per message
     */
    VerifierHandler(Verifier verifier, Consumer<String> log) {
        this.verifier = verifier;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Object event = Json.parse(input);
        List<?> records = Json.array(event, "Records");
        if (records == null) {
            // Not an SQS batch at all: the function is wired wrong. Failing the invocation keeps the messages.
            throw new IllegalArgumentException("the input must be an SQS event with a Records array, but it has none");
        }
        List<String> failed = new ArrayList<>();
        for (Object record : records) {
            String messageId = Json.string(record, "messageId");
            if (!handle(record, messageId)) {
                failed.add(messageId);
            }
        }
        output.write(batchResponse(failed).getBytes(StandardCharsets.UTF_8));
    }

    /** Verifies one message; false when it must be delivered again. */
    private boolean handle(Object record, String messageId) {
        VerificationLog line = new VerificationLog();
        line.messageId = messageId;
        line.receiveCount = Json.string(record, "attributes", "ApproximateReceiveCount");
        long started = System.nanoTime();
        boolean done;
        try {
            verifier.verify(Json.string(record, "body"), line);
            done = true;
        } catch (SdkException e) {
            line.outcome = "retry";
            line.detail = describe(e);
            done = false;
        } catch (RuntimeException e) {
            // A bug or an unreadable ledger item: retried like a failure, and the dead-letter queue keeps it.
            StackTraceElement[] trace = e.getStackTrace();
            line.outcome = "retry";
            line.detail = e + (trace.length > 0 ? " at " + trace[0] : "");
            done = false;
        }
        line.latencyMs = (System.nanoTime() - started) / 1_000_000;
        log.accept(line.toJson());
        return done;
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().serviceName() + " " + service.statusCode() + " "
                    + service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        }
        return e.toString();
    }

    /** {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}, ...]}}, as Lambda's SQS poller reads it. */
    static String batchResponse(List<String> failedMessageIds) {
        return Jackson.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("batchItemFailures");
            for (String id : failedMessageIds) {
                json.writeStartObject();
                json.writeStringField("itemIdentifier", id);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** Built once per execution environment, at init: settings and clients, no AWS call. */
    private static final class Production {
        static final Map<String, String> ENV = System.getenv();
        static final VerifierConfig CONFIG = VerifierConfig.fromEnvironment(ENV);
        static final Verifier VERIFIER = create();

        private static Verifier create() {
            var credentials = AwsClients.lambdaCredentials(ENV);
            return new Verifier(CONFIG,
                    new ObjectStore(AwsClients.s3(CONFIG.region(), credentials, null, ENV), CONFIG.bucket(),
                            CONFIG.rejectedObjects()),
                    new Ledger(AwsClients.dynamo(CONFIG.region(), credentials, null), CONFIG.table()),
                    new UploadEvents(AwsClients.events(CONFIG.region(), credentials, null), CONFIG.eventBus()),
                    Clock.systemUTC());
        }
    }
}
