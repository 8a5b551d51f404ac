package dev.multipartuploadsts.ledger;

/**
 * Attribute names of the ledger table. One table holds, per owner, a grant item per upload and one quota item;
 * {@link ItemKeys} builds the sort keys.
 */
public final class LedgerAttributes {

    /** Partition key (S): the {@code <owner>} segment of the object key. */
    public static final String OWNER = "owner";
    /** Sort key (S): {@code upload#<uploadId>} for a grant, {@code quota} for the owner's quota counters. */
    public static final String ITEM = "item";

    /** Grant (S): the object key the grant allows. */
    public static final String KEY = "key";
    /** Grant (S): the file name as the user gave it, before cleaning. */
    public static final String FILE_NAME = "fileName";
    /** Grant (N): the size in bytes the user declared. */
    public static final String DECLARED_SIZE = "declaredSize";
    /** Grant (S): the content type the user declared. */
    public static final String CONTENT_TYPE = "contentType";
    /** Grant (N): the part size in bytes the Lambda planned. */
    public static final String PART_SIZE = "partSize";
    /** Grant (S): a {@link GrantState#attributeValue()}. */
    public static final String STATE = "state";
    /** Grant (S): when the grant was written, {@link LedgerTimes#format ISO-8601 UTC with milliseconds}. */
    public static final String CREATED_AT = "createdAt";
    /** Grant (S): when the item last changed. */
    public static final String UPDATED_AT = "updatedAt";
    /** Grant (S): when the verifier found the object complete. */
    public static final String COMPLETED_AT = "completedAt";
    /** Grant (N): the object's size in bytes as S3 reports it. */
    public static final String ACTUAL_SIZE = "actualSize";
    /** Grant (S): the object's ETag without quotes. */
    public static final String ETAG = "etag";
    /** Grant (S): the object's full-object checksum as {@code ALGORITHM:base64}, e.g. {@code CRC64NVME:AAAAAAAAAAA=}. */
    public static final String CHECKSUM = "checksum";
    /** Grant (S): why a grant was rejected, aborted or expired; one of {@link RejectionReason} for rejections. */
    public static final String REASON = "reason";
    /** Grant (N): TTL, epoch seconds; set while the grant is open, removed once it reaches a final state. */
    public static final String EXPIRES_AT = "expiresAt";

    /**
     * Quota (N): how many of the owner's grants are {@link GrantState#GRANTED}. The credentials Lambda adds one in
     * the transaction that writes a grant; every move out of {@code granted} subtracts one in the transaction that
     * moves it. The Lambda owns the other quota attributes (the 24-hour byte window).
     */
    public static final String OPEN_GRANTS = "openGrants";

    private LedgerAttributes() {
    }
}
