package dev.multipartuploadsts.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadKeyTest {

    private static final String OWNER = "mfrggzdfmztwq2lknnwg23tpobyxe43u"; // base32 of "abcdefghijklmnopqrst"
    private static final String UPLOAD_ID = "01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f";

    @Test
    void splitsAnIssuedKeyIntoOwnerUploadIdAndFileName() {
        UploadKey key = UploadKey.parse("uploads/" + OWNER + "/" + UPLOAD_ID + "/Holiday_2024.final.mp4");

        assertThat(key.owner()).isEqualTo(OWNER);
        assertThat(key.uploadId()).isEqualTo(UPLOAD_ID);
        assertThat(key.fileName()).isEqualTo("Holiday_2024.final.mp4");
        assertThat(key.grantItem()).isEqualTo("upload#" + UPLOAD_ID);
    }

    @Test
    void rebuildsTheSameKeyItWasParsedFrom() {
        String raw = "uploads/" + OWNER + "/" + UPLOAD_ID + "/a-b_c.txt";

        assertThat(UploadKey.parse(raw).key()).isEqualTo(raw);
        assertThat(new UploadKey(OWNER, UPLOAD_ID, "a-b_c.txt").key()).isEqualTo(raw);
    }

    @Test
    void acceptsTheLongestOwnerAndFileNameTheLambdaIssues() {
        String owner = "a".repeat(UploadKey.MAX_OWNER_LENGTH);
        String fileName = "f".repeat(UploadKey.MAX_FILE_NAME_LENGTH);

        UploadKey key = UploadKey.parse("uploads/" + owner + "/" + UPLOAD_ID + "/" + fileName);

        assertThat(key.owner()).hasSize(408);
        assertThat(key.fileName()).hasSize(255);
    }

    @Test
    void acceptsAnyLowercaseUuidVersionSoKeysIssuedBeforeVersion7StillParse() {
        String version4 = "3f2b8c1e-9d4a-4b7c-8e6f-1a2b3c4d5e6f";

        assertThat(UploadKey.parse("uploads/" + OWNER + "/" + version4 + "/x").uploadId()).isEqualTo(version4);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "uploads/",
        "other/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/x",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/",
        "uploads//01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/x",
        "uploads/MFRG/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/x",
        "uploads/mfrg1/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/x",
        "uploads/mfrg/01938A6E-7C3B-7D2E-9F10-2A4B6C8D0E1F/x",
        "uploads/mfrg/not-a-uuid/x",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/dir/x",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/red+flower.jpg",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/red%20flower.jpg",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/red flower.jpg",
        "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/caf\u00e9",
    })
    void refusesKeysOutsideTheIssuedLayoutNamingTheLayoutAndTheKey(String raw) {
        assertThatThrownBy(() -> UploadKey.parse(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("object key must be uploads/<owner>/<uploadId>/<fileName>")
                .hasMessageContaining("but \"" + raw + "\" was given");
    }

    @Test
    void refusesAnOwnerOrFileNameOneCharacterTooLong() {
        String longOwner = "a".repeat(UploadKey.MAX_OWNER_LENGTH + 1);
        String longName = "f".repeat(UploadKey.MAX_FILE_NAME_LENGTH + 1);

        assertThatThrownBy(() -> UploadKey.parse("uploads/" + longOwner + "/" + UPLOAD_ID + "/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadKey.parse("uploads/" + OWNER + "/" + UPLOAD_ID + "/" + longName))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAMissingKeySayingNoneWasGiven() {
        assertThatThrownBy(() -> UploadKey.parse(null)).hasMessageEndingWith("but no key was given");
    }

    @Test
    void refusesPartsThatDoNotFormAnIssuedKey() {
        assertThatThrownBy(() -> new UploadKey(OWNER, UPLOAD_ID, "a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uploads/" + OWNER + "/" + UPLOAD_ID + "/a/b");
        assertThatThrownBy(() -> new UploadKey(null, UPLOAD_ID, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
