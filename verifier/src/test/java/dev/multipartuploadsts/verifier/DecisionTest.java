package dev.multipartuploadsts.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.ledger.GrantState;
import dev.multipartuploadsts.ledger.UploadKey;
import org.junit.jupiter.api.Test;

/** Every decision the verifier can make, from the object and the grant as they are now. */
class DecisionTest {

    private static final UploadKey KEY = UploadKey.parse(
            "uploads/mfrggzdf/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/clip.mp4");
    private static final ObjectFacts OBJECT = new ObjectFacts(1000, "etag-a", "CRC64NVME:AAAAAAAAAAA=", "video/mp4", "AES256");

    private static Grant grant(GrantState state, long declaredSize, String etag) {
        return new Grant(KEY.key(), "clip.mp4", declaredSize, "video/mp4", state, etag, null, null);
    }

    @Test
    void completesAnOpenGrantWhenTheSizeIsTheDeclaredOne() {
        Decision decision = Decision.decide(KEY, OBJECT, grant(GrantState.GRANTED, 1000, null));

        assertThat(decision).isEqualTo(new Decision(Decision.Change.COMPLETE, false, true, null,
                GrantState.COMPLETED, "completed"));
    }

    @Test
    void rejectsAnOpenGrantsObjectOfAnotherSizeEvenByOneByte() {
        Decision bigger = Decision.decide(KEY, OBJECT, grant(GrantState.GRANTED, 999, null));
        Decision smaller = Decision.decide(KEY, OBJECT, grant(GrantState.GRANTED, 1001, null));

        assertThat(bigger).isEqualTo(new Decision(Decision.Change.REJECT_OPEN, true, false, "size_mismatch",
                GrantState.REJECTED, "rejected"));
        assertThat(smaller).isEqualTo(bigger);
    }

    @Test
    void rejectsAnObjectWithoutAGrantAndWritesNothing() {
        Decision decision = Decision.decide(KEY, OBJECT, null);

        assertThat(decision).isEqualTo(new Decision(Decision.Change.NONE, true, false, "no_grant", null, "rejected"));
    }

    @Test
    void rejectsAnObjectWhoseGrantNamesAnotherKeyAndLeavesThatGrantAlone() {
        Grant other = new Grant("uploads/mfrggzdf/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/other.mp4", "other.mp4",
                1000, "video/mp4", GrantState.GRANTED, null, null, null);

        Decision decision = Decision.decide(KEY, OBJECT, other);

        assertThat(decision).isEqualTo(new Decision(Decision.Change.NONE, true, false, "key_mismatch",
                GrantState.GRANTED, "rejected"));
    }

    @Test
    void rejectsAnObjectForAnAbortedOrExpiredGrantKeepingTheGrantsState() {
        for (GrantState closed : new GrantState[] {GrantState.ABORTED, GrantState.EXPIRED}) {
            Decision decision = Decision.decide(KEY, OBJECT, grant(closed, 1000, null));

            assertThat(decision).isEqualTo(new Decision(Decision.Change.NONE, true, false, "grant_not_open", closed,
                    "rejected"));
        }
    }

    @Test
    void aRepeatOfACompletionChangesNothingButSendsTheEventAgain() {
        Decision decision = Decision.decide(KEY, OBJECT, grant(GrantState.COMPLETED, 1000, "etag-a"));

        assertThat(decision).isEqualTo(new Decision(Decision.Change.NONE, false, true, null, GrantState.COMPLETED,
                "already_completed"));
    }

    @Test
    void aNewWriteAfterCompletionRejectsTheGrantAndRemovesTheObject() {
        Decision decision = Decision.decide(KEY, OBJECT, grant(GrantState.COMPLETED, 1000, "etag-before"));

        assertThat(decision).isEqualTo(new Decision(Decision.Change.REJECT_COMPLETED, true, false,
                "overwritten_after_completion", GrantState.REJECTED, "rejected"));
    }

    @Test
    void aRejectedGrantsOwnObjectStillThereIsRemovedWithTheRecordedReason() {
        Grant rejected = new Grant(KEY.key(), "clip.mp4", 5, null, GrantState.REJECTED, "etag-a", "size_mismatch", null);

        Decision decision = Decision.decide(KEY, OBJECT, rejected);

        assertThat(decision).isEqualTo(new Decision(Decision.Change.NONE, true, false, "size_mismatch",
                GrantState.REJECTED, "already_rejected"));
    }

    @Test
    void aNewWriteToARejectedGrantIsRemovedAsNotOpen() {
        Grant rejected = new Grant(KEY.key(), "clip.mp4", 5, null, GrantState.REJECTED, "etag-old", "size_mismatch", null);

        Decision decision = Decision.decide(KEY, OBJECT, rejected);

        assertThat(decision).isEqualTo(new Decision(Decision.Change.NONE, true, false, "grant_not_open",
                GrantState.REJECTED, "rejected"));
    }
}
