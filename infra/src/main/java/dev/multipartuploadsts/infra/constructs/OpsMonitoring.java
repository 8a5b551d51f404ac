package dev.multipartuploadsts.infra.constructs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.IHttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What ops watch: CloudWatch alarms on the credentials Lambda, the HTTP API, STS (from the handler's log line) and
 * the upload verifier (errors, rejections, dead letters), notifying an SNS topic, and a dashboard of uploads
 * granted, credentials latency, answers by code, bytes uploaded and the verifier's outcomes. README.md ("Alarms and
 * dashboard") says what each alarm means and what to do.
 *
 * <p>The topic is encrypted with a key of its own (CloudWatch cannot use the AWS managed SNS key), refuses
 * requests without TLS, and lets CloudWatch publish only for alarms of this account and region.
 */
public final class OpsMonitoring extends Construct {
    /** S3 request metrics filter on the upload bucket (a metrics configuration of this id covers {@code uploads/}). */
    public static final String UPLOAD_METRICS_FILTER_ID = "uploads";

    private static final Duration PERIOD = Duration.minutes(5);

    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    /**
     * Props for {@link OpsMonitoring}.
     *
     * @param namespace        CloudWatch namespace of the metrics taken from the handler's log line; required
     * @param alarmEmail       an address the topic notifies once it confirms the subscription; empty for none
     * @param function         the credentials function; required
     * @param functionLogs     its log group, which holds one JSON line per request; required
     * @param functionTimeout  its timeout, the yardstick of the duration alarm; required
     * @param api              the HTTP API; required
     * @param uploadBucketName the bucket whose S3 request metrics ({@link #UPLOAD_METRICS_FILTER_ID}) are shown; required
     * @param verifier         the upload verifier, watched too; empty for none
     */
    public record Props(String namespace, Optional<String> alarmEmail, IFunction function, ILogGroup functionLogs,
            Duration functionTimeout, IHttpApi api, String uploadBucketName, Optional<Verifier> verifier) {
        public Props {
            Required.prop("OpsMonitoring.Props.namespace", namespace);
            Required.prop("OpsMonitoring.Props.alarmEmail", alarmEmail);
            Required.prop("OpsMonitoring.Props.function", function);
            Required.prop("OpsMonitoring.Props.functionLogs", functionLogs);
            Required.prop("OpsMonitoring.Props.functionTimeout", functionTimeout);
            Required.prop("OpsMonitoring.Props.api", api);
            Required.prop("OpsMonitoring.Props.uploadBucketName", uploadBucketName);
            Required.prop("OpsMonitoring.Props.verifier", verifier);
        }
    }

    /**
     * The verifier's parts that ops watch.
     *
     * @param function    the verifier Lambda
     * @param logs        its log group, one JSON line per message
     * @param deadLetters the queue where messages land after the verifier failed on them repeatedly
     */
    public record Verifier(IFunction function, ILogGroup logs, IQueue deadLetters) {
        public static Verifier of(UploadVerifier verifier) {
            return new Verifier(verifier.function(), verifier.logGroup(), verifier.deadLetters());
        }
    }

    public OpsMonitoring(Construct scope, String id, Props props) {
        super(scope, id);
        Stack stack = Stack.of(this);
        this.topic = alarmTopic(stack);
        props.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));

        // Metrics from the handler's one JSON line per request (lambda/README.md, "Logging").
        String ns = props.namespace();
        logMetric(props, "RequestsByOutcome", "{ $.outcome = * }", "Requests", "1", Map.of("Outcome", "$.outcome"));
        Metric granted = logMetric(props, "UploadsGranted", "{ $.route = \"POST /uploads\" && $.outcome = \"issued\" }",
                "UploadsGranted", "1", Map.of());
        Metric bytesGranted = logMetric(props, "BytesGranted",
                "{ $.route = \"POST /uploads\" && $.outcome = \"issued\" }", "BytesGranted", "$.size", Map.of());
        // stsLatencyMs is logged exactly when AssumeRole was called; an outcome other than issued is then STS's failure.
        Metric stsFailures = logMetric(props, "StsFailures", "{ $.stsLatencyMs = * && $.outcome != \"issued\" }",
                "StsFailures", "1", Map.of());
        Metric stsLatency = logMetric(props, "StsLatency", "{ $.stsLatencyMs = * }", "StsLatency", "$.stsLatencyMs",
                Map.of());

        IFunction fn = props.function();
        alarm("CredentialsErrors", fn.metricErrors(sum()), 1, 1,
                "The credentials Lambda failed (an uncaught error or a timeout): users got a 5xx without the "
                        + "designed error body. See the function's log and README.md, Alarms.");
        alarm("CredentialsThrottles", fn.metricThrottles(sum()), 1, 1,
                "Lambda throttled the credentials function (account or reserved concurrency): users got 429/5xx.");
        double durationThresholdMs = props.functionTimeout().toMilliseconds().doubleValue() / 2;
        alarm("CredentialsDurationP99", fn.metricDuration(MetricOptions.builder().statistic("p99").period(PERIOD).build()),
                durationThresholdMs, 3,
                "The credentials Lambda's p99 duration stayed above half its timeout for 15 minutes: STS is slow "
                        + "or the function lacks memory; requests are close to timing out.");
        alarm("Api5xxRate", rate("Server errors", props.api().metricServerError(sum()), props.api().metricCount(sum())),
                5, 2, "More than 5% of API requests answered 5xx for 10 minutes (with at least 10 requests per 5 "
                        + "minutes): STS failures, Lambda errors or throttling.");
        alarm("Api4xxRate", rate("Client errors", props.api().metricClientError(sum()), props.api().metricCount(sum())),
                25, 3, "More than 25% of API requests answered 4xx for 15 minutes (with at least 10 requests per 5 "
                        + "minutes): a sign-in or configuration mismatch (issuer, audience, CORS) or a broken page.");
        alarm("StsFailures", stsFailures, 3, 1,
                "AssumeRole failed at least 3 times in 5 minutes (throttled, unavailable, access denied or an "
                        + "unreadable answer): the outcome and detail fields of the function's log say which.");

        List<List<IWidget>> verifierRow = props.verifier().map(v -> verifierAlarms(props, v)).orElse(List.of());

        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(graph("Uploads granted (per 5 minutes)", List.of(granted.with(sum()))),
                graph("Credentials latency (ms)", List.of(
                        fn.metricDuration(stat("p50", "Lambda p50")),
                        fn.metricDuration(stat("p99", "Lambda p99")),
                        stsLatency.with(stat("p50", "AssumeRole p50")),
                        stsLatency.with(stat("p99", "AssumeRole p99"))))));
        rows.add(List.of(graph("Answers by code (per 5 minutes)", List.of(search(ns, "Requests"))),
                graph("Bytes uploaded (S3) and declared at grant", List.of(
                        s3UploadMetric(props.uploadBucketName(), "BytesUploaded", "Bytes uploaded"),
                        bytesGranted.with(MetricOptions.builder().statistic("Sum").period(PERIOD)
                                .label("Bytes declared in granted uploads").build())))));
        rows.addAll(verifierRow);
        rows.add(List.of(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(alarms.stream().map(a -> (IAlarm) a).toList())
                .width(24)
                .build()));
        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(stack.getStackName() + "-uploads")
                .widgets(rows)
                .build();
    }

    /** Alarms on the verifier, and the dashboard row that shows its outcomes and dead letters. */
    private List<List<IWidget>> verifierAlarms(Props props, Verifier verifier) {
        String ns = props.namespace();
        MetricFilter.Builder.create(this, "VerifierOutcomesFilter")
                .logGroup(verifier.logs())
                .filterPattern(FilterPattern.literal("{ $.component = \"verifier\" && $.outcome = * }"))
                .metricNamespace(ns)
                .metricName("VerifierMessages")
                .metricValue("1")
                .dimensions(Map.of("Outcome", "$.outcome"))
                .build();
        Metric rejections = MetricFilter.Builder.create(this, "VerifierRejectionsFilter")
                .logGroup(verifier.logs())
                .filterPattern(FilterPattern.literal("{ $.component = \"verifier\" && $.outcome = \"rejected\" }"))
                .metricNamespace(ns)
                .metricName("VerifierRejections")
                .metricValue("1")
                .build()
                .metric(sum());
        Metric deadLetters = verifier.deadLetters().metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().statistic("Maximum").period(PERIOD).build());
        alarm("VerifierErrors", verifier.function().metricErrors(sum()), 1, 1,
                "The verifier Lambda failed a whole batch (an uncaught error or a timeout); its messages return to "
                        + "the queue and, after repeated failures, to the dead-letter queue.");
        alarm("VerifierRejections", rejections, 1, 1,
                "The verifier rejected an upload (no grant, wrong size, key or owner, or rewritten after "
                        + "completion) and deleted or quarantined it: the log line's reason says which.");
        alarm("VerifierDeadLetters", deadLetters, 1, 1,
                "Object Created events sit in the verifier's dead-letter queue: those objects were never verified. "
                        + "Fix the cause, then redrive the queue.");
        return List.of(List.of(graph("Verifier outcomes (per 5 minutes)", List.of(search(ns, "VerifierMessages"))),
                graph("Verifier dead letters (messages)", List.of(deadLetters))));
    }

    /** One series per Outcome value of a log-line metric. */
    private static MathExpression search(String namespace, String metricName) {
        return MathExpression.Builder.create()
                .expression("SEARCH('{\"" + namespace + "\",Outcome} MetricName=\"" + metricName + "\"', 'Sum', 300)")
                .label("")
                .period(PERIOD)
                .build();
    }

    private Topic alarmTopic(Stack stack) {
        Key key = Key.Builder.create(this, "TopicKey")
                .description("Encrypts the upload app's alarm notifications")
                .enableKeyRotation(true)
                // Holds nothing that outlives a notification: deleting the stack may schedule its deletion.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // CloudWatch encrypts the notification it publishes, so it needs the key (the AWS managed key refuses it).
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublishEncrypted")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        Topic alarmTopic = Topic.Builder.create(this, "Topic")
                .displayName("Upload app alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        alarmTopic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsOfThisAccount")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(alarmTopic.getTopicArn()))
                .conditions(Map.of("ArnLike", Map.of("aws:SourceArn", stack.formatArn(ArnComponents.builder()
                        .service("cloudwatch").resource("alarm").resourceName("*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))))
                .build());
        return alarmTopic;
    }

    private Metric logMetric(Props props, String id, String pattern, String metricName, String value,
            Map<String, String> dimensions) {
        MetricFilter filter = MetricFilter.Builder.create(this, id + "Filter")
                .logGroup(props.functionLogs())
                .filterPattern(FilterPattern.literal(pattern))
                .metricNamespace(props.namespace())
                .metricName(metricName)
                .metricValue(value)
                .dimensions(dimensions.isEmpty() ? null : dimensions)
                .build();
        return filter.metric(sum());
    }

    private void alarm(String id, IMetric metric, double threshold, int periods, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(Stack.of(this).getStackName() + "-" + id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                // No requests means nothing is failing.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        SnsAction notify = new SnsAction(topic);
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
        alarms.add(alarm);
    }

    /** Percent of requests that are errors, counted only from 10 requests per period so one failure is no alarm. */
    private static MathExpression rate(String label, IMetric errors, IMetric requests) {
        return MathExpression.Builder.create()
                .expression("IF(requests >= 10, 100 * errors / requests, 0)")
                // Sorted: Map.of iterates in an order that changes from one JVM to the next, and so would the template.
                .usingMetrics(new TreeMap<>(Map.of("errors", errors, "requests", requests)))
                .label(label + " (% of requests)")
                .period(PERIOD)
                .build();
    }

    private static Metric s3UploadMetric(String bucketName, String metricName, String label) {
        return Metric.Builder.create()
                .namespace("AWS/S3")
                .metricName(metricName)
                .dimensionsMap(new TreeMap<>(Map.of("BucketName", bucketName, "FilterId", UPLOAD_METRICS_FILTER_ID)))
                .statistic("Sum")
                .period(PERIOD)
                .label(label)
                .build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(12).build();
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    private static MetricOptions stat(String statistic, String label) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).label(label).build();
    }

    /** The topic every alarm notifies, on alarm and on recovery. */
    public Topic topic() {
        return topic;
    }

    /** Every alarm, in the order README.md lists them. */
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
