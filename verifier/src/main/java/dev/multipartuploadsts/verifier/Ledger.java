package dev.multipartuploadsts.verifier;

import dev.multipartuploadsts.ledger.GrantState;
import dev.multipartuploadsts.ledger.ItemKeys;
import dev.multipartuploadsts.ledger.LedgerAttributes;
import dev.multipartuploadsts.ledger.LedgerTimes;
import dev.multipartuploadsts.ledger.UploadKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The verifier's reads and writes of the ledger table. Every write is conditional on the state the decision was
 * made from, so two verifiers racing on one key, or a repeat of an event, cannot move a grant twice.
 */
final class Ledger {

    private final DynamoDbClient dynamo;
    private final String table;

    Ledger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The grant for the key's owner and upload id, read strongly consistent; empty when there is none. */
    Optional<Grant> grant(UploadKey key) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(grantKey(key)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(Grant.fromItem(response.item())) : Optional.empty();
    }

    /**
     * Applies {@code change} to the key's grant, conditional on the state it was decided from. A move out of
     * {@code granted} subtracts one from the owner's {@code openGrants} in the same transaction.
     *
     * @throws GrantChangedException when the grant is no longer what the decision saw
     */
    void apply(Decision.Change change, UploadKey key, ObjectFacts object, Grant decidedOn, String reason, Instant now) {
        switch (change) {
            case NONE:
                return;
            case COMPLETE:
                closeOpenGrant(key, object, GrantState.COMPLETED, null, now);
                return;
            case REJECT_OPEN:
                closeOpenGrant(key, object, GrantState.REJECTED, reason, now);
                return;
            case REJECT_COMPLETED:
                rejectCompleted(key, object, decidedOn.etag(), reason, now);
                return;
            default:
                throw new IllegalArgumentException("unknown change " + change);
        }
    }

    private void closeOpenGrant(UploadKey key, ObjectFacts object, GrantState to, String reason, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String set = settingsFor(to, object, reason, now, names, values);
        names.put("#state", LedgerAttributes.STATE);
        values.put(":open", s(GrantState.GRANTED.attributeValue()));
        Update grant = Update.builder().tableName(table).key(grantKey(key))
                .updateExpression(set)
                .conditionExpression("#state = :open")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
        // No condition here (a failed one would cancel the grant's move and park the message in the DLQ); a quota
        // item written before quotas existed counts from one, so the release cannot take it below zero.
        Update releaseSlot = Update.builder().tableName(table)
                .key(Map.of(LedgerAttributes.OWNER, s(key.owner()), LedgerAttributes.ITEM, s(ItemKeys.QUOTA)))
                .updateExpression("SET #openGrants = if_not_exists(#openGrants, :one) - :one")
                .expressionAttributeNames(Map.of("#openGrants", LedgerAttributes.OPEN_GRANTS))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(grant).build(),
                    TransactWriteItem.builder().update(releaseSlot).build()));
        } catch (TransactionCanceledException e) {
            if (conditionFailed(e)) {
                throw new GrantChangedException(key);
            }
            throw e;
        }
    }

    private void rejectCompleted(UploadKey key, ObjectFacts object, String completedEtag, String reason,
            Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String set = settingsFor(GrantState.REJECTED, object, reason, now, names, values);
        names.put("#state", LedgerAttributes.STATE);
        values.put(":completed", s(GrantState.COMPLETED.attributeValue()));
        values.put(":completedEtag", s(completedEtag));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(grantKey(key))
                    .updateExpression(set)
                    .conditionExpression("#state = :completed AND #etag = :completedEtag")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new GrantChangedException(key);
        }
    }

    /** The update expression recording the object and the new state; fills in the names and values it uses. */
    private static String settingsFor(GrantState to, ObjectFacts object, String reason, Instant now,
            Map<String, String> names, Map<String, AttributeValue> values) {
        String time = LedgerTimes.format(now);
        List<String> sets = new ArrayList<>();
        set(sets, names, values, LedgerAttributes.STATE, s(to.attributeValue()), "newState");
        set(sets, names, values, LedgerAttributes.ACTUAL_SIZE, AttributeValue.fromN(Long.toString(object.size())), "size");
        set(sets, names, values, LedgerAttributes.ETAG, s(object.etag()), "etag");
        set(sets, names, values, LedgerAttributes.UPDATED_AT, s(time), "updatedAt");
        if (object.checksum() != null) {
            set(sets, names, values, LedgerAttributes.CHECKSUM, s(object.checksum()), "checksum");
        }
        if (to == GrantState.COMPLETED) {
            set(sets, names, values, LedgerAttributes.COMPLETED_AT, s(time), "completedAt");
        }
        if (reason != null) {
            set(sets, names, values, LedgerAttributes.REASON, s(reason), "reason");
        }
        // A finished grant stays in the table as the record of the upload; only open grants expire by TTL.
        names.put("#expiresAt", LedgerAttributes.EXPIRES_AT);
        return "SET " + String.join(", ", sets) + " REMOVE #expiresAt";
    }

    private static void set(List<String> sets, Map<String, String> names, Map<String, AttributeValue> values,
            String attribute, AttributeValue value, String placeholder) {
        // Every attribute goes through a #name: "state" and "key" are DynamoDB reserved words.
        names.put("#" + attribute, attribute);
        values.put(":" + placeholder, value);
        sets.add("#" + attribute + " = :" + placeholder);
    }

    private static boolean conditionFailed(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            if ("ConditionalCheckFailed".equals(reason.code())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, AttributeValue> grantKey(UploadKey key) {
        return Map.of(LedgerAttributes.OWNER, s(key.owner()), LedgerAttributes.ITEM, s(key.grantItem()));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** The grant moved on between reading it and writing it; decide again from a fresh read. */
    static final class GrantChangedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GrantChangedException(UploadKey key) {
            super("the grant for " + key.key() + " changed while it was being verified");
        }
    }
}
