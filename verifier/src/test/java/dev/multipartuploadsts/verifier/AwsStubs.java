package dev.multipartuploadsts.verifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * S3, DynamoDB and EventBridge as one WireMock server answers them, in each service's wire format: S3's REST XML
 * (path-style), DynamoDB's JSON 1.0 and EventBridge's JSON 1.1 (both told apart by {@code X-Amz-Target}).
 */
final class AwsStubs {

    static final String GET_ITEM = "DynamoDB_20120810.GetItem";
    static final String TRANSACT_WRITE = "DynamoDB_20120810.TransactWriteItems";
    static final String UPDATE_ITEM = "DynamoDB_20120810.UpdateItem";
    static final String PUT_EVENTS = "AWSEvents.PutEvents";

    private final WireMockServer aws;
    private final String bucket;

    AwsStubs(WireMockServer aws, String bucket) {
        this.aws = aws;
        this.bucket = bucket;
    }

    /** HeadObject finds an object; the checksum is a full-object CRC64NVME. */
    MappingBuilder objectIs(String key, long size, String etag) {
        return head(urlPathEqualTo(objectPath(key))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", Long.toString(size))
                .withHeader("ETag", '"' + etag + '"')
                .withHeader("Content-Type", "video/mp4")
                .withHeader("x-amz-checksum-crc64nvme", "uS3t6zBAQ1M=")
                .withHeader("x-amz-checksum-type", "FULL_OBJECT")
                .withHeader("x-amz-server-side-encryption", "AES256"));
    }

    /** HeadObject finds nothing: a bare 404, as S3 answers a HEAD. */
    MappingBuilder noObject(String key) {
        return head(urlPathEqualTo(objectPath(key))).willReturn(aResponse().withStatus(404));
    }

    MappingBuilder deleteAnswers(String key, int status) {
        return delete(urlPathEqualTo(objectPath(key))).willReturn(status == 204
                ? aResponse().withStatus(204)
                : s3Error(status, status == 412 ? "PreconditionFailed" : "SlowDown"));
    }

    MappingBuilder copyTo(String key) {
        return put(urlPathEqualTo(objectPath(key))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyObjectResult><ETag>&quot;copied&quot;</ETag>"
                        + "<LastModified>2026-12-02T00:41:06.000Z</LastModified></CopyObjectResult>"));
    }

    static MappingBuilder dynamo(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body);
    }

    static ResponseDefinitionBuilder dynamoError(String type, String message) {
        return json(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}");
    }

    static ResponseDefinitionBuilder transactionCancelled() {
        return json(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[ConditionalCheckFailed, None]\",\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\","
                + "\"Message\":\"The conditional request failed\"},{\"Code\":\"None\"}]}");
    }

    static ResponseDefinitionBuilder eventsAccepted() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11710aed-b79e-4468-a20b-bb3c0c3b4860\"}]}");
    }

    static ResponseDefinitionBuilder s3Error(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                        + "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>");
    }

    /** A grant item as DynamoDB's GetItem answers it. */
    static String grantItem(String owner, String uploadId, String key, String state, long declaredSize, String etag,
            String reason) {
        StringBuilder item = new StringBuilder("{\"Item\":{")
                .append("\"owner\":{\"S\":\"").append(owner).append("\"},")
                .append("\"item\":{\"S\":\"upload#").append(uploadId).append("\"},")
                .append("\"key\":{\"S\":\"").append(key).append("\"},")
                .append("\"fileName\":{\"S\":\"My clip (final).mp4\"},")
                .append("\"declaredSize\":{\"N\":\"").append(declaredSize).append("\"},")
                .append("\"contentType\":{\"S\":\"video/mp4\"},")
                .append("\"partSize\":{\"N\":\"8388608\"},")
                .append("\"createdAt\":{\"S\":\"2026-12-02T00:30:00.000Z\"},")
                .append("\"expiresAt\":{\"N\":\"1765000000\"},");
        if (etag != null) {
            item.append("\"etag\":{\"S\":\"").append(etag).append("\"},");
            item.append("\"completedAt\":{\"S\":\"2026-12-02T00:40:00.000Z\"},");
        }
        if (reason != null) {
            item.append("\"reason\":{\"S\":\"").append(reason).append("\"},");
        }
        return item.append("\"state\":{\"S\":\"").append(state).append("\"}}}").toString();
    }

    /** The JSON bodies of the DynamoDB or EventBridge calls with {@code target}, in the order they were made. */
    List<Map<String, Object>> calls(String target) {
        return aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target))).stream()
                .map(request -> Json.object(Json.parse(request.getBodyAsString())))
                .collect(Collectors.toList());
    }

    String objectPath(String key) {
        return "/" + bucket + "/" + key;
    }
}
