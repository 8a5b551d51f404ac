package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.constructs.CognitoSignIn;
import dev.multipartuploadsts.infra.constructs.SignInSettings;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * Third stack, present only when no external OIDC issuer is configured: the Cognito user pool, its hosted sign-in
 * domain and the page's app client, whose callback URL is the page's origin from the hosting stack.
 */
public final class AuthStack extends Stack {
    private final CognitoSignIn signIn;

    public AuthStack(Construct scope, String id, StackProps stackProps, CognitoSignIn.Props props) {
        super(scope, id, stackProps);
        this.signIn = new CognitoSignIn(this, "SignIn", props);
        CfnOutput.Builder.create(this, "UserPoolId").value(signIn.userPoolId())
                .description("Create users here: aws cognito-idp admin-create-user --user-pool-id ...").build();
        CfnOutput.Builder.create(this, "WebClientId").value(signIn.settings().clientId())
                .description("The page's OAuth client (authorization code + PKCE, no secret)").build();
    }

    public SignInSettings signInSettings() {
        return signIn.settings();
    }
}
