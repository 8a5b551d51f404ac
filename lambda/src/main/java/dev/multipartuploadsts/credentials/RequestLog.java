package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The one structured log line a request leaves, as compact JSON. Only these fields exist, so no
 * credential, session token, claim other than the owner, or header (the bearer token) can reach the log.
 */
final class RequestLog {

    String requestId;
    String lambdaRequestId;
    String route;
    String owner;
    String outcome;
    int status;
    String key;
    Long size;
    String contentType;
    Long stsLatencyMs;
    Integer packedPolicySize;
    String detail;

    /** The line, in a fixed field order; absent values are left out. */
    String toJson() {
        return Json.write(json -> {
            json.writeStartObject();
            string(json, "requestId", requestId);
            string(json, "lambdaRequestId", lambdaRequestId);
            string(json, "route", route);
            string(json, "owner", owner);
            string(json, "outcome", outcome);
            json.writeNumberField("status", status);
            string(json, "key", key);
            if (size != null) {
                json.writeNumberField("size", size);
            }
            string(json, "contentType", contentType);
            if (stsLatencyMs != null) {
                json.writeNumberField("stsLatencyMs", stsLatencyMs);
            }
            if (packedPolicySize != null) {
                json.writeNumberField("packedPolicySize", packedPolicySize);
            }
            string(json, "detail", detail);
            json.writeEndObject();
        });
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
