package dev.multipartuploadsts.infra.constructs;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.constructs.Construct;

/**
 * The upload ledger: one DynamoDB table holding, per owner, a grant item per upload and one quota item (the schema
 * is the {@code ledger/} module's). On demand, point-in-time recovery, encrypted with the AWS managed key, grants
 * expire by TTL on {@code expiresAt}, and the table outlives its stack because it is the record of every upload.
 */
public final class UploadLedger extends Construct {

    // The key and TTL attribute names of ledger/'s LedgerAttributes (OWNER, ITEM, EXPIRES_AT). Spelled out here so
    // that infra builds without the Lambda modules (mvn -pl infra); VerificationStackTest checks them against the
    // names in ledger/'s source.
    static final String PARTITION_KEY = "owner";
    static final String SORT_KEY = "item";
    static final String TTL_ATTRIBUTE = "expiresAt";

    private final Table table;

    public UploadLedger(Construct scope, String id) {
        super(scope, id);
        this.table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(SORT_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public ITable table() {
        return table;
    }

    /**
     * What the credentials Lambda needs: {@code dynamodb:PutItem} and {@code dynamodb:UpdateItem} (the grant and
     * the quota counters, written in one TransactWriteItems, which IAM authorizes per item action; the abort
     * route), {@code dynamodb:GetItem} (a refresh reads the grant) and {@code dynamodb:Query} (GET /uploads lists
     * an owner's grants). No Scan, DeleteItem or batch action, and only on this table (no index exists).
     */
    public Grant grantCredentialsAccess(IGrantable grantee) {
        return grant(grantee, List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"));
    }

    /**
     * What the verifier needs: {@code dynamodb:GetItem} (the grant, strongly consistent) and
     * {@code dynamodb:UpdateItem} (the grant's state and the quota slot, alone or in one TransactWriteItems).
     */
    public Grant grantVerifierAccess(IGrantable grantee) {
        return grant(grantee, List.of("dynamodb:GetItem", "dynamodb:UpdateItem"));
    }

    /**
     * The one path every grant of this table takes: an identity policy statement on the grantee, naming the
     * table's ARN only. {@code dynamodb:LeadingKeys} cannot narrow it further: the owner comes from the caller's
     * verified token inside the function, not from anything IAM sees about the function's role.
     */
    private Grant grant(IGrantable grantee, List<String> actions) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(actions)
                .resourceArns(List.of(table.getTableArn()))
                .build());
    }
}
