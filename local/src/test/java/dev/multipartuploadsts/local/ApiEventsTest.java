package dev.multipartuploadsts.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiEventsTest {

    private static Map<String, Object> event(String method, String path, String rawQuery) throws ParseException {
        ApiEvents.Request request = new ApiEvents.Request(method, path, rawQuery, Map.of("Host", List.of("127.0.0.1")),
                new byte[0], "127.0.0.1", "127.0.0.1");
        return JSONObjectUtils.parse(ApiEvents.event(request, method + " " + path, null, "req-1",
                Instant.parse("2026-01-02T03:04:05Z")));
    }

    @Test
    void aGetCarriesTheRawQueryStringAndItsDecodedParameters() throws ParseException {
        Map<String, Object> event = event("GET", "/uploads", "limit=2&cursor=eyJrIjoiYSJ9%3D%3D&flag");

        assertThat(event.get("routeKey")).isEqualTo("GET /uploads");
        assertThat(event.get("rawPath")).isEqualTo("/uploads");
        assertThat(event.get("rawQueryString")).isEqualTo("limit=2&cursor=eyJrIjoiYSJ9%3D%3D&flag");
        assertThat(event.get("queryStringParameters"))
                .isEqualTo(Map.of("limit", "2", "cursor", "eyJrIjoiYSJ9==", "flag", ""));
        assertThat(event).doesNotContainKey("body");
        assertThat(event.get("isBase64Encoded")).isEqualTo(false);
    }

    @Test
    void aRepeatedNameHasItsValuesJoinedWithCommasInOrder() {
        assertThat(ApiEvents.queryParameters("a=1&b=x%20y&a=2&&a=3"))
                .containsExactly(Map.entry("a", "1,2,3"), Map.entry("b", "x y"));
    }

    @Test
    void withoutAQueryStringTheEventHasNoParametersAndAnEmptyRawQueryString() throws ParseException {
        Map<String, Object> event = event("POST", "/uploads/abort", null);

        assertThat(event.get("rawQueryString")).isEqualTo("");
        assertThat(event).doesNotContainKey("queryStringParameters");
    }
}
