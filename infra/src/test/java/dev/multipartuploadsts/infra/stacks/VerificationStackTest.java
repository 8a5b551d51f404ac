package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.constructs.UploadVerifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The rule, queues, verifier Lambda and app bus: what runs after every upload, and what it may do. */
class VerificationStackTest {
    private static final Template TEMPLATE = TestApps.template(TestApps.defaultStacks().verification());

    @Test
    void aRuleOnTheDefaultBusSendsOnlyObjectCreatedUnderUploadsOfTheUploadBucketToTheQueue() {
        Map<String, Map<String, Object>> rules = TEMPLATE.findResources("AWS::Events::Rule");
        assertThat(rules).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) rules.values().iterator().next().get("Properties");
        assertThat(props).doesNotContainKey("EventBusName");
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Map.of(
                        "source", List.of("aws.s3"),
                        "detail-type", List.of("Object Created"),
                        "detail", Map.of(
                                "bucket", Map.of("name", List.of(Match.objectLike(Map.of("Fn::GetStackOutput", Match.objectLike(Map.of(
                                        "StackName", "MultipartUploadSts-Storage")))))),
                                "object", Map.of("key", List.of(Map.of("prefix", "uploads/"))))),
                "State", "ENABLED",
                "Targets", List.of(Match.objectLike(Map.of("Arn", Match.objectLike(Map.of(
                        "Fn::GetAtt", Match.arrayWith(List.of(Match.stringLikeRegexp("VerifierObjectCreated.*")))))))))));
    }

    @Test
    void theQueueIsEncryptedTlsOnlyAndHandsAMessageToTheDeadLetterQueueAfterFiveReceives() {
        TEMPLATE.resourceCountIs("AWS::SQS::Queue", 2);
        TEMPLATE.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "SqsManagedSseEnabled", true,
                "VisibilityTimeout", 6 * UploadVerifier.TIMEOUT_SECONDS,
                "RedrivePolicy", Map.of("deadLetterTargetArn", Match.anyValue(), "maxReceiveCount", 5))));
        TEMPLATE.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "SqsManagedSseEnabled", true, "MessageRetentionPeriod", 14 * 24 * 3600));
        List<Object> denies = TEMPLATE.findResources("AWS::SQS::QueuePolicy").values().stream()
                .map(Object::toString).filter(p -> p.contains("aws:SecureTransport=false")).map(p -> (Object) p).toList();
        assertThat(denies).as("both queues deny plain HTTP").hasSize(2);
    }

    @Test
    void onlyTheRuleMaySendToTheQueue() {
        TEMPLATE.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "events.amazonaws.com"),
                        "Action", List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
                        "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", Match.anyValue())))))))))));
    }

    @Test
    void theVerifierRunsJava21OnArmOnBatchesWithPartialFailures() {
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", UploadVerifier.HANDLER,
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "MemorySize", 1024,
                "Timeout", 60,
                "Environment", Map.of("Variables", Map.of(
                        "LEDGER_TABLE", Match.anyValue(),
                        "UPLOAD_BUCKET", Match.anyValue(),
                        "EVENT_BUS_NAME", Match.anyValue(),
                        "REJECTED_OBJECTS", "DELETE")))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 10,
                "EventSourceArn", Match.anyValue(),
                "FunctionName", Match.anyValue(),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
    }

    @Test
    void theAppBusIsNamedAfterTheStackPrefix() {
        TEMPLATE.hasResourceProperties("AWS::Events::EventBus", Map.of(
                "Name", "MultipartUploadSts-uploads",
                "Description", Match.anyValue()));
    }

    @Test
    void theVerifierMayHeadAndDeleteUnderUploadsUpdateGrantsConsumeItsQueueAndPutOnItsBusOnly() {
        String policy = verifierPolicies();

        assertThat(policy).contains("s3:DeleteObject", "s3:GetObject", "/uploads/*",
                "dynamodb:GetItem", "dynamodb:UpdateItem", "events:PutEvents",
                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility");
        assertThat(policy).doesNotContain("s3:PutObject", "s3:ListBucket", "quarantine/", "dynamodb:PutItem",
                "dynamodb:Query", "dynamodb:Scan", "dynamodb:DeleteItem", "kms:", "\"*\"");
    }

    @Test
    void quarantineModeAddsOnlyPutUnderQuarantineAndALongerTimeout() {
        Template quarantine = Template.fromStack(TestApps.stacks(Map.of("rejectedObjects", "QUARANTINE")).verification());

        quarantine.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Timeout", UploadVerifier.QUARANTINE_TIMEOUT_SECONDS,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("REJECTED_OBJECTS", "QUARANTINE"))))));
        quarantine.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "VisibilityTimeout", 6 * UploadVerifier.QUARANTINE_TIMEOUT_SECONDS)));
        String policies = quarantine.findResources("AWS::IAM::Policy").toString();
        assertThat(policies).contains("/quarantine/*");
        assertThat(policies.split("s3:PutObject", -1)).hasSize(2);
    }

    @Test
    void withAKmsBucketOnlyQuarantineModeGetsTheKeyAndOnlyThroughS3() {
        String deleting = Template.fromStack(TestApps.stacks(Map.of("uploadBucketEncryption", "KMS")).verification())
                .findResources("AWS::IAM::Policy").toString();
        String quarantining = Template.fromStack(TestApps.stacks(Map.of("uploadBucketEncryption", "KMS",
                "rejectedObjects", "QUARANTINE")).verification()).findResources("AWS::IAM::Policy").toString();

        assertThat(deleting).doesNotContain("kms:");
        assertThat(quarantining).contains("kms:Decrypt", "kms:GenerateDataKey", "kms:ViaService");
    }

    private static String verifierPolicies() {
        return TEMPLATE.findResources("AWS::IAM::Policy").toString();
    }
}
