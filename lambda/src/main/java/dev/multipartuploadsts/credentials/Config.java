package dev.multipartuploadsts.credentials;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The handler's settings, read from the environment the CDK stack sets. Reading them touches neither AWS nor
 * the clock, so it is safe at init (and in a SnapStart snapshot).
 *
 * @param roleArn the upload role to assume
 * @param partition the AWS partition of the role ARN (aws, aws-cn, aws-us-gov, ...), which the bucket shares
 * @param bucket the upload bucket
 * @param durationSeconds the lifetime of vended credentials
 * @param maxUploadSize the largest {@code size} a start request may declare, in bytes
 * @param region the region of the bucket and of STS
 * @param kmsKeyArn the bucket's customer managed KMS key, or null when the bucket uses S3-managed keys
 * @param stsTimeoutMillis the most one STS call may take, retries included; the handler also cuts it to the
 *     time the invocation has left, so that a slow STS ends in a 503, never in a Lambda timeout
 * @param ledger the upload ledger's table and the per-user limits
 */
public record Config(String roleArn, String partition, String bucket, int durationSeconds, long maxUploadSize,
        String region, String kmsKeyArn, int stsTimeoutMillis, Ledger ledger) {

    /**
     * The upload ledger's settings.
     *
     * @param table the DynamoDB table
     * @param maxOpenUploads how many of a user's grants may be {@code granted} at once
     * @param maxBytesPerDay how many bytes a user may declare per UTC day
     * @param grantMaxAgeSeconds how long after its start a grant may still be refreshed
     * @param abortAfterDays the bucket's abort-incomplete-multipart-uploads window, which the grant's TTL adds
     */
    public record Ledger(String table, int maxOpenUploads, long maxBytesPerDay, long grantMaxAgeSeconds,
            int abortAfterDays) {
    }

    public static final String ROLE_ARN = "UPLOAD_ROLE_ARN";
    public static final String BUCKET_NAME = "UPLOAD_BUCKET_NAME";
    public static final String DURATION_SECONDS = "CREDENTIAL_DURATION_SECONDS";
    public static final String MAX_UPLOAD_SIZE = "MAX_UPLOAD_SIZE_BYTES";
    public static final String REGION = "AWS_REGION";
    /** Set by the stack only when the bucket encrypts with a customer managed KMS key. */
    public static final String KMS_KEY_ARN = "UPLOAD_KMS_KEY_ARN";
    /** The STS call's budget in milliseconds; the stack sets it well inside the function's timeout. */
    public static final String STS_TIMEOUT_MILLIS = "STS_TIMEOUT_MILLIS";

    /** AssumeRole's minimum session. */
    public static final int MIN_DURATION_SECONDS = 900;
    /** Role chaining (Lambda execution role to upload role) caps sessions at one hour. */
    public static final int MAX_DURATION_SECONDS = 3600;
    public static final String LEDGER_TABLE = "LEDGER_TABLE";
    public static final String MAX_OPEN_UPLOADS = "MAX_OPEN_UPLOADS_PER_USER";
    public static final String MAX_BYTES_PER_DAY = "MAX_BYTES_PER_USER_PER_DAY";
    public static final String GRANT_MAX_AGE_SECONDS = "GRANT_MAX_AGE_SECONDS";
    public static final String ABORT_AFTER_DAYS = "ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS";

    /** Defaults and ranges of the ledger settings, the same as the stack's context keys. */
    public static final int DEFAULT_MAX_OPEN_UPLOADS = 20;
    public static final int MAX_MAX_OPEN_UPLOADS = 1000;
    public static final long DEFAULT_MAX_BYTES_PER_DAY = 1L << 40;
    public static final long MAX_MAX_BYTES_PER_DAY = 1L << 50;
    public static final int DEFAULT_ABORT_AFTER_DAYS = 2;
    public static final int MAX_ABORT_AFTER_DAYS = 365;
    public static final long SECONDS_PER_DAY = 86_400;

    /** {@code STS_TIMEOUT_MILLIS} when unset: inside the stack's default 10-second function timeout. */
    public static final int DEFAULT_STS_TIMEOUT_MILLIS = 5_000;
    /** Below this, two attempts cannot fit even a healthy STS round trip from a cold connection. */
    public static final int MIN_STS_TIMEOUT_MILLIS = 500;
    /** API Gateway waits at most 30 seconds for the function. */
    public static final int MAX_STS_TIMEOUT_MILLIS = 29_000;
    /** Default and upper bound of {@code MAX_UPLOAD_SIZE_BYTES}: S3's largest object, 5 TiB. */
    public static final long DEFAULT_MAX_UPLOAD_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

    private static final Pattern ROLE_ARN_PATTERN =
            Pattern.compile("arn:(aws(?:-[a-z]+)*):iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern BUCKET_PATTERN = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern TABLE_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern KMS_KEY_PATTERN = Pattern.compile(
            "arn:(aws(?:-[a-z]+)*):kms:[a-z0-9-]{1,32}:\\d{12}:key/(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");

    /**
     * Reads and validates the settings.
     *
     * @throws IllegalArgumentException naming the first variable that is missing or invalid, its allowed
     *     values and the value given
     */
    public static Config fromEnvironment(Map<String, String> env) {
        String roleArn = required(env, ROLE_ARN);
        Matcher arn = ROLE_ARN_PATTERN.matcher(roleArn);
        if (!arn.matches()) {
            throw invalid(ROLE_ARN, "an IAM role ARN such as arn:aws:iam::123456789012:role/upload", roleArn);
        }
        String bucket = required(env, BUCKET_NAME);
        if (!BUCKET_PATTERN.matcher(bucket).matches() || bucket.contains("..")) {
            throw invalid(BUCKET_NAME, "an S3 bucket name of 3 to 63 characters a-z, 0-9, '.' and '-'", bucket);
        }
        int duration = (int) wholeNumber(DURATION_SECONDS, required(env, DURATION_SECONDS),
                MIN_DURATION_SECONDS, MAX_DURATION_SECONDS);
        String maxSizeText = env.get(MAX_UPLOAD_SIZE);
        long maxUploadSize = maxSizeText == null || maxSizeText.isBlank()
                ? DEFAULT_MAX_UPLOAD_SIZE
                : wholeNumber(MAX_UPLOAD_SIZE, maxSizeText, 1, DEFAULT_MAX_UPLOAD_SIZE);
        String region = required(env, REGION);
        if (region.length() > 32 || !REGION_PATTERN.matcher(region).matches()) {
            throw invalid(REGION, "a region name such as eu-west-1", region);
        }
        String kmsKeyArn = env.get(KMS_KEY_ARN);
        if (kmsKeyArn != null && !kmsKeyArn.isBlank()) {
            kmsKeyArn = kmsKeyArn.trim();
            Matcher key = KMS_KEY_PATTERN.matcher(kmsKeyArn);
            if (!key.matches() || !key.group(1).equals(arn.group(1))) {
                throw invalid(KMS_KEY_ARN, "unset, or a KMS key ARN in the role's partition (" + arn.group(1)
                        + ") such as arn:" + arn.group(1) + ":kms:eu-west-1:123456789012:key/"
                        + "1234abcd-12ab-34cd-56ef-1234567890ab", kmsKeyArn);
            }
        } else {
            kmsKeyArn = null;
        }
        String stsTimeoutText = env.get(STS_TIMEOUT_MILLIS);
        int stsTimeoutMillis = stsTimeoutText == null || stsTimeoutText.isBlank()
                ? DEFAULT_STS_TIMEOUT_MILLIS
                : (int) wholeNumber(STS_TIMEOUT_MILLIS, stsTimeoutText, MIN_STS_TIMEOUT_MILLIS, MAX_STS_TIMEOUT_MILLIS);
        return new Config(roleArn, arn.group(1), bucket, duration, maxUploadSize, region, kmsKeyArn, stsTimeoutMillis,
                ledger(env));
    }

    private static Ledger ledger(Map<String, String> env) {
        String table = required(env, LEDGER_TABLE);
        if (!TABLE_PATTERN.matcher(table).matches()) {
            throw invalid(LEDGER_TABLE, "a DynamoDB table name of 3 to 255 characters A-Z, a-z, 0-9, '_', '-' and '.'",
                    table);
        }
        int maxOpen = (int) optionalWholeNumber(env, MAX_OPEN_UPLOADS, DEFAULT_MAX_OPEN_UPLOADS, 1, MAX_MAX_OPEN_UPLOADS);
        long maxBytes = optionalWholeNumber(env, MAX_BYTES_PER_DAY, DEFAULT_MAX_BYTES_PER_DAY, 1, MAX_MAX_BYTES_PER_DAY);
        int abortDays = (int) optionalWholeNumber(env, ABORT_AFTER_DAYS, DEFAULT_ABORT_AFTER_DAYS, 1, MAX_ABORT_AFTER_DAYS);
        // A grant younger than one credential lifetime must stay refreshable; the default is the abort window.
        long maxAge = optionalWholeNumber(env, GRANT_MAX_AGE_SECONDS, abortDays * SECONDS_PER_DAY,
                MIN_DURATION_SECONDS, MAX_ABORT_AFTER_DAYS * SECONDS_PER_DAY);
        return new Ledger(table, maxOpen, maxBytes, maxAge, abortDays);
    }

    private static long optionalWholeNumber(Map<String, String> env, String name, long fallback, long min, long max) {
        String text = env.get(name);
        return text == null || text.isBlank() ? fallback : wholeNumber(name, text, min, max);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set, but it is "
                    + (value == null ? "missing" : "blank"));
        }
        return value.trim();
    }

    private static long wholeNumber(String name, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, "a whole number from " + min + " to " + max, text);
        }
        if (value < min || value > max) {
            throw invalid(name, "a whole number from " + min + " to " + max, text);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String name, String allowed, String given) {
        return new IllegalArgumentException(name + " must be " + allowed + ", but " + given + " was given");
    }
}
