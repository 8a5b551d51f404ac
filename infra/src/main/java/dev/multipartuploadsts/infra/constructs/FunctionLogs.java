package dev.multipartuploadsts.infra.constructs;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * A function's own log group and the separate policy that lets its execution role write there and nowhere else
 * ({@code logs:CreateLogStream}, {@code logs:PutLogEvents}). The group is retained: what the app's functions log
 * (who got credentials for which key, what was completed or rejected) is an audit trail that outlives the stack.
 *
 * @param logGroup    the group, to hand to the function
 * @param writePolicy the role's permission to write it; the function should depend on it, so its first log lines
 *                    are not refused
 */
public record FunctionLogs(LogGroup logGroup, Policy writePolicy) {

    /** Creates {@code Logs} and {@code WriteLogsPolicy} in {@code scope}, the construct that owns the function. */
    public static FunctionLogs create(Construct scope, IRole executionRole, int retentionDays) {
        LogGroup logGroup = LogGroup.Builder.create(scope, "Logs")
                .retention(LogRetention.of(retentionDays))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Policy writeLogs = Policy.Builder.create(scope, "WriteLogsPolicy")
                .roles(List.of(executionRole))
                .statements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                        .resources(List.of(logGroup.getLogGroupArn()))
                        .build()))
                .build();
        return new FunctionLogs(logGroup, writeLogs);
    }
}
