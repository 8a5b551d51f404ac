package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.multipartuploadsts.common.Jackson;
import dev.multipartuploadsts.ledger.LedgerAttributes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /uploads}: its query parameters, its cursor and its answer. The cursor is opaque to the page but not
 * secret: it names the owner it was issued to and where the page ended, and a cursor of another owner is refused.
 * The owner queried always comes from the caller's token, so no cursor can reach another user's uploads anyway.
 */
final class UploadListing {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_CURSOR_LENGTH = 1024;

    /** The grant attributes a listed upload shows, in this order; owner, sort key and TTL stay inside. */
    private static final List<String> STRINGS = List.of(LedgerAttributes.KEY, LedgerAttributes.FILE_NAME,
            LedgerAttributes.CONTENT_TYPE, LedgerAttributes.STATE, LedgerAttributes.CREATED_AT,
            LedgerAttributes.UPDATED_AT, LedgerAttributes.COMPLETED_AT, LedgerAttributes.ETAG,
            LedgerAttributes.CHECKSUM, LedgerAttributes.REASON);
    private static final List<String> NUMBERS = List.of(LedgerAttributes.DECLARED_SIZE, LedgerAttributes.PART_SIZE,
            LedgerAttributes.ACTUAL_SIZE);
    private static final Pattern UPLOAD_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private UploadListing() {
    }

    /** A validated request: how many at most, and the upload id to continue after (null for the first page). */
    record Request(int limit, String afterUploadId) {
    }

    /**
     * Reads {@code limit} (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code cursor}.
     *
     * @throws ApiException 400 {@code invalid_field} or {@code invalid_cursor}, 403 {@code forbidden_cursor} for
     *     another owner's cursor
     */
    static Request request(Map<String, String> query, String owner) {
        String limitText = query.get("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            String allowed = "limit must be a whole number from 1 to " + MAX_LIMIT + ", but ";
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_field", allowed + echo(limitText) + " was given");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("invalid_field", allowed + limitText + " was given");
            }
        }
        String cursor = query.get("cursor");
        return new Request(limit, cursor == null ? null : afterUploadId(cursor, owner));
    }

    /** The cursor for the page after {@code lastUploadId}. */
    static String cursor(String owner, String lastUploadId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((owner + '/' + lastUploadId).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"uploads": [...], "cursor"?: string}}, the uploads newest first. */
    static ApiResponse answer(String owner, UploadLedger.Page page) {
        return ApiResponse.ok(Jackson.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("uploads");
            for (Map<String, AttributeValue> grant : page.grants()) {
                writeGrant(json, grant);
            }
            json.writeEndArray();
            if (page.lastUploadId() != null) {
                json.writeStringField("cursor", cursor(owner, page.lastUploadId()));
            }
            json.writeEndObject();
        }));
    }

    private static void writeGrant(JsonGenerator json, Map<String, AttributeValue> grant) throws IOException {
        json.writeStartObject();
        for (String name : STRINGS) {
            AttributeValue value = grant.get(name);
            if (value != null && value.s() != null) {
                json.writeStringField(name, value.s());
            }
        }
        for (String name : NUMBERS) {
            AttributeValue value = grant.get(name);
            if (value != null && value.n() != null) {
                json.writeFieldName(name);
                json.writeNumber(Long.parseLong(value.n()));
            }
        }
        json.writeEndObject();
    }

    private static String afterUploadId(String cursor, String owner) {
        String invalid = "cursor must be exactly as a previous GET /uploads answer gave it, but it is not";
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw ApiException.badRequest("invalid_cursor", invalid);
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_cursor", invalid);
        }
        int slash = decoded.lastIndexOf('/');
        if (slash < 0 || !UPLOAD_ID.matcher(decoded.substring(slash + 1)).matches()) {
            throw ApiException.badRequest("invalid_cursor", invalid);
        }
        if (!decoded.substring(0, slash).equals(owner)) {
            throw ApiException.forbidden("forbidden_cursor",
                    "cursor must be one that GET /uploads gave you, but it was given to another user",
                    "cursor owner: " + decoded.substring(0, slash));
        }
        return decoded.substring(slash + 1);
    }

    private static String echo(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
