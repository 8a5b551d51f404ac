package dev.multipartuploadsts.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JacksonTest {

    @Test
    void refusesAnObjectThatNamesAFieldTwiceAtAnyDepth() throws IOException {
        try (JsonParser parser = Jackson.FACTORY.createParser("{\"a\":{\"key\":\"x\",\"key\":\"y\"}}")) {
            assertThatThrownBy(() -> {
                while (parser.nextToken() != null) {
                    // every token, to the end
                }
            }).isInstanceOf(JsonParseException.class).hasMessageContaining("Duplicate field 'key'");
        }
    }

    @Test
    void writesOneValueIntoAString() {
        assertThat(Jackson.write(g -> {
            g.writeStartObject();
            g.writeStringField("outcome", "issued");
            g.writeNumberField("status", 200);
            g.writeEndObject();
        })).isEqualTo("{\"outcome\":\"issued\",\"status\":200}");
    }

    @Test
    void leavesTheStreamItWritesToOpenForItsOwner() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("the generator closed its target");
            }
        };
        try (var generator = Jackson.FACTORY.createGenerator(out)) {
            generator.writeString("done");
        }
        assertThat(out.toString()).isEqualTo("\"done\"");
    }
}
