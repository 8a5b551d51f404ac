package dev.multipartuploadsts.verifier;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The verifier's settings, read from the environment the CDK stack sets. Reading them touches neither AWS nor
 * the clock, so it is safe at init.
 *
 * @param table the ledger table's name
 * @param bucket the upload bucket; events about any other bucket are ignored
 * @param eventBus the app's own event bus, which receives {@code Upload Completed} and {@code Upload Rejected}
 * @param rejectedObjects what happens to an object that fails verification
 * @param region the Lambda's region, which the table, bucket and bus share
 */
public record VerifierConfig(String table, String bucket, String eventBus, RejectedObjects rejectedObjects,
        String region) {

    public static final String LEDGER_TABLE = "LEDGER_TABLE";
    public static final String UPLOAD_BUCKET = "UPLOAD_BUCKET";
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    public static final String REJECTED_OBJECTS = "REJECTED_OBJECTS";
    public static final String REGION = "AWS_REGION";

    // The names each service allows (DynamoDB TableName, S3 bucket naming rules, EventBridge bus Name).
    private static final Pattern TABLE = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern BUS = Pattern.compile("[A-Za-z0-9/_.-]{1,256}");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** What to do with an object that fails verification. */
    public enum RejectedObjects {
        /** Delete it: nothing of it is kept, and the verifier needs no right beyond delete. The default. */
        DELETE,
        /**
         * Copy it under {@value ObjectStore#QUARANTINE_PREFIX} (which no user credential can read or write), then
         * delete it. Objects over {@value ObjectStore#MAX_COPY_BYTES} bytes (S3's single-copy limit) are deleted.
         */
        QUARANTINE
    }

    /**
     * Reads and validates the settings.
     *
     * @throws IllegalArgumentException naming the first variable that is missing or invalid, its allowed values
     *     and the value given
     */
    public static VerifierConfig fromEnvironment(Map<String, String> env) {
        String table = matching(env, LEDGER_TABLE, TABLE, "a DynamoDB table name of 3 to 255 characters a-z, A-Z, 0-9, '_', '-' and '.'");
        String bucket = matching(env, UPLOAD_BUCKET, BUCKET, "an S3 bucket name of 3 to 63 characters a-z, 0-9, '.' and '-'");
        if (bucket.contains("..")) {
            throw invalid(UPLOAD_BUCKET, "an S3 bucket name of 3 to 63 characters a-z, 0-9, '.' and '-'", bucket);
        }
        String bus = matching(env, EVENT_BUS_NAME, BUS, "an EventBridge bus name of 1 to 256 characters A-Z, a-z, 0-9, '/', '_', '.' and '-'");
        String mode = env.get(REJECTED_OBJECTS);
        RejectedObjects rejected;
        if (mode == null || mode.isBlank()) {
            rejected = RejectedObjects.DELETE;
        } else if (mode.equals("DELETE") || mode.equals("QUARANTINE")) {
            rejected = RejectedObjects.valueOf(mode);
        } else {
            throw invalid(REJECTED_OBJECTS, "DELETE (the default) or QUARANTINE", mode);
        }
        String region = matching(env, REGION, REGION_NAME, "a region name such as eu-west-1");
        if (region.length() > 32) {
            throw invalid(REGION, "a region name such as eu-west-1", region);
        }
        return new VerifierConfig(table, bucket, bus, rejected, region);
    }

    private static String matching(Map<String, String> env, String name, Pattern pattern, String allowed) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set to " + allowed + ", but it is not set");
        }
        if (!pattern.matcher(value).matches()) {
            throw invalid(name, allowed, value);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String name, String allowed, String value) {
        return new IllegalArgumentException(name + " must be " + allowed + ", but \"" + value + "\" was given");
    }
}
