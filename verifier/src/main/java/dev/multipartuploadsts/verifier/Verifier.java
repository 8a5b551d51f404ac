package dev.multipartuploadsts.verifier;

import dev.multipartuploadsts.ledger.LedgerTimes;
import dev.multipartuploadsts.ledger.UploadKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies the object one queued event names: look at the object, read its grant, decide, then write the ledger,
 * put the app's event and remove a rejected object, in that order. The order makes a repeat finish what an
 * interrupted attempt began: until the object is gone, a repeat sees it again and, the ledger already written,
 * sends the event again and removes it.
 *
 * <p>{@link #verify} returns normally for everything that is data (an event that is not about an uploaded object,
 * a key this service never issues, an object that is gone, no grant) and throws for what may pass if tried again
 * (an AWS error), so that only those messages go back to the queue.
 */
final class Verifier {

    /** Fresh reads after a conditional write found the grant changed; more means something keeps changing it. */
    static final int MAX_DECISIONS = 3;

    private final VerifierConfig config;
    private final ObjectStore objects;
    private final Ledger ledger;
    private final UploadEvents events;
    private final Clock clock;

    Verifier(VerifierConfig config, ObjectStore objects, Ledger ledger, UploadEvents events, Clock clock) {
        this.config = config;
        this.objects = objects;
        this.ledger = ledger;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Verifies the object named by an SQS message body, filling in {@code log}.
     *
     * @throws RuntimeException (an SDK exception, or {@link Ledger.GrantChangedException} after
     *     {@link #MAX_DECISIONS} attempts) when the message should be tried again
     */
    void verify(String body, VerificationLog log) {
        ObjectCreatedEvent event;
        try {
            event = ObjectCreatedEvent.parse(body);
        } catch (IllegalArgumentException e) {
            log.outcome = "ignored";
            log.reason = "malformed_event";
            log.detail = e.getMessage();
            return;
        }
        log.eventId = event.id();
        log.eventReason = event.reason();
        log.sequencer = event.sequencer();
        log.bucket = event.bucket();
        log.key = event.key();
        if (!event.bucket().equals(config.bucket())) {
            log.outcome = "ignored";
            log.reason = "other_bucket";
            log.detail = "the event must be about bucket " + config.bucket() + ", but it is about " + event.bucket();
            return;
        }
        UploadKey key;
        try {
            key = UploadKey.parse(event.key());
        } catch (IllegalArgumentException e) {
            // Vended credentials can write only issued keys, so this object came from a principal with rights to
            // the bucket itself; it is left alone rather than removed on a guess.
            log.outcome = "ignored";
            log.reason = "unrecognised_key";
            log.detail = e.getMessage();
            return;
        }
        log.owner = key.owner();
        log.uploadId = key.uploadId();

        Optional<ObjectFacts> found = objects.head(key.key());
        if (found.isEmpty()) {
            log.outcome = "object_missing";
            log.detail = "no object is at the key any more: an earlier delivery of this event, or of a later one "
                    + "for the same key, already removed it";
            return;
        }
        ObjectFacts object = found.get();
        log.size = object.size();
        log.etag = object.etag();
        log.checksum = object.checksum();
        log.encryption = object.encryption();

        for (int attempt = 1; ; attempt++) {
            Grant grant = ledger.grant(key).orElse(null);
            Decision decision = Decision.decide(key, object, grant);
            Instant now = clock.instant();
            try {
                ledger.apply(decision.change(), key, object, grant, decision.reason(), now);
            } catch (Ledger.GrantChangedException e) {
                if (attempt >= MAX_DECISIONS) {
                    throw e;
                }
                continue;
            }
            finish(key, object, grant, decision, now, log);
            return;
        }
    }

    private void finish(UploadKey key, ObjectFacts object, Grant grant, Decision decision, Instant now,
            VerificationLog log) {
        boolean grantForThisKey = grant != null && grant.key().equals(key.key());
        String completedAt = null;
        if (decision.completed()) {
            completedAt = decision.change() == Decision.Change.COMPLETE ? LedgerTimes.format(now) : grant.completedAt();
        }
        String planned = decision.removeObject() ? objects.plannedDisposition(object.size()).value() : null;
        String detail = UploadEvents.detail(new UploadEvents.UploadDetail(key.owner(), key.key(), key.uploadId(),
                grantForThisKey && grant.fileName() != null ? grant.fileName() : key.fileName(), object.size(),
                grantForThisKey ? grant.declaredSize() : null,
                grantForThisKey && grant.contentType() != null ? grant.contentType() : object.contentType(),
                object.checksum(), object.etag(),
                decision.stateAfter() == null ? null : decision.stateAfter().attributeValue(), decision.reason(),
                planned, completedAt));
        events.publish(decision.completed() ? UploadEvents.COMPLETED : UploadEvents.REJECTED, detail);

        log.outcome = decision.outcome();
        log.reason = decision.reason();
        log.stateBefore = grant == null ? null : grant.state().attributeValue();
        log.stateAfter = decision.stateAfter() == null ? null : decision.stateAfter().attributeValue();
        log.declaredSize = grant == null ? null : grant.declaredSize();
        if (decision.removeObject()) {
            log.disposition = objects.remove(key.key(), object.etag(), object.size()).value();
        }
    }
}
