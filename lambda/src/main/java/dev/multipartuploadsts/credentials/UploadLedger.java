package dev.multipartuploadsts.credentials;

import static dev.multipartuploadsts.ledger.LedgerAttributes.CREATED_AT;
import static dev.multipartuploadsts.ledger.LedgerAttributes.CONTENT_TYPE;
import static dev.multipartuploadsts.ledger.LedgerAttributes.DECLARED_SIZE;
import static dev.multipartuploadsts.ledger.LedgerAttributes.EXPIRES_AT;
import static dev.multipartuploadsts.ledger.LedgerAttributes.FILE_NAME;
import static dev.multipartuploadsts.ledger.LedgerAttributes.ITEM;
import static dev.multipartuploadsts.ledger.LedgerAttributes.KEY;
import static dev.multipartuploadsts.ledger.LedgerAttributes.OPEN_GRANTS;
import static dev.multipartuploadsts.ledger.LedgerAttributes.OWNER;
import static dev.multipartuploadsts.ledger.LedgerAttributes.PART_SIZE;
import static dev.multipartuploadsts.ledger.LedgerAttributes.REASON;
import static dev.multipartuploadsts.ledger.LedgerAttributes.STATE;
import static dev.multipartuploadsts.ledger.LedgerAttributes.UPDATED_AT;

