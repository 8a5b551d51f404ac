package dev.multipartuploadsts.credentials;

import java.util.regex.Pattern;

/**
 * The inline session policy passed to AssumeRole: the vended credentials may only write, abort and list
 * the parts of one object. The effective permissions are the intersection of this and the upload role's
 * own policy.
 *
 * <p>CreateMultipartUpload, UploadPart and CompleteMultipartUpload are all authorized as
 * {@code s3:PutObject}; AbortMultipartUpload as {@code s3:AbortMultipartUpload}; ListParts as
 * {@code s3:ListMultipartUploadParts}. When the bucket encrypts with a customer managed KMS key, S3 also
 * needs the caller to hold {@code kms:GenerateDataKey} (to encrypt parts) and {@code kms:Decrypt} (to
 * complete the upload) on that key; without them in the session policy the intersection would deny them.
 * The key cannot be narrowed to one object (with S3 Bucket Keys the encryption context is the bucket), and
 * the role's own policy limits its use to requests made through S3 ({@code kms:ViaService}).
 */
public final class SessionPolicy {

    /** STS rejects inline session policies longer than this many characters. */
    public static final int MAX_LENGTH = 2048;

    // Characters that need no escaping in JSON and mean nothing special in an ARN or to IAM: no
    // wildcard (* ?), no policy variable ($ { }), no quote or backslash.
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._/-]{1,1024}");
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-z0-9-]+");

    private SessionPolicy() {
    }

    /** Compact policy JSON allowing the three multipart actions on {@code arn:<partition>:s3:::<bucket>/<key>}. */
    public static String forObject(String partition, String bucket, String key) {
        return forObject(partition, bucket, key, null);
    }

    /**
     * As {@link #forObject(String, String, String)}, plus {@code kms:GenerateDataKey} and {@code kms:Decrypt}
     * on {@code kmsKeyArn} when it is not null.
     */
    public static String forObject(String partition, String bucket, String key, String kmsKeyArn) {
        require(PARTITION, "partition", partition);
        require(BUCKET, "bucket", bucket);
        require(KEY, "key", key);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
                + "\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],"
                + "\"Resource\":\"arn:" + partition + ":s3:::" + bucket + '/' + key + "\"}";
        if (kmsKeyArn != null) {
            require(KMS_KEY_ARN, "kmsKeyArn", kmsKeyArn);
            policy += ",{\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],"
                    + "\"Resource\":\"" + kmsKeyArn + "\"}";
        }
        return policy + "]}";
    }

    private static void require(Pattern pattern, String name, String value) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must match " + pattern + " so that the policy needs no"
                    + " escaping, but " + value + " was given");
        }
    }
}
