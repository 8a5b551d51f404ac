package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Verifies every object created under {@code uploads/}: a rule on the account's default event bus sends the
 * bucket's {@code Object Created} events to an SQS queue (with a dead-letter queue after
 * {@value #MAX_RECEIVE_COUNT} receives), the verifier Lambda reads them in batches, and puts
 * {@code Upload Completed} / {@code Upload Rejected} on the app's own bus.
 */
public final class UploadVerifier extends Construct {
    /** The handler inside the jar built from {@code verifier/}. */
    public static final String HANDLER = "dev.multipartuploadsts.verifier.VerifierHandler::handleRequest";
    /** Receives before SQS moves a message to the dead-letter queue. */
    public static final int MAX_RECEIVE_COUNT = 5;
    /** Messages per invocation; each is verified on its own and reported on its own. */
    public static final int BATCH_SIZE = 10;
    /** A HEAD, a read, a write, a put and a delete per message, each with bounded retries: well inside a minute. */
    public static final int TIMEOUT_SECONDS = 60;
    /** QUARANTINE copies objects of up to 5 GiB server-side first, which can take minutes. */
    public static final int QUARANTINE_TIMEOUT_SECONDS = 300;
    /** Java SDK clients initialise markedly faster with the CPU share that comes with 1 GB. */
    public static final int MEMORY_MB = 1024;

    private final EventBus appBus;
    private final Queue queue;
    private final Queue deadLetters;
    private final LogGroup logGroup;
    private final Role executionRole;
    private final Function function;

    /**
     * Props for {@link UploadVerifier}, built by name with {@link #builder()}.
     *
     * @param jar              the verifier's deployment jar; required
     * @param uploadBucket     the bucket whose objects it verifies; required
     * @param ledger           the ledger table holding the grants; required
     * @param appBusName       the name of the app's own bus; required
     * @param rejectedObjects  delete rejected objects, or quarantine them first; default DELETE
     * @param logRetentionDays function log retention; default 30
     */
    public record Props(
            Path jar,
            UploadBucket uploadBucket,
            UploadLedger ledger,
            String appBusName,
            AppConfig.RejectedObjects rejectedObjects,
            int logRetentionDays) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private Path jar;
            private UploadBucket uploadBucket;
            private UploadLedger ledger;
            private String appBusName;
            private AppConfig.RejectedObjects rejectedObjects = AppConfig.DEFAULTS.rejectedObjects();
            private int logRetentionDays = AppConfig.DEFAULTS.logRetentionDays();

            private Builder() { }

            public Builder jar(Path value) {
                this.jar = value;
                return this;
            }

            public Builder uploadBucket(UploadBucket value) {
                this.uploadBucket = value;
                return this;
            }

            public Builder ledger(UploadLedger value) {
                this.ledger = value;
                return this;
            }

            public Builder appBusName(String value) {
                this.appBusName = value;
                return this;
            }

            public Builder rejectedObjects(AppConfig.RejectedObjects value) {
                this.rejectedObjects = value;
                return this;
            }

            public Builder logRetentionDays(int value) {
                this.logRetentionDays = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("UploadVerifier.Props.jar", jar),
                        Required.prop("UploadVerifier.Props.uploadBucket", uploadBucket),
                        Required.prop("UploadVerifier.Props.ledger", ledger),
                        Required.prop("UploadVerifier.Props.appBusName", appBusName),
                        rejectedObjects, logRetentionDays);
            }
        }
    }

    public UploadVerifier(Construct scope, String id, Props props) {
        super(scope, id);
        boolean quarantine = props.rejectedObjects() == AppConfig.RejectedObjects.QUARANTINE;
        int timeoutSeconds = quarantine ? QUARANTINE_TIMEOUT_SECONDS : TIMEOUT_SECONDS;

        this.appBus = EventBus.Builder.create(this, "AppBus")
                .eventBusName(props.appBusName())
                .description("Upload Completed and Upload Rejected events from the multipart-upload-sts verifier")
                .build();

        this.deadLetters = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // SQS's longest: time for an operator to find out why verifications kept failing and redrive them.
                .retentionPeriod(Duration.days(14))
                .build();
        this.queue = Queue.Builder.create(this, "ObjectCreated")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // Lambda's advice for SQS sources: at least six times the function timeout, so retries of a batch
                // the poller is still holding do not start before it has been given up.
                .visibilityTimeout(Duration.seconds(6L * timeoutSeconds))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();

        // The bucket's events reach the account's default bus (the bucket's EventBridge setting); this rule takes
        // exactly the object creations under uploads/ of this bucket.
        Rule.Builder.create(this, "ObjectCreatedRule")
                .description("Object Created under uploads/ in the upload bucket, to the verifier's queue")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.s3"))
                        .detailType(List.of("Object Created"))
                        // Sorted: Map.of iterates in an order that changes from one JVM to the next.
                        .detail(new TreeMap<>(Map.of(
                                "bucket", Map.of("name", List.of(props.uploadBucket().bucket().getBucketName())),
                                "object", Map.of("key", List.of(Map.of("prefix", UploadBucket.UPLOAD_PREFIX))))))
                        .build())
                .targets(List.of(new SqsQueue(queue)))
                .build();

        this.executionRole = JavaFunctions.executionRole(this, "Runs the upload verifier: reads and removes objects "
                + "under uploads/, moves grants in the ledger, puts events on the app's bus");
        props.uploadBucket().grantVerification(executionRole);
        if (quarantine) {
            props.uploadBucket().grantQuarantineCopy(executionRole);
        }
        props.ledger().grantVerifierAccess(executionRole);
        appBus.grantPutEventsTo(executionRole);

        FunctionLogs logs = FunctionLogs.create(this, executionRole, props.logRetentionDays());
        this.logGroup = logs.logGroup();

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LEDGER_TABLE", props.ledger().table().getTableName());
        environment.put("UPLOAD_BUCKET", props.uploadBucket().bucket().getBucketName());
        environment.put("EVENT_BUS_NAME", appBus.getEventBusName());
        environment.put("REJECTED_OBJECTS", props.rejectedObjects().name());

        this.function = JavaFunctions.function(this, executionRole, logs, props.jar(), HANDLER)
                .description("Checks each uploaded object against its grant in the ledger; completes or rejects it")
                .memorySize(MEMORY_MB)
                .timeout(Duration.seconds(timeoutSeconds))
                .environment(environment)
                .build();
        function.getNode().addDependency(logs.writePolicy());
        // Consuming the queue (receive, delete, change visibility, attributes) is granted by the event source.
        function.addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(BATCH_SIZE)
                .reportBatchItemFailures(true)
                .build());

        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("Java 21 is the runtime the verifier is built and tested for, like the credentials "
                        + "Lambda; moving to a newer Java runtime is a deliberate, tested upgrade.")
                .build()));
        NagSuppressions.addResourceSuppressions(deadLetters, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This is the dead-letter queue of the verifier's queue; it needs none of its own.")
                .build()));
        List<Object> uploadObjects = List.of(NagReferences.resourceArnWithSuffix(props.uploadBucket().bucket(),
                "/" + UploadBucket.UPLOAD_PREFIX + "*"));
        NagSuppressions.addResourceSuppressions(executionRole, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("The verifier must HEAD and may delete any object under uploads/, whatever its owner: it is "
                        + "the check on every upload. Two actions, listed; nothing outside uploads/.")
                .appliesTo(quarantine ? List.of(uploadObjects.get(0), NagReferences.resourceArnWithSuffix(
                        props.uploadBucket().bucket(), "/" + UploadBucket.QUARANTINE_PREFIX + "*")) : uploadObjects)
                .build()), true);
    }

    /** The app's own bus, where {@code Upload Completed} and {@code Upload Rejected} arrive. */
    public IEventBus appBus() {
        return appBus;
    }

    /** The queue the rule fills and the verifier drains. */
    public IQueue queue() {
        return queue;
    }

    /** Where messages land after {@value #MAX_RECEIVE_COUNT} failed receives. */
    public IQueue deadLetters() {
        return deadLetters;
    }

    public IRole executionRole() {
        return executionRole;
    }

    /** The verifier's log group: one JSON line per message (verifier/README.md, "The log line"). */
    public ILogGroup logGroup() {
        return logGroup;
    }

    public IFunction function() {
        return function;
    }
}
