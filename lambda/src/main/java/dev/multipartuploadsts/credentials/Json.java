package dev.multipartuploadsts.credentials;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few streaming helpers the handler reads its input with; parsers and generators come from the factory both
 * Lambdas share, {@link dev.multipartuploadsts.common.Jackson}.
 */
final class Json {

    private Json() {
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
}
