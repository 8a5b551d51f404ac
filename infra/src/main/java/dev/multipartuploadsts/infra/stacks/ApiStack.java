package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.constructs.CredentialsApi;
import dev.multipartuploadsts.infra.constructs.CredentialsFunction;
import dev.multipartuploadsts.infra.constructs.OpsMonitoring;
import dev.multipartuploadsts.infra.constructs.Required;
import java.util.Optional;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * Fourth stack: the Lambda's execution role, the upload role, the trust between them, the Lambda and the HTTP API.
 * It reads the bucket from the storage stack, the sign-in settings from the auth stack (or configuration) and the
 * page's origin from the hosting stack; nothing upstream reads from it.
 */
public final class ApiStack extends Stack {
    private final CredentialsFunction credentials;
    private final CredentialsApi api;
    private final Optional<OpsMonitoring> monitoring;

    /**
     * Props for {@link ApiStack}; the stack wires the function's alias into the API itself.
     *
     * @param function   the credentials function's props; required
     * @param api        the HTTP API's props; required
     * @param monitoring alarms and dashboard over both; empty for none
     */
    public record Props(CredentialsFunction.Props function, CredentialsApi.Props api, Optional<Monitoring> monitoring) {
        public Props {
            Required.prop("ApiStack.Props.function", function);
            Required.prop("ApiStack.Props.api", api);
            Required.prop("ApiStack.Props.monitoring", monitoring);
        }

        /** Without alarms or dashboard. */
        public Props(CredentialsFunction.Props function, CredentialsApi.Props api) {
            this(function, api, Optional.empty());
        }
    }

    /**
     * What {@link OpsMonitoring} needs besides this stack's own resources.
     *
     * @param namespace  CloudWatch namespace of the metrics taken from the functions' log lines
     * @param alarmEmail an address the alarm topic notifies; empty for none
     * @param verifier   the upload verifier (from the verification stack, upstream of this one), watched too
     */
    public record Monitoring(String namespace, Optional<String> alarmEmail, Optional<OpsMonitoring.Verifier> verifier) { }

    public ApiStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        this.credentials = new CredentialsFunction(this, "Credentials", props.function());
        this.api = new CredentialsApi(this, "Api", credentials.alias(), props.api());
        this.monitoring = props.monitoring().map(m -> new OpsMonitoring(this, "Ops", new OpsMonitoring.Props(
                m.namespace(), m.alarmEmail(), credentials.function(), credentials.logGroup(),
                Duration.seconds(props.function().timeoutSeconds()), api.httpApi(),
                props.function().uploadBucket().bucket().getBucketName(), m.verifier())));
        CfnOutput.Builder.create(this, "ApiUrl").value(api.url())
                .description("Credentials API: POST /uploads, POST /uploads/refresh, GET /uploads, POST /uploads/abort with a Bearer token").build();
        CfnOutput.Builder.create(this, "UploadRoleArn").value(credentials.uploadRole().getRoleArn())
                .description("The role vended sessions assume").build();
    }

    public String apiUrl() {
        return api.url();
    }

    public CredentialsFunction credentials() {
        return credentials;
    }

    /** The alarms, their topic and the dashboard, unless configured away. */
    public Optional<OpsMonitoring> monitoring() {
        return monitoring;
    }
}
