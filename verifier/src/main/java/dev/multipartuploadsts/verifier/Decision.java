package dev.multipartuploadsts.verifier;

import dev.multipartuploadsts.ledger.GrantState;
import dev.multipartuploadsts.ledger.RejectionReason;
import dev.multipartuploadsts.ledger.UploadKey;

/**
 * What to do about one object, decided from the object as HeadObject sees it now and its grant as the ledger
 * holds it now; a pure function, so every case is tested without AWS.
 *
 * <p>Deciding on the present state rather than on the event is what makes duplicates and out-of-order events
 * harmless: an old event about a key that was written again looks at the newest write, which its own event will
 * look at again, and by then the ledger records that write's ETag, so the second look changes nothing.
 *
 * @param change the ledger update, applied as one conditional write
 * @param removeObject whether the object goes (deleted or quarantined)
 * @param completed true for an {@code Upload Completed} event, false for {@code Upload Rejected}
 * @param reason why the object was rejected; null when completed
 * @param stateAfter the grant's state once the change is applied; null when there is no grant
 * @param outcome the log's word for it
 */
record Decision(Change change, boolean removeObject, boolean completed, String reason, GrantState stateAfter,
        String outcome) {

    /** The ledger writes a decision can make. */
    enum Change {
        /** Nothing to write: no grant, a grant for another key, a closed grant, or a repeat of a finished decision. */
        NONE,
        /** {@code granted} to {@code completed}, releasing the open-grant slot. */
        COMPLETE,
        /** {@code granted} to {@code rejected}, releasing the open-grant slot. */
        REJECT_OPEN,
        /** {@code completed} to {@code rejected}: the verified object was replaced; its slot was released already. */
        REJECT_COMPLETED
    }

    static final String COMPLETED = "completed";
    static final String REJECTED = "rejected";
    static final String ALREADY_COMPLETED = "already_completed";
    static final String ALREADY_REJECTED = "already_rejected";

    /**
     * Decides about the object at {@code key}.
     *
     * @param grant the grant at (owner, upload id) of the key, or null when there is none
     */
    static Decision decide(UploadKey key, ObjectFacts object, Grant grant) {
        if (grant == null) {
            return reject(Change.NONE, RejectionReason.NO_GRANT, null);
        }
        if (!grant.key().equals(key.key())) {
            return reject(Change.NONE, RejectionReason.KEY_MISMATCH, grant.state());
        }
        switch (grant.state()) {
            case GRANTED:
                if (object.size() == grant.declaredSize()) {
                    return new Decision(Change.COMPLETE, false, true, null, GrantState.COMPLETED, COMPLETED);
                }
                return reject(Change.REJECT_OPEN, RejectionReason.SIZE_MISMATCH, GrantState.REJECTED);
            case COMPLETED:
                if (object.etag().equals(grant.etag())) {
                    // A repeat: the event is sent again in case an earlier attempt stopped before sending it.
                    return new Decision(Change.NONE, false, true, null, GrantState.COMPLETED, ALREADY_COMPLETED);
                }
                return reject(Change.REJECT_COMPLETED, RejectionReason.OVERWRITTEN_AFTER_COMPLETION,
                        GrantState.REJECTED);
            case REJECTED:
                if (object.etag().equals(grant.etag())) {
                    // The ledger says rejected but the object is still here: an earlier attempt stopped after the
                    // ledger write. Finish it with the recorded reason.
                    return new Decision(Change.NONE, true, false, storedReason(grant), GrantState.REJECTED,
                            ALREADY_REJECTED);
                }
                return reject(Change.NONE, RejectionReason.GRANT_NOT_OPEN, GrantState.REJECTED);
            default:
                // aborted or expired: final, and the ledger keeps why; the object is removed all the same.
                return reject(Change.NONE, RejectionReason.GRANT_NOT_OPEN, grant.state());
        }
    }

    private static Decision reject(Change change, RejectionReason reason, GrantState stateAfter) {
        return new Decision(change, true, false, reason.attributeValue(), stateAfter, REJECTED);
    }

    private static String storedReason(Grant grant) {
        return grant.reason() != null ? grant.reason() : RejectionReason.GRANT_NOT_OPEN.attributeValue();
    }
}
