package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.constructs.Required;
import dev.multipartuploadsts.infra.constructs.UploadVerifier;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * Third stack: what happens after an upload. The rule taking the bucket's Object Created events, the queue and its
 * dead-letter queue, the verifier Lambda and the app's own event bus. It reads the bucket and the ledger from the
 * storage stack; nothing upstream reads from it.
 */
public final class VerificationStack extends Stack {
    private final UploadVerifier verifier;

    /**
     * Props for {@link VerificationStack}.
     *
     * @param verifier the verifier's props; required
     */
    public record Props(UploadVerifier.Props verifier) {
        public Props {
            Required.prop("VerificationStack.Props.verifier", verifier);
        }
    }

    public VerificationStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        this.verifier = new UploadVerifier(this, "Verifier", props.verifier());
        CfnOutput.Builder.create(this, "AppEventBusName").value(verifier.appBus().getEventBusName())
                .description("Where Upload Completed and Upload Rejected events arrive: add your rules here").build();
        CfnOutput.Builder.create(this, "VerifierDeadLetterQueueUrl").value(verifier.deadLetters().getQueueUrl())
                .description("Object Created events the verifier failed on 5 times; redrive after fixing the cause").build();
    }

    public UploadVerifier verifier() {
        return verifier;
    }
}
