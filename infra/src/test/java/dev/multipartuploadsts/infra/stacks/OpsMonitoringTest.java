package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The alarms, their topic and the dashboard (README.md, "Alarms"). */
class OpsMonitoringTest {
    private static final Template API = TestApps.template(TestApps.defaultStacks().api());

    private static String logicalIdOf(Template template, String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    private static Map<String, Object> alarm(String name) {
        Map<String, Map<String, Object>> found = API.findResources("AWS::CloudWatch::Alarm",
                Map.of("Properties", Map.of("AlarmName", "MultipartUploadSts-Api-" + name)));
        assertThat(found).as(name).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) found.values().iterator().next().get("Properties");
        return props;
    }

    private static String json(Object value) {
        return String.valueOf(value);
    }

    @Test
    void everyAlarmNotifiesTheTopicOnAlarmAndOnRecoveryAndTreatsSilenceAsFine() {
        String topic = logicalIdOf(API, "AWS::SNS::Topic");
        API.resourceCountIs("AWS::CloudWatch::Alarm", 9);
        for (String name : List.of("CredentialsErrors", "CredentialsThrottles", "CredentialsDurationP99", "Api5xxRate",
                "Api4xxRate", "StsFailures", "VerifierErrors", "VerifierRejections", "VerifierDeadLetters")) {
            Map<String, Object> alarm = alarm(name);
            assertThat(alarm.get("AlarmActions")).as(name).isEqualTo(List.of(Map.of("Ref", topic)));
            assertThat(alarm.get("OKActions")).as(name).isEqualTo(List.of(Map.of("Ref", topic)));
            assertThat(alarm.get("TreatMissingData")).as(name).isEqualTo("notBreaching");
            assertThat(alarm.get("ComparisonOperator")).as(name).isEqualTo("GreaterThanOrEqualToThreshold");
            assertThat((String) alarm.get("AlarmDescription")).as(name).isNotBlank();
        }
    }

