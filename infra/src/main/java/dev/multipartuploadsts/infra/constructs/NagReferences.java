package dev.multipartuploadsts.infra.constructs;

import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/** Renders a resource the way cdk-nag names it in findings, so suppressions can name exactly one resource. */
final class NagReferences {
    private NagReferences() { }

    /** {@code <LogicalId.Arn>} of the construct's CloudFormation resource. */
    static String arnOf(IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        Stack stack = Stack.of(element);
        return "<" + stack.resolve(stack.getLogicalId(element)) + ".Arn>";
    }
}