import com.amazonaws.services.lambda.runtime.Context;
import dev.multipartuploadsts.ledger.GrantState;
import dev.multipartuploadsts.ledger.ItemKeys;
import dev.multipartuploadsts.ledger.LedgerTimes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The credentials Lambda's side of the upload ledger (see {@code /work/coord/LEDGER.md} and lambda/README.md): it
 * records grants with the user's quota in one transaction, checks a grant before a refresh, lists a user's grants
 * and closes a grant the user aborts. Every write is conditional, so the table's own checks, not a read before
 * the write, decide whether a limit is reached: two parallel requests at a limit cannot both pass.
 *
 * <p>Quota items per owner: {@code quota} holds {@code openGrants}, the number of the owner's grants in state
 * {@code granted}; {@code quota#<UTC date>} holds {@code declaredBytes}, the bytes declared by grants started that
 * UTC day, and expires by TTL the day after. DynamoDB conditions compare but cannot add, and a sliding 24-hour sum
 * would need a read before every write; calendar days need neither, at the cost of letting a user declare up to
 * twice the limit within 24 hours that straddle midnight UTC.
 */
final class UploadLedger {

    /** Sort key prefix of the per-day declared-bytes items: {@code quota#2026-12-02}. */
    static final String DAY_ITEM_PREFIX = ItemKeys.QUOTA + "#";
    /** Day item (N): bytes declared by the owner's grants started that UTC day. */
    static final String DECLARED_BYTES = "declaredBytes";
    /**
     * The most one ledger call may take, retries included, cut to the invocation's remaining time like the STS
     * call. Generous because the first call of a cold JVM also loads the client's classes.
     */
    static final Duration CALL_BUDGET = Duration.ofSeconds(5);
    /** {@code reason} of a grant the user aborted. */
    static final String USER_ABORTED = "user_aborted";
    /** {@code reason} of a grant whose start failed after it was recorded (STS refused or was unreachable). */
    static final String NOT_ISSUED = "credentials_not_issued";
    /** {@code reason} of a grant found past its maximum age. */
    static final String MAX_AGE_REACHED = "max_age_reached";
    /** How many stale grants one start request expires at most before it tries again. */
    static final int MAX_EXPIRED_PER_REQUEST = 25;

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbClient dynamo;
    private final Config.Ledger settings;

    UploadLedger(DynamoDbClient dynamo, Config.Ledger settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** What a start request asks the ledger to record. */
    record NewGrant(String owner, String uploadId, String key, String givenFileName, long declaredSize,
            String contentType, long partSize) {
    }

    /** One page of an owner's grants, newest first, and the upload id to continue after (null on the last page). */
    record Page(List<Map<String, AttributeValue>> grants, String lastUploadId) {
    }

    /**
     * Records a new grant and takes its quota: the grant item, one open-grant slot and its declared bytes, in one
     * transaction. When the open-grant limit refuses, grants past their maximum age are expired first (each
     * freeing its slot) and the transaction is tried once more.
     *
     * @throws ApiException 429 {@code quota_exceeded} naming the limit, the usage and when it frees up
     */
    void recordGrant(NewGrant grant, Instant now, Context context) {
        if (grant.declaredSize() > settings.maxBytesPerDay()) {
            throw ApiException.quotaExceeded("at most " + settings.maxBytesPerDay() + " bytes may be declared per UTC"
                    + " day, but this upload alone declares " + grant.declaredSize()
                    + ": it can never fit; ask the operator for a higher limit", null);
        }
        Optional<Refusal> refused = tryRecordGrant(grant, now, context);
        if (refused.isPresent() && refused.get().openLimit() && expireStale(grant.owner(), now, context) > 0) {
            refused = tryRecordGrant(grant, now, context);
        }
        if (refused.isPresent()) {
            throw refused.get().answer();
        }
    }

    /** Why a grant was not recorded: which limit, and the answer naming it. */
    private record Refusal(boolean openLimit, ApiException answer) {
    }

    private Optional<Refusal> tryRecordGrant(NewGrant grant, Instant now, Context context) {
        String nowText = LedgerTimes.format(now);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(OWNER, s(grant.owner()));
        item.put(ITEM, s(ItemKeys.grant(grant.uploadId())));
        item.put(KEY, s(grant.key()));
        item.put(FILE_NAME, s(grant.givenFileName()));
        item.put(DECLARED_SIZE, n(grant.declaredSize()));
        if (grant.contentType() != null) {
            item.put(CONTENT_TYPE, s(grant.contentType()));
        }
        item.put(PART_SIZE, n(grant.partSize()));
        item.put(STATE, s(GrantState.GRANTED.attributeValue()));
        item.put(CREATED_AT, s(nowText));
        item.put(UPDATED_AT, s(nowText));
        // The TTL outlives the bucket's abort window after the last possible refresh, so S3 is done with it.
        item.put(EXPIRES_AT, n(now.getEpochSecond() + settings.grantMaxAgeSeconds()
                + settings.abortAfterDays() * Config.SECONDS_PER_DAY));
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant dayEnds = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder()
                .tableName(settings.table())
                .item(item)
                .conditionExpression("attribute_not_exists(#item)")
                .expressionAttributeNames(Map.of("#item", ITEM))
                .build()).build();
        TransactWriteItem openSlot = TransactWriteItem.builder().update(Update.builder()
                .tableName(settings.table())
                .key(key(grant.owner(), ItemKeys.QUOTA))
                .updateExpression("SET #open = if_not_exists(#open, :zero) + :one, #updatedAt = :now")
                .conditionExpression("attribute_not_exists(#open) OR #open < :max")
                .expressionAttributeNames(Map.of("#open", OPEN_GRANTS, "#updatedAt", UPDATED_AT))
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":now", s(nowText),
                        ":max", n(settings.maxOpenUploads())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
        TransactWriteItem dayBytes = TransactWriteItem.builder().update(Update.builder()
                .tableName(settings.table())
                .key(key(grant.owner(), DAY_ITEM_PREFIX + day))
                .updateExpression("SET #bytes = if_not_exists(#bytes, :zero) + :size, #expiresAt = :expiresAt")
                // Conditions cannot add: the room left for this upload is computed here.
                .conditionExpression("attribute_not_exists(#bytes) OR #bytes <= :room")
                .expressionAttributeNames(Map.of("#bytes", DECLARED_BYTES, "#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":zero", n(0), ":size", n(grant.declaredSize()),
                        ":room", n(settings.maxBytesPerDay() - grant.declaredSize()),
                        ":expiresAt", n(dayEnds.plus(Duration.ofDays(1)).getEpochSecond())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(put, openSlot, dayBytes).overrideConfiguration(timeouts(context)));
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            throwIfConflicted(reasons, e);
            if (failed(reasons, 1)) {
                long open = number(reasons.get(1).item(), OPEN_GRANTS);
                return Optional.of(new Refusal(true, ApiException.quotaExceeded("at most " + settings.maxOpenUploads()
                        + " uploads may be open at once, and " + open + " of yours are: one frees up when an upload"
                        + " completes, is aborted (POST /uploads/abort) or is " + settings.grantMaxAgeSeconds()
                        + " seconds old", null)));
            }
            if (failed(reasons, 2)) {
                long declared = number(reasons.get(2).item(), DECLARED_BYTES);
                return Optional.of(new Refusal(false, ApiException.quotaExceeded("at most "
                        + settings.maxBytesPerDay() + " bytes may be declared per UTC day, " + declared
                        + " are declared today and this upload declares " + grant.declaredSize()
                        + ": the limit frees up at " + dayEnds,
                        Long.toString(Math.max(1, Duration.between(now, dayEnds).toSeconds())))));
            }
            throw ApiException.internal("the grant write was refused although no quota condition failed: " + reasons);
        } catch (SdkException e) {
            throw AwsErrors.toApiException(AwsErrors.Service.LEDGER, e);
        }
    }

    /**
     * The grant for a refresh of {@code key}, if it may be refreshed: the caller's own, for exactly that key,
     * still {@code granted} and younger than the maximum age. Read consistently, so an abort a moment ago counts.
     *
     * @throws ApiException 403 {@code no_grant} or {@code forbidden_key}, 409 {@code grant_not_open} or
     *     {@code grant_expired}, naming the state
     */
    void requireRefreshable(String owner, String uploadId, String key, Instant now, Context context) {
        GetItemResponse found;
        try {
            found = dynamo.getItem(r -> r.tableName(settings.table())
                    .key(key(owner, ItemKeys.grant(uploadId)))
                    .consistentRead(true)
                    .projectionExpression("#key, #state, #createdAt")
                    .expressionAttributeNames(Map.of("#key", KEY, "#state", STATE, "#createdAt", CREATED_AT))
                    .overrideConfiguration(timeouts(context)));
        } catch (SdkException e) {
            throw AwsErrors.toApiException(AwsErrors.Service.LEDGER, e);
        }
        Map<String, AttributeValue> grant = found.hasItem() ? found.item() : Map.of();
        requireSameKey(grant, key);
        String state = string(grant, STATE);
        if (!GrantState.GRANTED.attributeValue().equals(state)) {
            throw ApiException.conflict("grant_not_open",
                    "credentials are refreshed only while the upload is granted, but it is " + state);
        }
        Instant created = Instant.parse(string(grant, CREATED_AT));
        if (!created.plusSeconds(settings.grantMaxAgeSeconds()).isAfter(now)) {
            throw ApiException.conflict("grant_expired", "credentials are refreshed only within "
                    + settings.grantMaxAgeSeconds() + " seconds of the upload's start, but it started at "
                    + LedgerTimes.format(created) + "; start the upload again");
        }
    }

    /**
     * Marks the caller's grant for {@code key} {@code aborted} and frees its open-grant slot. Aborting an aborted
     * grant again changes nothing and succeeds, so a page may retry.
     *
     * @throws ApiException 403 {@code no_grant} or {@code forbidden_key}, 409 {@code grant_not_open} naming the
     *     state when the upload already ended otherwise
     */
    void abort(String owner, String uploadId, String key, Instant now, Context context) {
        Optional<Map<String, AttributeValue>> refused =
                close(owner, uploadId, key, GrantState.ABORTED, USER_ABORTED, now, context);
        if (refused.isEmpty()) {
            return;
        }
        Map<String, AttributeValue> grant = refused.get();
        requireSameKey(grant, key);
        String state = string(grant, STATE);
        if (!GrantState.ABORTED.attributeValue().equals(state)) {
            throw ApiException.conflict("grant_not_open",
                    "only an upload that is granted can be aborted, but it is " + state);
        }
    }

    /**
     * Best effort, after a recorded start could not get credentials: marks the grant {@code aborted} (reason
     * {@value #NOT_ISSUED}) and frees its slot, so retries of a failing start do not use up the user's open
     * uploads. A failure here changes nothing for the caller, who gets the original error; its declared bytes
     * stay counted, and a grant left open is expired when its owner next reaches the limit.
     */
    void release(String owner, String uploadId, String key, Instant now, Context context) {
        try {
            close(owner, uploadId, key, GrantState.ABORTED, NOT_ISSUED, now, context);
        } catch (ApiException e) {
            // Already answering with the STS error; the grant stays open until it expires.
        }
    }

    /**
     * One page of the owner's grants, newest first (upload ids are time-ordered). Eventually consistent: a grant
     * written a moment ago may show on the next call.
     *
     * @param afterUploadId where the previous page ended, or null for the first page
     */
    Page list(String owner, String afterUploadId, int limit, Context context) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(settings.table())
                .keyConditionExpression("#owner = :owner AND begins_with(#item, :prefix)")
                .expressionAttributeNames(Map.of("#owner", OWNER, "#item", ITEM))
                .expressionAttributeValues(Map.of(":owner", s(owner), ":prefix", s(ItemKeys.GRANT_PREFIX)))
                .scanIndexForward(false)
                .limit(limit)
                .overrideConfiguration(timeouts(context));
        if (afterUploadId != null) {
            query.exclusiveStartKey(key(owner, ItemKeys.grant(afterUploadId)));
        }
        QueryResponse page;
        try {
            page = dynamo.query(query.build());
        } catch (SdkException e) {
            throw AwsErrors.toApiException(AwsErrors.Service.LEDGER, e);
        }
        String last = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? ItemKeys.uploadIdOf(string(page.lastEvaluatedKey(), ITEM)).orElse(null)
                : null;
        return new Page(page.items(), last);
    }

    /**
     * Marks the owner's grants that are past their maximum age and still {@code granted} as {@code expired}, each
     * with its slot freed, oldest first and at most {@value #MAX_EXPIRED_PER_REQUEST}. Upload ids are
     * time-ordered, so only the ids older than the cutoff are read.
     *
     * @return how many were expired
     */
    int expireStale(String owner, Instant now, Context context) {
        Instant cutoff = now.minusSeconds(settings.grantMaxAgeSeconds());
        QueryResponse stale;
        try {
            stale = dynamo.query(r -> r.tableName(settings.table())
                    .keyConditionExpression("#owner = :owner AND #item BETWEEN :first AND :cutoffId")
                    .filterExpression("#state = :granted AND #createdAt < :cutoff")
                    .projectionExpression("#item")
                    .expressionAttributeNames(Map.of("#owner", OWNER, "#item", ITEM, "#state", STATE,
                            "#createdAt", CREATED_AT))
                    .expressionAttributeValues(Map.of(":owner", s(owner), ":first", s(ItemKeys.GRANT_PREFIX),
                            ":cutoffId", s(ItemKeys.GRANT_PREFIX + UploadIds.timePrefix(cutoff)),
                            ":granted", s(GrantState.GRANTED.attributeValue()),
                            ":cutoff", s(LedgerTimes.format(cutoff))))
                    .limit(MAX_EXPIRED_PER_REQUEST * 4)
                    .overrideConfiguration(timeouts(context)));
        } catch (SdkException e) {
            throw AwsErrors.toApiException(AwsErrors.Service.LEDGER, e);
        }
        int expired = 0;
        for (Map<String, AttributeValue> grant : stale.items()) {
            if (expired == MAX_EXPIRED_PER_REQUEST) {
                break;
            }
            String uploadId = ItemKeys.uploadIdOf(string(grant, ITEM)).orElseThrow();
            if (close(owner, uploadId, null, GrantState.EXPIRED, MAX_AGE_REACHED, now, context).isEmpty()) {
                expired++;
            }
        }
        return expired;
    }

    /**
     * Moves a {@code granted} grant to a final state and frees its open-grant slot, in one transaction; the TTL
     * is removed, as the ledger does for every final state.
     *
     * @param key the key the grant must hold, or null to accept any
     * @return empty when it moved; otherwise the grant as the refused condition saw it (empty when there is none)
     */
    private Optional<Map<String, AttributeValue>> close(String owner, String uploadId, String key, GrantState to,
            String reason, Instant now, Context context) {
        String nowText = LedgerTimes.format(now);
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#updatedAt", UPDATED_AT,
                "#reason", REASON, "#expiresAt", EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.attributeValue()), ":now", s(nowText),
                ":reason", s(reason), ":granted", s(GrantState.GRANTED.attributeValue())));
        String condition = "#state = :granted";
        if (key != null) {
            names.put("#key", KEY);
            values.put(":key", s(key));
            condition += " AND #key = :key";
        }
        TransactWriteItem grant = TransactWriteItem.builder().update(Update.builder()
                .tableName(settings.table())
                .key(key(owner, ItemKeys.grant(uploadId)))
                .updateExpression("SET #state = :to, #updatedAt = :now, #reason = :reason REMOVE #expiresAt")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
        TransactWriteItem freeSlot = TransactWriteItem.builder().update(Update.builder()
                .tableName(settings.table())
                .key(key(owner, ItemKeys.QUOTA))
                .updateExpression("ADD #open :minusOne SET #updatedAt = :now")
                .expressionAttributeNames(Map.of("#open", OPEN_GRANTS, "#updatedAt", UPDATED_AT))
                .expressionAttributeValues(Map.of(":minusOne", n(-1), ":now", s(nowText)))
                .build()).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(grant, freeSlot).overrideConfiguration(timeouts(context)));
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            throwIfConflicted(e.cancellationReasons(), e);
            if (failed(e.cancellationReasons(), 0)) {
                Map<String, AttributeValue> old = e.cancellationReasons().get(0).item();
                return Optional.of(old == null ? Map.of() : old);
            }
            throw ApiException.internal("closing the grant was refused although its condition held: "
                    + e.cancellationReasons());
        } catch (SdkException e) {
            throw AwsErrors.toApiException(AwsErrors.Service.LEDGER, e);
        }
    }

    /** Refuses a grant that does not exist, or that holds another key than the one asked for. */
    private static void requireSameKey(Map<String, AttributeValue> grant, String key) {
        if (grant.isEmpty()) {
            throw ApiException.forbidden("no_grant", "key must be an upload of yours that the ledger holds, but it has"
                    + " no grant (not started by this service, or removed after it ended)", "requested key: " + key);
        }
        if (!key.equals(string(grant, KEY))) {
            throw ApiException.forbiddenKey("key must be exactly as a start request returned it, but it is not",
                    "requested key: " + key);
        }
    }

    /** Two transactions on the same item at once: DynamoDB cancels one; the caller may simply try again. */
    private static void throwIfConflicted(List<CancellationReason> reasons, TransactionCanceledException e) {
        if (reasons.stream().anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()))) {
            throw AwsErrors.unavailable(AwsErrors.Service.LEDGER, "transaction conflict: " + e.getMessage());
        }
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index).code());
    }

    /** Per-call timeouts, or 503 when the invocation has no time left for the call. */
    private static Consumer<AwsRequestOverrideConfiguration.Builder> timeouts(Context context) {
        Duration budget = CallBudget.of(CALL_BUDGET, context)
                .orElseThrow(() -> AwsErrors.unavailable(AwsErrors.Service.LEDGER,
                        "no time left in the invocation to call DynamoDB"));
        return o -> o.apiCallTimeout(budget);
    }

    private static Map<String, AttributeValue> key(String owner, String item) {
        return Map.of(OWNER, s(owner), ITEM, s(item));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
