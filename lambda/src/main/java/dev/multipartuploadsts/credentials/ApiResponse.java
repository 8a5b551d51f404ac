package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.multipartuploadsts.common.Jackson;
import dev.multipartuploadsts.ledger.GrantState;
import dev.multipartuploadsts.ledger.LedgerAttributes;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One HTTP answer in API Gateway's payload 2.0 response shape.
 *
 * @param status the HTTP status
 * @param body the HTTP body, itself JSON
 * @param retryAfterSeconds the Retry-After header's value, or null for none
 */
public record ApiResponse(int status, String body, String retryAfterSeconds) {

    /**
     * 200 with {@code bucket}, {@code region}, {@code key}, {@code partSize} (left out when null, as for a
     * refresh) and {@code credentials}, which is exactly AWS CLI {@code credential_process} output.
     */
    static ApiResponse issued(String bucket, String region, String key, Long partSize, IssuedCredentials credentials) {
        return ok(Jackson.write(json -> {
            json.writeStartObject();
            json.writeStringField("bucket", bucket);
            json.writeStringField("region", region);
            json.writeStringField("key", key);
            if (partSize != null) {
                json.writeNumberField("partSize", partSize);
            }
            json.writeObjectFieldStart("credentials");
            json.writeNumberField("Version", 1);
            json.writeStringField("AccessKeyId", credentials.accessKeyId());
            json.writeStringField("SecretAccessKey", credentials.secretAccessKey());
            json.writeStringField("SessionToken", credentials.sessionToken());
            json.writeStringField("Expiration", credentials.expiration().toString());
            json.writeEndObject();
            json.writeEndObject();
        }));
    }

    /** The answer to {@code POST /uploads/abort}: 200 {@code {"key": ..., "state": "aborted"}}. */
    static ApiResponse aborted(String key) {
        return ok(Jackson.write(json -> {
            json.writeStartObject();
            json.writeStringField(LedgerAttributes.KEY, key);
            json.writeStringField(LedgerAttributes.STATE, GrantState.ABORTED.attributeValue());
            json.writeEndObject();
        }));
    }

    /** 200 with a JSON body already written. */
    static ApiResponse ok(String body) {
        return new ApiResponse(200, body, null);
    }

    /** {@code {"error": code, "message": text}} with the exception's status (and Retry-After, if any). */
    static ApiResponse error(ApiException e) {
        String body = Jackson.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", e.code());
            json.writeStringField("message", e.getMessage());
            json.writeEndObject();
        });
        return new ApiResponse(e.status(), body, e.retryAfterSeconds());
    }

    /** Writes the payload 2.0 response object API Gateway turns into the HTTP answer. */
    void writeTo(OutputStream out) throws IOException {
        try (JsonGenerator json = Jackson.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", status);
            json.writeObjectFieldStart("headers");
            json.writeStringField("Content-Type", "application/json");
            // Credentials must not sit in a browser or proxy cache.
            json.writeStringField("Cache-Control", "no-store");
            if (retryAfterSeconds != null) {
                json.writeStringField("Retry-After", retryAfterSeconds);
            }
            json.writeEndObject();
            json.writeBooleanField("isBase64Encoded", false);
            json.writeStringField("body", body);
            json.writeEndObject();
        }
    }
}
