package dev.multipartuploadsts.verifier;

import java.util.Map;

/**
 * The fields the verifier uses from an S3 {@code Object Created} event as EventBridge delivers it (the rule
 * forwards the whole event as the SQS message body). Shape, from the S3 user guide's "EventBridge event message
 * structure":
 * <pre>{"version":"0","id":"...","detail-type":"Object Created","source":"aws.s3","time":"...",
 *  "detail":{"version":"0","bucket":{"name":"..."},
 *            "object":{"key":"...","size":5,"etag":"...","version-id":"...","sequencer":"..."},
 *            "request-id":"...","requester":"...","reason":"CompleteMultipartUpload"}}</pre>
 *
 * <p>The verifier trusts none of the object fields: it decides on what HeadObject says now. They go to the log,
 * and the key says which object to look at. Issued keys use only characters that URL encoding leaves alone
 * ({@code [A-Za-z0-9._/-]}), so the key is used exactly as it arrives.
 *
 * @param id EventBridge's event id
 * @param bucket the bucket name
 * @param key the object key
 * @param size the size S3 reported, or null
 * @param etag the ETag S3 reported, or null
 * @param sequencer S3's ordering value for events on one key, or null
 * @param reason the S3 operation (PutObject, CompleteMultipartUpload, CopyObject, ...), or null
 */
record ObjectCreatedEvent(String id, String bucket, String key, Long size, String etag, String sequencer,
        String reason) {

    static final String SOURCE = "aws.s3";
    static final String DETAIL_TYPE = "Object Created";

    /**
     * Reads an SQS message body.
     *
     * @throws IllegalArgumentException saying what is missing or unexpected, for a body that is not an S3 Object
     *     Created event
     */
    static ObjectCreatedEvent parse(String body) {
        if (body == null) {
            throw new IllegalArgumentException("the message must have a body, but it has none");
        }
        Object event = Json.parse(body);
        if (!(event instanceof Map)) {
            throw new IllegalArgumentException("the message body must be a JSON object (an EventBridge event), "
                    + "but it is not");
        }
        String source = Json.string(event, "source");
        String detailType = Json.string(event, "detail-type");
        if (!SOURCE.equals(source) || !DETAIL_TYPE.equals(detailType)) {
            throw new IllegalArgumentException("the event must have source " + SOURCE + " and detail-type "
                    + DETAIL_TYPE + ", but source " + quoted(source) + " and detail-type " + quoted(detailType)
                    + " were given");
        }
        String bucket = Json.string(event, "detail", "bucket", "name");
        String key = Json.string(event, "detail", "object", "key");
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("the event must name detail.bucket.name and detail.object.key as "
                    + "strings, but bucket " + quoted(bucket) + " and key " + quoted(key) + " were given");
        }
        return new ObjectCreatedEvent(Json.string(event, "id"), bucket, key,
                Json.wholeNumber(event, "detail", "object", "size"), Json.string(event, "detail", "object", "etag"),
                Json.string(event, "detail", "object", "sequencer"), Json.string(event, "detail", "reason"));
    }

    private static String quoted(String value) {
        return value == null ? "(none)" : '"' + value + '"';
    }
}