    @Test
    void lambdaAlarmsWatchErrorsThrottlesAndP99DurationAgainstHalfTheTimeout() {
        assertThat(alarm("CredentialsErrors")).containsEntry("Namespace", "AWS/Lambda").containsEntry("MetricName", "Errors")
                .containsEntry("Statistic", "Sum").containsEntry("Threshold", 1).containsEntry("EvaluationPeriods", 1);
        assertThat(alarm("CredentialsThrottles")).containsEntry("MetricName", "Throttles").containsEntry("Threshold", 1);
        assertThat(alarm("CredentialsDurationP99")).containsEntry("MetricName", "Duration")
                .containsEntry("ExtendedStatistic", "p99").containsEntry("Threshold", 5000)
                .containsEntry("EvaluationPeriods", 3).containsEntry("DatapointsToAlarm", 3);
        Template longer = TestApps.template(TestApps.stacks(Map.of("lambdaTimeoutSeconds", 20)).api());
        longer.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "MultipartUploadSts-Api-CredentialsDurationP99", "Threshold", 10000)));
    }

    @Test
    void apiAlarmsAreErrorRatesCountedOnlyFromTenRequests() {
        for (var expected : List.of(List.of("Api5xxRate", "5xx", 5, 2), List.of("Api4xxRate", "4xx", 25, 3))) {
            Map<String, Object> alarm = alarm((String) expected.get(0));
            assertThat(alarm).containsEntry("Threshold", expected.get(2)).containsEntry("EvaluationPeriods", expected.get(3));
            String metrics = json(alarm.get("Metrics"));
            assertThat(metrics).contains("IF(requests >= 10, 100 * errors / requests, 0)")
                    .contains("MetricName=" + expected.get(1)).contains("MetricName=Count")
                    .contains("Namespace=AWS/ApiGateway").contains("ApiId");
        }
    }

    @Test
    void stsFailuresComeFromTheHandlersLogLineByMetricFilter() {
        String logGroup = API.findResources("AWS::Logs::LogGroup").keySet().stream()
                .filter(id -> id.startsWith("CredentialsLogs")).findFirst().orElseThrow();
        API.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", logGroup),
                "FilterPattern", "{ $.stsLatencyMs = * && $.outcome != \"issued\" }",
                "MetricTransformations", List.of(Map.of(
                        "MetricNamespace", "MultipartUploadSts/Uploads", "MetricName", "StsFailures",
                        "MetricValue", "1"))));
        assertThat(alarm("StsFailures")).containsEntry("Namespace", "MultipartUploadSts/Uploads")
                .containsEntry("MetricName", "StsFailures").containsEntry("Threshold", 3);
        API.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", logGroup),
                "FilterPattern", "{ $.outcome = * }",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "MultipartUploadSts/Uploads",
                        "MetricName", "Requests", "MetricValue", "1",
                        "Dimensions", List.of(Map.of("Key", "Outcome", "Value", "$.outcome"))))));
        API.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", logGroup),
                "FilterPattern", "{ $.route = \"POST /uploads\" && $.outcome = \"issued\" }",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "MultipartUploadSts/Uploads",
                        "MetricName", "BytesGranted", "MetricValue", "$.size"))));
    }

    @Test
    void verifierAlarmsWatchItsErrorsItsRejectionsByLogLineAndItsDeadLetterQueue() {
        Template verification = TestApps.template(TestApps.defaultStacks().verification());
        String verifierLogs = verification.findResources("AWS::Logs::LogGroup").keySet().iterator().next();
        String deadLetters = verification.findResources("AWS::SQS::Queue").keySet().stream()
                .filter(id -> id.contains("DeadLetters")).findFirst().orElseThrow();
        String verifierFunction = verification.findResources("AWS::Lambda::Function").keySet().iterator().next();

        assertThat(alarm("VerifierErrors")).containsEntry("Namespace", "AWS/Lambda").containsEntry("MetricName", "Errors")
                .containsEntry("Threshold", 1);
        assertThat(json(alarm("VerifierErrors").get("Dimensions"))).contains(verifierFunction);
        assertThat(alarm("VerifierRejections")).containsEntry("Namespace", "MultipartUploadSts/Uploads")
                .containsEntry("MetricName", "VerifierRejections").containsEntry("Threshold", 1);
        String rejectionsFilter = json(API.findResources("AWS::Logs::MetricFilter", Map.of("Properties", Map.of(
                "FilterPattern", "{ $.component = \"verifier\" && $.outcome = \"rejected\" }"))));
        assertThat(rejectionsFilter).contains(verifierLogs).contains("MetricName=VerifierRejections");
        assertThat(alarm("VerifierDeadLetters")).containsEntry("Namespace", "AWS/SQS")
                .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible").containsEntry("Statistic", "Maximum")
                .containsEntry("Threshold", 1);
        assertThat(json(alarm("VerifierDeadLetters").get("Dimensions"))).contains(deadLetters);
    }

    @Test
    void theTopicIsEncryptedWithAKeyCloudWatchMayUseAndAcceptsOnlyTlsAndThisAccountsAlarms() {
        String key = logicalIdOf(API, "AWS::KMS::Key");
        API.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn")))));
        API.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))))));
        String policy = json(API.findResources("AWS::SNS::TopicPolicy").values().iterator().next());
        assertThat(policy).contains("aws:SecureTransport=false").contains("Effect=Deny")
                .contains("Service=cloudwatch.amazonaws.com").contains("Action=sns:Publish")
                .contains("ArnLike={aws:SourceArn=").contains(":alarm:*");
        API.resourceCountIs("AWS::SNS::Subscription", 0);
    }

    @Test
    void anAlarmEmailSubscribesThatAddress() {
        Template template = TestApps.template(TestApps.stacks(Map.of("alarmEmail", "ops@example.com")).api());
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "ops@example.com", "TopicArn", Match.anyValue()));
    }

    @Test
    void theDashboardShowsUploadsLatencyAnswersByCodeBytesAndTheAlarms() {
        API.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = json(API.findResources("AWS::CloudWatch::Dashboard").values().iterator().next());
        assertThat(body).contains("Uploads granted").contains("UploadsGranted")
                .contains("Credentials latency").contains("Duration").contains("StsLatency")
                .contains("Answers by code").contains("SEARCH('{\\\"MultipartUploadSts/Uploads\\\",Outcome}")
                .contains("Bytes uploaded").contains("BytesUploaded").contains("FilterId").contains("BytesGranted")
                .contains("Verifier outcomes").contains("VerifierMessages").contains("Verifier dead letters")
                .contains("alarm");
        Template storage = TestApps.template(TestApps.defaultStacks().storage());
        storage.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Match.anyValue(),
                "MetricsConfigurations", List.of(Map.of("Id", "uploads", "Prefix", "uploads/")))));
    }

    @Test
    void alarmsNoneLeavesAlarmsTopicDashboardAndRequestMetricsOut() {
        var stacks = TestApps.stacks(Map.of("alarms", "NONE"));
        Template api = TestApps.template(stacks.api());
        api.resourceCountIs("AWS::CloudWatch::Alarm", 0);
        api.resourceCountIs("AWS::SNS::Topic", 0);
        api.resourceCountIs("AWS::CloudWatch::Dashboard", 0);
        api.resourceCountIs("AWS::Logs::MetricFilter", 0);
        TestApps.template(stacks.storage()).hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Match.anyValue(), "MetricsConfigurations", Match.absent())));
    }
}
