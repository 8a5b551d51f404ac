package dev.multipartuploadsts.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The one jackson-core factory both Lambdas parse and generate with (streaming only, no databind). */
public final class Jackson {

    /**
     * Thread-safe and reusable. Rejects duplicate names at every level, so one event or body cannot say two
     * things about the same field; leaves the output stream open for its owner (the Lambda runtime) to close.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private Jackson() {
    }

    /** Writes one JSON value into a string. */
    public static String write(JsonWriter writer) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            // A StringWriter does not fail; keep the signature honest anyway.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes one value with a generator. */
    @FunctionalInterface
    public interface JsonWriter {
        void write(JsonGenerator generator) throws IOException;
    }
}
