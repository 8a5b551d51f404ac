package dev.multipartuploadsts.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSettingsTest {

    private static final String ROUTES = "\"routes\":[{\"routeKey\":\"POST /uploads\","
            + "\"authorizer\":{\"issuer\":\"http://127.0.0.1:9/issuer\",\"audience\":[\"client\"]},"
            + "\"authorizationScopes\":[\"api/upload\"]},"
            + "{\"routeKey\":\"GET /health\"}]";
    private static final String FUNCTION = "\"handler\":\"a.B::handleRequest\",\"functionName\":\"credentials\","
            + "\"timeoutSeconds\":10,\"memorySize\":1024";

    @Test
    void readsRoutesAuthorizersCorsAndTheFunctionsLimits() throws ParseException {
        ApiSettings settings = ApiSettings.parse("{\"host\":\"127.0.0.1\",\"port\":0," + FUNCTION + "," + ROUTES
                + ",\"cors\":{\"AllowOrigins\":[\"http://localhost:1\"],\"AllowHeaders\":[\"Authorization\"],"
                + "\"AllowMethods\":[\"POST\"],\"MaxAge\":600,\"AllowCredentials\":false}}");

        assertThat(settings.timeoutSeconds).isEqualTo(10);
        assertThat(settings.memorySize).isEqualTo(1024);
        assertThat(settings.routes).containsExactly(
                new ApiSettings.Route("POST", "/uploads", "POST /uploads", "http://127.0.0.1:9/issuer", List.of("client"),
                        List.of("api/upload")),
                new ApiSettings.Route("GET", "/health", "GET /health", null, null, List.of()));
        assertThat(settings.cors.allowHeaders()).containsExactly("authorization");
        assertThat(settings.cors.maxAgeSeconds()).isEqualTo(600);
        assertThat(settings.cors.allows("http://localhost:1")).isTrue();
    }

    @Test
    void namesAMissingField() {
        assertThatThrownBy(() -> ApiSettings.parse("{\"host\":\"127.0.0.1\"," + FUNCTION + "," + ROUTES + "}"))
                .isInstanceOf(ParseException.class).hasMessage("port is required: a whole number");
    }

    @Test
    void namesAFieldOfTheWrongTypeAndTheValueGiven() {
        assertThatThrownBy(() -> ApiSettings.parse("{\"host\":\"127.0.0.1\",\"port\":\"80\"," + FUNCTION + ","
                + ROUTES + "}")).hasMessage("port must be a whole number, but 80 was given");
        assertThatThrownBy(() -> ApiSettings.parse("{\"host\":\"127.0.0.1\",\"port\":0," + FUNCTION
                + ",\"routes\":[{\"routeKey\":\"POST\"}]}"))
                .hasMessage("routes[0].routeKey must be \"METHOD /path\", but POST was given");
        assertThatThrownBy(() -> ApiSettings.parse("{\"host\":\"127.0.0.1\",\"port\":0," + FUNCTION
                + ",\"routes\":[7]}")).hasMessage("routes[0] must be an object, but 7 was given");
        assertThatThrownBy(() -> ApiSettings.parse("{\"host\":\"127.0.0.1\",\"port\":0," + FUNCTION
                + ",\"routes\":[{\"routeKey\":\"POST /a\",\"authorizer\":{}}]}"))
                .hasMessage("routes[0].authorizer.issuer is required: a string");
    }

    @Test
    void readNamesTheFileItCouldNotUse(@TempDir Path temp) throws IOException {
        Path file = temp.resolve("api.json");
        Files.writeString(file, "{\"host\":7}");

        assertThatThrownBy(() -> ApiSettings.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + " is not a valid local API settings file: host must be a string, but 7 was given");
    }
}
