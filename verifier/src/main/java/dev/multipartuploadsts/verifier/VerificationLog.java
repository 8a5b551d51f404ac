package dev.multipartuploadsts.verifier;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;

/**
 * The one structured log line each message leaves, as compact JSON. Only these fields exist: no object content,
 * no credential and no subject (the owner is its encoding) can reach the log.
 */
final class VerificationLog {

    String messageId;
    String receiveCount;
    String eventId;
    String eventReason;
    String sequencer;
    String bucket;
    String key;
    String owner;
    String uploadId;
    /** What happened: completed, rejected, already_completed, already_rejected, object_missing, ignored, retry. */
    String outcome;
    String reason;
    String stateBefore;
    String stateAfter;
    Long size;
    Long declaredSize;
    String etag;
    String checksum;
    String encryption;
    String disposition;
    String detail;
    Long latencyMs;

    /** The line, in a fixed field order; absent values are left out. */
    String toJson() {
        return Jackson.write(json -> {
            json.writeStartObject();
            json.writeStringField("component", "verifier");
            string(json, "messageId", messageId);
            string(json, "receiveCount", receiveCount);
            string(json, "eventId", eventId);
            string(json, "eventReason", eventReason);
            string(json, "sequencer", sequencer);
            string(json, "bucket", bucket);
            string(json, "key", key);
            string(json, "owner", owner);
            string(json, "uploadId", uploadId);
            string(json, "outcome", outcome);
            string(json, "reason", reason);
            string(json, "stateBefore", stateBefore);
            string(json, "stateAfter", stateAfter);
            number(json, "size", size);
            number(json, "declaredSize", declaredSize);
            string(json, "etag", etag);
            string(json, "checksum", checksum);
            string(json, "encryption", encryption);
            string(json, "disposition", disposition);
            string(json, "detail", detail);
            number(json, "latencyMs", latencyMs);
            json.writeEndObject();
        });
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator json, String name, Long value) throws IOException {
        if (value != null) {
            json.writeNumberField(name, value);
        }
    }
}
