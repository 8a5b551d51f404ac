package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @Test
    void allowsOnlyTheThreeMultipartActionsOnTheOneObject() {
        String policy = SessionPolicy.forObject("aws", "my-bucket", "uploads/mfwgsy3f/" + ID + "/clip.mp4");

        assertThat(JsonTree.parse(policy)).isEqualTo(Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Action", List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                        "Resource", "arn:aws:s3:::my-bucket/uploads/mfwgsy3f/" + ID + "/clip.mp4"))));
    }

    @Test
    void isCompactJson() {
        String policy = SessionPolicy.forObject("aws", "b-1", "uploads/me/" + ID + "/a");

        assertThat(policy).doesNotContain(" ", "\n").isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:AbortMultipartUpload\","
                + "\"s3:ListMultipartUploadParts\"],\"Resource\":\"arn:aws:s3:::b-1/uploads/me/" + ID + "/a\"}]}");
    }

    @Test
    void letsS3UseTheBucketsKmsKeyWhenThereIsOne() {
        String kms = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

        String policy = SessionPolicy.forObject("aws", "my-bucket", "uploads/me/" + ID + "/a", kms);

        assertThat(JsonTree.parse(policy)).isEqualTo(Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(
                        Map.of("Effect", "Allow",
                                "Action", List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                                "Resource", "arn:aws:s3:::my-bucket/uploads/me/" + ID + "/a"),
                        Map.of("Effect", "Allow",
                                "Action", List.of("kms:GenerateDataKey", "kms:Decrypt"),
                                "Resource", kms))));
        assertThat(SessionPolicy.forObject("aws", "my-bucket", "k", null)).isEqualTo(SessionPolicy.forObject("aws", "my-bucket", "k"));
    }

    @Test
    void usesThePartitionItIsGiven() {
        assertThat(SessionPolicy.forObject("aws-us-gov", "b-1", "k")).contains("\"arn:aws-us-gov:s3:::b-1/k\"");
        assertThat(SessionPolicy.forObject("aws-cn", "b-1", "k")).contains("\"arn:aws-cn:s3:::b-1/k\"");
    }

    @Test
    void staysUnder2048CharactersForTheLongestKeyTheServiceCanIssue() {
        String longestSubject = "\u00ff".repeat(127) + "x"; // 255 bytes of UTF-8
        String key = ObjectKeys.key(Owners.encode(longestSubject), ID, "n".repeat(FileNames.MAX_BYTES));
        String longestBucket = "b".repeat(63);
        String longPartition = "aws-iso-something";

        String longestKmsKey = "arn:" + longPartition + ":kms:ap-southeast-7:123456789012:key/mrk-" + "f".repeat(32);

        String policy = SessionPolicy.forObject(longPartition, longestBucket, key, longestKmsKey);

        assertThat(key).hasSize(ObjectKeys.MAX_LENGTH);
        assertThat(policy.length()).isLessThan(SessionPolicy.MAX_LENGTH);
        assertThat(JsonTree.parse(policy).toString()).contains(key);
    }

    @Test
    void refusesAnythingThatWouldNeedEscapingOrActAsAWildcard() {
        for (String key : new String[] {"a*b", "a?b", "${aws:username}", "a\"b", "a\\b", "a b", "\u00e9", ""}) {
            assertThatThrownBy(() -> SessionPolicy.forObject("aws", "bucket", key))
                    .as(key).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key must match");
        }
        assertThatThrownBy(() -> SessionPolicy.forObject("aws", "Bucket*", "k"))
                .hasMessageStartingWith("bucket must match");
        assertThatThrownBy(() -> SessionPolicy.forObject("aws:x", "bucket", "k"))
                .hasMessageStartingWith("partition must match");
        assertThatThrownBy(() -> SessionPolicy.forObject("aws", "bucket", "k", "arn:aws:kms:eu-west-1:123456789012:key/*"))
                .hasMessageStartingWith("kmsKeyArn must match");
    }
}
