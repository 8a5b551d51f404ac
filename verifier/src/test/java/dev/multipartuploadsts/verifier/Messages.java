package dev.multipartuploadsts.verifier;

import dev.multipartuploadsts.common.Jackson;
import java.util.List;

/** SQS batches holding S3 Object Created events as the EventBridge rule forwards them. */
final class Messages {

    private Messages() {
    }

    /** The event from the S3 user guide's example, with the given bucket, key, size and ETag. */
    static String objectCreated(String bucket, String key, long size, String etag) {
        return "{\"version\":\"0\",\"id\":\"17793124-05d4-b198-2fde-7ededc63b103\",\"detail-type\":\"Object Created\","
                + "\"source\":\"aws.s3\",\"account\":\"111122223333\",\"time\":\"2026-12-02T00:00:00Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[\"arn:aws:s3:::" + bucket + "\"],"
                + "\"detail\":{\"version\":\"0\",\"bucket\":{\"name\":\"" + bucket + "\"},"
                + "\"object\":{\"key\":\"" + key + "\",\"size\":" + size + ",\"etag\":\"" + etag + "\","
                + "\"sequencer\":\"617f08299329d189\"},\"request-id\":\"N4N7GDK58NMKJ12R\","
                + "\"requester\":\"123456789012\",\"source-ip-address\":\"1.2.3.4\",\"reason\":\"CompleteMultipartUpload\"}}";
    }

    /** An SQS event whose messages {@code m-1}, {@code m-2}, ... carry the given bodies, as Lambda's poller sends it. */
    static String batch(List<String> bodies) {
        return Jackson.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Records");
            for (int i = 0; i < bodies.size(); i++) {
                json.writeStartObject();
                json.writeStringField("messageId", "m-" + (i + 1));
                json.writeStringField("receiptHandle", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-" + (i + 1));
                json.writeStringField("body", bodies.get(i));
                json.writeObjectFieldStart("attributes");
                json.writeStringField("ApproximateReceiveCount", "1");
                json.writeEndObject();
                json.writeStringField("eventSource", "aws:sqs");
                json.writeStringField("eventSourceARN", "arn:aws:sqs:eu-west-1:111122223333:verifier-queue");
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
