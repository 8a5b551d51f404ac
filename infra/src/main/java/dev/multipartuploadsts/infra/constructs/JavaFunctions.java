package dev.multipartuploadsts.infra.constructs;

import java.nio.file.Path;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * What the app's Java functions (the credentials Lambda, the verifier) are made of, created in the scope of the
 * construct that owns one: an execution role of its own, and the function on the runtime both jars are built
 * and tested for. The rest (memory, timeout, environment, SnapStart, permissions) stays with the owner.
 */
final class JavaFunctions {

    private JavaFunctions() {
    }

    /**
     * {@code ExecutionRole}: trusted by Lambda alone and created bare, so that other resources can name it before
     * its permissions are attached as separate policies.
     */
    static Role executionRole(Construct scope, String description) {
        return Role.Builder.create(scope, "ExecutionRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(description)
                .build();
    }

    /**
     * {@code Function}, begun: Java 21 on arm64, {@code handler} from {@code jar}, run by {@code executionRole} and
     * logging to its own group. The owner adds what differs, builds it, and makes it depend on
     * {@link FunctionLogs#writePolicy()}.
     */
    static Function.Builder function(Construct scope, Role executionRole, FunctionLogs logs, Path jar, String handler) {
        return Function.Builder.create(scope, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handler)
                .code(Code.fromAsset(jar.toString()))
                .role(executionRole)
                .logGroup(logs.logGroup());
    }
}
