package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;

/**
 * The one JSON log line per request: what was asked, by whom, and how it ended. Never holds credentials, the
 * bearer token or the raw subject (the owner encodes it; see {@link Owners} to read it back). Immutable: each
 * step of the handler adds what it learnt with a {@code with...} copy, and a null field is left out.
 *
 * @param requestId API Gateway's request id
 * @param lambdaRequestId Lambda's request id
 * @param route the route key
 * @param owner the caller's owner segment
 * @param key the object key asked about
 * @param size the declared size of a started upload
 * @param contentType the declared media type of a started upload
 * @param ledgerLatencyMs how long the ledger's calls took, when they were made
 * @param stsLatencyMs how long AssumeRole took, when it was called
 * @param packedPolicySize STS's packed size of the session policy, in percent of the limit
 * @param status the HTTP status answered (0 until answered)
 * @param outcome {@code issued}, {@code listed}, {@code aborted} or the error code
 * @param detail what only the log should know, such as STS's own error message
 */
record RequestLog(String requestId, String lambdaRequestId, String route, String owner, String key, Long size,
        String contentType, Long ledgerLatencyMs, Long stsLatencyMs, Integer packedPolicySize, int status, String outcome,
        String detail) {

    /** A line for one invocation, knowing nothing of the request yet. */
    static RequestLog forInvocation(String lambdaRequestId) {
        return new RequestLog(null, lambdaRequestId, null, null, null, null, null, null, null, null, 0, null, null);
    }

    RequestLog withRequest(String requestId, String route) {
        return new RequestLog(requestId, lambdaRequestId, route, owner, key, size, contentType, ledgerLatencyMs,
                stsLatencyMs, packedPolicySize, status, outcome, detail);
    }

    RequestLog withOwner(String owner) {
        return new RequestLog(requestId, lambdaRequestId, route, owner, key, size, contentType, ledgerLatencyMs,
                stsLatencyMs, packedPolicySize, status, outcome, detail);
    }

    RequestLog withUpload(String key, Long size, String contentType) {
        return new RequestLog(requestId, lambdaRequestId, route, owner, key, size, contentType, ledgerLatencyMs,
                stsLatencyMs, packedPolicySize, status, outcome, detail);
    }

    RequestLog withLedger(long latencyMs) {
        return new RequestLog(requestId, lambdaRequestId, route, owner, key, size, contentType, latencyMs,
                stsLatencyMs, packedPolicySize, status, outcome, detail);
    }

    RequestLog withSts(long latencyMs, Integer packedPolicySize) {
        return new RequestLog(requestId, lambdaRequestId, route, owner, key, size, contentType, ledgerLatencyMs,
                latencyMs, packedPolicySize, status, outcome, detail);
    }

    RequestLog answered(int status, String outcome, String detail) {
        return new RequestLog(requestId, lambdaRequestId, route, owner, key, size, contentType, ledgerLatencyMs,
                stsLatencyMs, packedPolicySize, status, outcome, detail);
    }

    /** The line, in a fixed field order; absent values are left out. */
    String toJson() {
        return Jackson.write(json -> {
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
            if (ledgerLatencyMs != null) {
                json.writeNumberField("ledgerLatencyMs", ledgerLatencyMs);
            }
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
