package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/** One HTTP answer in API Gateway's payload 2.0 response shape. */
public final class ApiResponse {

    private final int status;
    private final String body;
    private final String retryAfterSeconds;

    private ApiResponse(int status, String body, String retryAfterSeconds) {
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Temporary credentials as STS returned them. */
    public static final class IssuedCredentials {
        final String accessKeyId;
        final String secretAccessKey;
        final String sessionToken;
        final Instant expiration;

        public IssuedCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            this.sessionToken = sessionToken;
            this.expiration = expiration;
        }
    }

    /**
     * 200 with {@code bucket}, {@code region}, {@code key}, {@code partSize} (left out when null, as for a
     * refresh) and {@code credentials}, which is exactly AWS CLI {@code credential_process} output.
     */
    public static ApiResponse issued(String bucket, String region, String key, Long partSize,
            IssuedCredentials credentials) {
        String body = Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("bucket", bucket);
            json.writeStringField("region", region);
            json.writeStringField("key", key);
            if (partSize != null) {
                json.writeNumberField("partSize", partSize);
            }
            json.writeObjectFieldStart("credentials");
            json.writeNumberField("Version", 1);
            json.writeStringField("AccessKeyId", credentials.accessKeyId);
            json.writeStringField("SecretAccessKey", credentials.secretAccessKey);
            json.writeStringField("SessionToken", credentials.sessionToken);
            json.writeStringField("Expiration", credentials.expiration.toString());
            json.writeEndObject();
            json.writeEndObject();
        });
        return new ApiResponse(200, body, null);
    }

    /** {@code {"error": code, "message": text}} with the exception's status (and Retry-After, if any). */
    public static ApiResponse error(ApiException e) {
        String body = Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", e.code());
            json.writeStringField("message", e.getMessage());
            json.writeEndObject();
        });
        return new ApiResponse(e.status(), body, e.retryAfterSeconds());
    }

    public int status() {
        return status;
    }

    /** The HTTP body, itself JSON. */
    public String body() {
        return body;
    }

    /** Writes the payload 2.0 response object API Gateway turns into the HTTP answer. */
    public void writeTo(OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
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
