package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String ALICE = Owners.encode("alice");
    private static final String BOB = Owners.encode("bob");

    @Test
    void layoutIsUploadsOwnerIdFileName() {
        assertThat(ObjectKeys.key(ALICE, ID, "clip.mp4")).isEqualTo("uploads/mfwgsy3f/" + ID + "/clip.mp4");
    }

    @Test
    void refusesToBuildAKeyFromAnUncleanNameOrAnOddId() {
        assertThatThrownBy(() -> ObjectKeys.key(ALICE, ID, "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.key(ALICE, "not-a-uuid", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.key(ALICE, ID.toUpperCase(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyIssuedToAnOwnerIsRecognisedAsTheirs() {
        assertThat(ObjectKeys.isIssuedTo(ObjectKeys.key(ALICE, ID, "clip.mp4"), ALICE)).isTrue();
    }

    @Test
    void anotherOwnersKeyIsNotTheirs() {
        String bobs = ObjectKeys.key(BOB, ID, "clip.mp4");

        assertThat(ObjectKeys.isIssuedTo(bobs, ALICE)).isFalse();
    }

    @Test
    void anOwnerWhoseEncodingIsAPrefixOfAnothersDoesNotGetTheirKeys() {
        String alice = Owners.encode("alice");
        String alice2 = Owners.encode("alice2");
        String key = ObjectKeys.key(alice2, ID, "clip.mp4");

        assertThat(alice2).startsWith(alice);
        assertThat(ObjectKeys.isIssuedTo(key, alice)).isFalse();
    }

    @Test
    void keysNotShapedAsIssuedAreRejectedEvenUnderTheOwnersPrefix() {
        String prefix = "uploads/" + ALICE + "/";
        String[] malformed = {
            prefix,
            prefix + ID,
            prefix + ID + "/",
            prefix + ID + "/a/b.mp4",
            prefix + ID + "/../" + BOB + "/x",
            prefix + ID + "/*",
            prefix + ID + "/${aws:username}",
            prefix + ID + "/my video.mp4",
            prefix + ID + "/.hidden",
            prefix + "not-a-uuid/clip.mp4",
            prefix + ID.toUpperCase() + "/clip.mp4",
            prefix + "*/clip.mp4",
            prefix + ID + "/" + "x".repeat(256),
            "uploads/" + ALICE + "//" + ID + "/clip.mp4",
            "/uploads/" + ALICE + "/" + ID + "/clip.mp4",
            "Uploads/" + ALICE + "/" + ID + "/clip.mp4",
            "uploads/" + ALICE.toUpperCase() + "/" + ID + "/clip.mp4",
            "",
        };
        for (String key : malformed) {
            assertThat(ObjectKeys.isIssuedTo(key, ALICE)).as(key).isFalse();
        }
    }

    @Test
    void theLongestKeyFitsS3sLimitAndUsesOnlyTheSafeSet() {
        String key = ObjectKeys.key(Owners.encode("\u00ff".repeat(127) + "x"), ID, "n".repeat(FileNames.MAX_BYTES));

        assertThat(key).hasSize(ObjectKeys.MAX_LENGTH).matches("[A-Za-z0-9._/-]+");
        assertThat(ObjectKeys.MAX_LENGTH).isEqualTo(709).isLessThanOrEqualTo(1024);
        assertThat(ObjectKeys.isIssuedTo(key, Owners.encode("\u00ff".repeat(127) + "x"))).isTrue();
    }
}
