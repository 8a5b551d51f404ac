package dev.multipartuploadsts.infra.constructs;

import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/** Names one resource in a cdk-nag {@code appliesTo}, so a suppression covers that resource and nothing else. */
final class NagReferences {
    private NagReferences() { }

    /**
     * Matches the finding {@code Resource::<ref to construct><suffix>}. A resource from another stack appears in a
     * finding either as {@code <LogicalId.Arn>} or as the cross-stack reference that carries the logical id, so the
     * pattern pins the logical id and the exact suffix, not the reference's shape.
     */
    static RegexAppliesTo resourceArnWithSuffix(IConstruct construct, String suffix) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        Stack stack = Stack.of(element);
        String logicalId = (String) stack.resolve(stack.getLogicalId(element));
        String regex = "^Resource::.*" + logicalId + "(\\.Arn>|Arn).*" + escapeForJavaScript(suffix) + "$";
        return RegexAppliesTo.builder().regex("/" + regex + "/").build();
    }

    /** cdk-nag evaluates the pattern as a JavaScript regular expression, which has no \\Q...\\E quoting. */
    private static String escapeForJavaScript(String literal) {
        return literal.replaceAll("[\\\\^$.*+?()\\[\\]{}|/]", "\\\\$0");
    }
}
