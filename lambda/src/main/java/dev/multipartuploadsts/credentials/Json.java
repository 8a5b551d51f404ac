package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The one jackson-core factory and the few streaming helpers the handler needs; no databind. */
final class Json {

    /**
     * Thread-safe and reusable; rejects duplicate names at every level, and leaves the output stream open
     * for its owner (the Lambda runtime) to close.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private Json() {
    }

    /** Writes one JSON value into a string. */
    static String write(JsonWriter writer) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            // A StringWriter does not fail; keep the signature honest anyway.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The current value as text if it is a string, otherwise null (skipping any object or array). */
    static String stringOrNull(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /**
     * Calls {@code field} for each field of the object the parser is at, with the parser on the field's value
     * (which {@code field} must consume or skip); anything but an object is skipped.
     */
    static void readFields(JsonParser parser, FieldReader field) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            field.read(name);
        }
    }

    /** Reads one field's value, the parser positioned on it. */
    @FunctionalInterface
    interface FieldReader {
        void read(String name) throws IOException;
    }

    /** How to describe a token's type to a person, for "but a number was given". */
    static String describe(JsonToken token) {
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            default:
                return token.asString();
        }
    }

    /** Writes one value with a generator. */
    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator generator) throws IOException;
    }
}
