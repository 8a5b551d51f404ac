package dev.multipartuploadsts.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack over the whole app, in the default and the other supported shapes. */
class CdkNagTest {
    static List<Map<String, Object>> configurations() {
        return List.of(
                Map.of(),
                Map.of("uploadBucketEncryption", "KMS", "cognitoMfa", "OPTIONAL",
                        "uploadRoleExtraTrustedPrincipals", List.of("arn:aws:iam::123456789012:role/Operator"),
                        "transferAcceleration", true),
                Map.of("oidcIssuer", "https://login.example.com", "oidcAudience", "uploads-api",
                "oidcApiScope", "uploads:write"));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void awsSolutionsFindsNoUnsuppressedErrorOrWarning(Map<String, Object> overrides) {
        UploadApp.Stacks stacks = overrides.isEmpty() ? TestApps.defaultStacks() : TestApps.stacks(overrides);
        List<String> findings = new ArrayList<>();
        for (Stack stack : stacks.all()) {
            Annotations annotations = Annotations.fromStack(stack);
            for (SynthesisMessage message : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
                findings.add("ERROR " + message.getId() + " " + message.getEntry().getData());
            }
            for (SynthesisMessage message : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
                findings.add("WARNING " + message.getId() + " " + message.getEntry().getData());
            }
        }
        assertThat(findings).isEmpty();
    }
}
