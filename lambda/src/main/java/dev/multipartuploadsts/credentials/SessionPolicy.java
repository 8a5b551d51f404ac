package dev.multipartuploadsts.credentials;

import java.util.regex.Pattern;

/**
 * The inline session policy passed to AssumeRole: the vended credentials may only write, abort and list
 * the parts of one object. The effective permissions are the intersection of this and the upload role's
 * own policy.
 *
 * <p>CreateMultipartUpload, UploadPart and CompleteMultipartUpload are all authorized as
 * {@code s3:PutObject}; AbortMultipartUpload as {@code s3:AbortMultipartUpload}; ListParts as
 * {@code s3:ListMultipartUploadParts}.
 */
public final class SessionPolicy {

    /** STS rejects inline session policies longer than this many characters. */
    public static final int MAX_LENGTH = 2048;

    // Characters that need no escaping in JSON and mean nothing special in an ARN or to IAM: no
    // wildcard (* ?), no policy variable ($ { }), no quote or backslash.
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._/-]{1,1024}");

    private SessionPolicy() {
    }

    /** Compact policy JSON allowing the three multipart actions on {@code arn:<partition>:s3:::<bucket>/<key>}. */
    public static String forObject(String partition, String bucket, String key) {
        require(PARTITION, "partition", partition);
        require(BUCKET, "bucket", bucket);
        require(KEY, "key", key);
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
                + "\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],"
                + "\"Resource\":\"arn:" + partition + ":s3:::" + bucket + '/' + key + "\"}]}";
    }

    private static void require(Pattern pattern, String name, String value) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must match " + pattern + " so that the policy needs no"
                    + " escaping, but " + value + " was given");
        }
    }
}
