package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict readers for the two request bodies. A body must be exactly one JSON object: no trailing data,
 * no duplicate names (at any depth). Unknown fields are ignored so that a newer page can send more.
 * Every failure is a 400 whose message names the field, what it must be and what was given.
 */
public final class RequestBodies {

    /** The longest {@code contentType} accepted (RFC 6838 caps type and subtype at 127 each). */
    public static final int MAX_CONTENT_TYPE_LENGTH = 255;

    // RFC 6838 restricted-name for type and subtype, then optional ";name=value" parameters.
    private static final Pattern CONTENT_TYPE = Pattern.compile(
            "[A-Za-z0-9][\\w!#$&^.+-]{0,126}/[A-Za-z0-9][\\w!#$&^.+-]{0,126}"
                    + "(\\s*;\\s*[\\w!#$&^.+-]+=(\\\"[^\\\"\\\\\\p{Cntrl}]*\\\"|[\\w!#$&^.+-]+))*");
    private static final int MAX_ECHO = 40;

    private RequestBodies() {
    }

    /**
     * A validated {@code POST /uploads} body.
     *
     * @param fileName the file name after {@link FileNames#clean}: 1 to 255 safe characters
     * @param givenFileName the file name as the caller gave it, for the ledger
     * @param size the declared size in bytes, 0 to the configured maximum
     * @param contentType the declared media type, or null if none (or an empty one, as browsers send for
     *     unknown types)
     */
    public record StartUpload(String fileName, String givenFileName, long size, String contentType) {
    }

    /** Reads {@code {"fileName": string, "size": integer, "contentType"?: string}}. */
    public static StartUpload start(byte[] body, long maxSize) {
        Map<String, Scalar> fields = readObject(body, Set.of("fileName", "size", "contentType"));

        Scalar rawName = required(fields, "fileName", "a string of 1 to " + FileNames.MAX_BYTES + " bytes");
        if (rawName.token() != JsonToken.VALUE_STRING) {
            throw invalid("fileName", "a string", Json.describe(rawName.token()));
        }
        String fileName = FileNames.clean(rawName.text());
        if (fileName.isEmpty()) {
            throw ApiException.badRequest("invalid_field", "fileName must keep 1 to " + FileNames.MAX_BYTES
                    + " bytes after cleaning, but nothing usable was left of the "
                    + rawName.text().codePointCount(0, rawName.text().length()) + " characters given");
        }

        // 0 is a real file (a placeholder, a sidecar): it goes up as one empty PutObject.
        String sizeRange = "a whole number of bytes from 0 to " + maxSize;
        Scalar rawSize = required(fields, "size", sizeRange);
        if (rawSize.token() != JsonToken.VALUE_NUMBER_INT) {
            throw invalid("size", sizeRange,
                    rawSize.token() == JsonToken.VALUE_NUMBER_FLOAT ? echo(rawSize.text()) : Json.describe(rawSize.token()));
        }
        long size;
        try {
            size = Long.parseLong(rawSize.text());
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0 || size > maxSize) {
            throw invalid("size", sizeRange, echo(rawSize.text()));
        }

        Scalar rawType = fields.get("contentType");
        String contentType = null;
        if (rawType != null && rawType.token() != JsonToken.VALUE_NULL) {
            String allowed = "a media type such as video/mp4, of at most " + MAX_CONTENT_TYPE_LENGTH + " characters";
            if (rawType.token() != JsonToken.VALUE_STRING) {
                throw invalid("contentType", allowed, Json.describe(rawType.token()));
            }
            if (!rawType.text().isEmpty()) {
                if (rawType.text().length() > MAX_CONTENT_TYPE_LENGTH
                        || !CONTENT_TYPE.matcher(rawType.text()).matches()) {
                    throw invalid("contentType", allowed, echo(rawType.text()));
                }
                contentType = rawType.text();
            }
        }
        return new StartUpload(fileName, rawName.text(), size, contentType);
    }

    /**
     * Reads the {@code POST /uploads/refresh} and {@code POST /uploads/abort} body {@code {"key": string}} and
     * returns the key, not yet checked for ownership.
     */
    public static String key(byte[] body) {
        Map<String, Scalar> fields = readObject(body, Set.of("key"));
        String allowed = "a string: the key a start request returned";
        Scalar key = required(fields, "key", allowed);
        if (key.token() != JsonToken.VALUE_STRING) {
            throw invalid("key", allowed, Json.describe(key.token()));
        }
        return key.text();
    }

    /** Reads one JSON object, keeping the scalar values of the {@code wanted} fields. */
    static Map<String, Scalar> readObject(byte[] body, Set<String> wanted) {
        Map<String, Scalar> fields = new HashMap<>();
        try (JsonParser parser = Jackson.FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("malformed_json", "body must be a JSON object, but "
                        + (first == null ? "nothing" : Json.describe(first)) + " was given");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (wanted.contains(name)) {
                    fields.put(name, new Scalar(token, token.isScalarValue() ? parser.getText() : null));
                }
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw ApiException.badRequest("malformed_json",
                        "body must be exactly one JSON object, but more data follows it");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest("malformed_json", "body is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + reason(e.getOriginalMessage()));
        } catch (IOException e) {
            // Reading from a byte array does no I/O; anything else is a bug.
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    private static Scalar required(Map<String, Scalar> fields, String name, String allowed) {
        Scalar value = fields.get(name);
        if (value == null) {
            throw ApiException.badRequest("missing_field", name + " is required: " + allowed);
        }
        return value;
    }

    private static ApiException invalid(String name, String allowed, String given) {
        return ApiException.badRequest("invalid_field", name + " must be " + allowed + ", but " + given + " was given");
    }

    /** A value quoted for a message, cut short so a hostile value cannot fill the answer. */
    private static String echo(String text) {
        return echo(text, MAX_ECHO);
    }

    private static String echo(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /**
     * The first clause of jackson's message ("Unrecognized token 'x'"), without its list of expectations or
     * the name of the setting behind a limit ("Document nesting depth (1001) exceeds the maximum allowed (1000)").
     */
    private static String reason(String message) {
        String text = message.replaceAll(", from `[^`]*`", "");
        int cut = text.indexOf(": ");
        return echo(cut < 0 ? text : text.substring(0, cut), 100);
    }

    /** One field's token type and, for scalars, its text. */
    record Scalar(JsonToken token, String text) {
    }
}
