package dev.multipartuploadsts.infra.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.constructs.UploadBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bucket's CORS rule and the page's S3 client must agree header for header: a header the page sends that CORS
 * does not allow fails every preflight, and an unexposed ETag makes every upload fail at CompleteMultipartUpload.
 */
class CorsMatchesThePageTest {
    private static List<String> tsStringArray(String source, String constant) {
        Matcher block = Pattern.compile("export const " + constant + " = \\[(.*?)\\]", Pattern.DOTALL).matcher(source);
        assertThat(block.find()).as("web/src/uploader/s3-rest.ts declares " + constant).isTrue();
        List<String> values = new ArrayList<>();
        Matcher item = Pattern.compile("'([^']+)'").matcher(block.group(1));
        while (item.find()) {
            values.add(item.group(1));
        }
        return values;
    }

    @Test
    void bucketCorsAllowsExactlyTheHeadersThePageSendsAndExposesEveryHeaderItReads() throws IOException {
        String client = Files.readString(TestApps.PATHS.root().resolve("web/src/uploader/s3-rest.ts"));
        assertThat(UploadBucket.CORS_ALLOWED_HEADERS)
                .containsExactlyInAnyOrderElementsOf(tsStringArray(client, "S3_REQUEST_HEADERS"));
        assertThat(UploadBucket.CORS_EXPOSED_HEADERS)
                .containsAll(tsStringArray(client, "S3_RESPONSE_HEADERS"))
                .contains("ETag");
    }
}
