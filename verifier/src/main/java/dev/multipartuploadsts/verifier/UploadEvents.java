package dev.multipartuploadsts.verifier;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts {@code Upload Completed} and {@code Upload Rejected} on the app's own bus: the integration point a team
 * hooks its processing to. Delivery is at least once (an attempt that stops after the put is repeated), so
 * consumers treat {@code key} plus {@code etag} as the event's identity.
 */
final class UploadEvents {

    static final String SOURCE = "multipart-upload-sts";
    static final String COMPLETED = "Upload Completed";
    static final String REJECTED = "Upload Rejected";

    private final EventBridgeClient events;
    private final String bus;

    UploadEvents(EventBridgeClient events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    /**
     * Puts one event.
     *
     * @throws SdkClientException when EventBridge accepted the call but not the entry (throttled or failed
     *     internally), so the message is retried
     */
    void publish(String detailType, String detail) {
        PutEventsResponse response = events.putEvents(b -> b.entries(e -> e
                .eventBusName(bus).source(SOURCE).detailType(detailType).detail(detail)));
        Integer failed = response.failedEntryCount();
        if (failed != null && failed > 0) {
            PutEventsResultEntry entry = response.entries().isEmpty() ? null : response.entries().get(0);
            throw SdkClientException.create("EventBridge did not accept the " + detailType + " event: "
                    + (entry == null ? "no entry result" : entry.errorCode() + " " + entry.errorMessage()));
        }
    }

    /**
     * The event's detail. Fields: owner, key, uploadId, fileName, size, declaredSize, contentType, checksum, etag,
     * state, and reason plus disposition on a rejection, completedAt on a completion; absent ones are left out.
     */
    static String detail(UploadDetail d) {
        return Jackson.write(json -> {
            json.writeStartObject();
            string(json, "owner", d.owner());
            string(json, "key", d.key());
            string(json, "uploadId", d.uploadId());
            string(json, "fileName", d.fileName());
            json.writeNumberField("size", d.size());
            if (d.declaredSize() != null) {
                json.writeNumberField("declaredSize", d.declaredSize());
            }
            string(json, "contentType", d.contentType());
            string(json, "checksum", d.checksum());
            string(json, "etag", d.etag());
            string(json, "state", d.state());
            string(json, "reason", d.reason());
            string(json, "disposition", d.disposition());
            string(json, "completedAt", d.completedAt());
            json.writeEndObject();
        });
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    /** The values of one event's detail; see {@link #detail}. */
    record UploadDetail(String owner, String key, String uploadId, String fileName, long size, Long declaredSize,
            String contentType, String checksum, String etag, String state, String reason, String disposition,
            String completedAt) {
    }
}
