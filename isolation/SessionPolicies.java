import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.multipartuploadsts.credentials.FileNames;
import dev.multipartuploadsts.credentials.ObjectKeys;
import dev.multipartuploadsts.credentials.Owners;
import dev.multipartuploadsts.credentials.SessionPolicy;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the credentials Lambda's own pure code over a list of subjects, so that the isolation suite evaluates
 * exactly the owners, keys and session policies the Lambda would issue, with no copy of that logic in JS.
 *
 * <p>Launched as a Java 17 single-source program against the shaded Lambda jar:
 * {@code java -cp lambda/target/credentials-lambda.jar isolation/SessionPolicies.java input.json}.
 * The input is {@code {"partition", "bucket", "kmsKeyArn", "subjects": [{"subject", "uploads": [{"id", "fileName"}]}]}}
 * (file names raw, as a browser would send them; {@code kmsKeyArn} null unless the stack sets one). The output, on stdout, lists per subject either
 * {@code owner, sessionName, ownerPrefix} and per upload {@code cleanFileName, key, issuedToOwner,
 * sessionPolicy}, or {@code rejected} with the Lambda's message. jackson-core comes from the jar: it is the
 * parser the handler reads its event with, so escaped subjects arrive here as they would there.
 */
public final class SessionPolicies {

    private static final JsonFactory JSON = new JsonFactory();

    private record Upload(String id, String fileName) {
    }

    private record Subject(String subject, List<Upload> uploads) {
    }

    private SessionPolicies() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp credentials-lambda.jar SessionPolicies.java <input.json>");
            System.exit(2);
        }
        String partition = null;
        String bucket = null;
        String kmsKeyArn = null;
        List<Subject> subjects = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(Files.readAllBytes(Path.of(args[0])))) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "partition" -> partition = parser.getText();
                    case "bucket" -> bucket = parser.getText();
                    case "kmsKeyArn" -> kmsKeyArn = parser.currentToken() == JsonToken.VALUE_NULL ? null : parser.getText();
                    case "subjects" -> readSubjects(parser, subjects);
                    default -> throw new IllegalArgumentException("unknown input field " + field);
                }
            }
        }
        if (partition == null || bucket == null) {
            throw new IllegalArgumentException("input must name partition and bucket");
        }

        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        try (JsonGenerator json = JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeArrayFieldStart("subjects");
            for (Subject subject : subjects) {
                writeSubject(json, partition, bucket, kmsKeyArn, subject);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.flush();
    }

    private static void writeSubject(JsonGenerator json, String partition, String bucket, String kmsKeyArn,
            Subject subject) throws IOException {
        json.writeStartObject();
        String owner;
        try {
            owner = Owners.encode(subject.subject());
        } catch (IllegalArgumentException e) {
            json.writeStringField("rejected", e.getMessage());
            json.writeEndObject();
            return;
        }
        json.writeStringField("owner", owner);
        json.writeStringField("sessionName", Owners.sessionName(owner));
        json.writeStringField("ownerPrefix", ObjectKeys.ownerPrefix(owner));
        json.writeArrayFieldStart("uploads");
        for (Upload upload : subject.uploads()) {
            json.writeStartObject();
            String clean = FileNames.clean(upload.fileName());
            json.writeStringField("cleanFileName", clean);
            if (clean.isEmpty()) {
                json.writeStringField("rejected", "nothing recognisable is left of the file name");
            } else {
                String key = ObjectKeys.key(owner, upload.id(), clean);
                json.writeStringField("key", key);
                json.writeBooleanField("issuedToOwner", ObjectKeys.isIssuedTo(key, owner));
                json.writeStringField("sessionPolicy", SessionPolicy.forObject(partition, bucket, key, kmsKeyArn));
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void readSubjects(JsonParser parser, List<Subject> subjects) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String subject = null;
            List<Upload> uploads = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "subject" -> subject = parser.getText();
                    case "uploads" -> readUploads(parser, uploads);
                    default -> parser.skipChildren();
                }
            }
            if (subject == null) {
                throw new IllegalArgumentException("every subject entry needs a subject");
            }
            subjects.add(new Subject(subject, uploads));
        }
    }

    private static void readUploads(JsonParser parser, List<Upload> uploads) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String id = null;
            String fileName = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "id" -> id = parser.getText();
                    case "fileName" -> fileName = parser.getText();
                    default -> parser.skipChildren();
                }
            }
            if (id == null || fileName == null) {
                throw new IllegalArgumentException("every upload needs an id and a fileName");
            }
            uploads.add(new Upload(id, fileName));
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + " but found " + actual);
        }
    }
}
