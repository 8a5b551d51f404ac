package dev.multipartuploadsts.verifier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.multipartuploadsts.common.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read into plain maps, lists, strings, numbers, booleans and null, with the factory both Lambdas share
 * ({@link Jackson}: duplicate names refused). The events this Lambda reads are small (an SQS batch of at most 10
 * messages of at most 256 KiB), so a tree is simpler to walk than a stream and costs nothing that matters.
 */
final class Json {

    /** Deep enough for any event S3, EventBridge or SQS sends; deeper input is refused, not recursed into. */
    private static final int MAX_DEPTH = 32;

    private Json() {
    }

    /**
     * Parses one JSON value.
     *
     * @throws IllegalArgumentException if {@code text} is not exactly one well-formed JSON value
     */
    static Object parse(String text) {
        try (JsonParser parser = Jackson.FACTORY.createParser(text)) {
            return parseAll(parser);
        } catch (IOException e) {
            throw new IllegalArgumentException("not well-formed JSON: " + reason(e), e);
        }
    }

    /** {@link #parse(String)} for a stream (the Lambda's input). */
    static Object parse(InputStream input) {
        try (JsonParser parser = Jackson.FACTORY.createParser(input)) {
            return parseAll(parser);
        } catch (IOException e) {
            throw new IllegalArgumentException("not well-formed JSON: " + reason(e), e);
        }
    }

    /** The object at {@code path} below {@code value}, or an empty map if any step is missing or not an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String... path) {
        Object current = at(value, path);
        return current instanceof Map ? (Map<String, Object>) current : Collections.emptyMap();
    }

    /** The string at {@code path}, or null if it is missing or not a string. */
    static String string(Object value, String... path) {
        Object current = at(value, path);
        return current instanceof String ? (String) current : null;
    }

    /** The whole number at {@code path}, or null if it is missing or not a whole number. */
    static Long wholeNumber(Object value, String... path) {
        Object current = at(value, path);
        return current instanceof Long ? (Long) current : null;
    }

    /** The array at {@code path}, or null if it is missing or not an array. */
    static List<?> array(Object value, String... path) {
        Object current = at(value, path);
        return current instanceof List ? (List<?>) current : null;
    }

    private static Object at(Object value, String... path) {
        Object current = value;
        for (String name : path) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<?, ?>) current).get(name);
        }
        return current;
    }

    private static String reason(IOException e) {
        return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.toString();
    }

    private static Object parseAll(JsonParser parser) throws IOException {
        if (parser.nextToken() == null) {
            throw new IllegalArgumentException("not well-formed JSON: the input is empty");
        }
        Object value = read(parser, 0);
        if (parser.nextToken() != null) {
            throw new IllegalArgumentException("not well-formed JSON: more than one value");
        }
        return value;
    }

    private static Object read(JsonParser parser, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON must nest at most " + MAX_DEPTH + " levels deep, but it nests deeper");
        }
        switch (parser.currentToken()) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, read(parser, depth + 1));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(parser, depth + 1));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
