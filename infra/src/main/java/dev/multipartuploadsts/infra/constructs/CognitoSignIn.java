package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.constructs.Construct;

/**
 * A Cognito user pool for the page's users: no self sign-up (an administrator invites users), email sign-in, a
 * strong password policy, TOTP multi-factor sign-in, and one public app client that signs in with the authorization
 * code grant and PKCE through the hosted sign-in domain.
 */
public final class CognitoSignIn extends Construct {
    private final UserPool userPool;
    private final UserPoolClient client;
    private final UserPoolDomain domain;
    private final String scopes;
    private final List<String> pageOrigins;

    /**
     * Props for {@link CognitoSignIn}, built by name with {@link #builder()}.
     *
     * @param pageOrigins  origins the page is served from; each gets {@code <origin>/} as callback and sign-out URL;
     *                     required
     * @param scopes       space-separated OAuth scopes the app client may ask for; default {@code openid email profile}
     * @param domainPrefix hosted domain prefix; default (empty) derives {@code multipart-upload-<account id>}
     * @param mfa          whether every user must use a TOTP code; default {@code REQUIRED}
     */
    public record Props(List<String> pageOrigins, String scopes, Optional<String> domainPrefix,
            AppConfig.CognitoMfa mfa) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private List<String> pageOrigins;
            private String scopes = AppConfig.DEFAULTS.signInScopes();
            private Optional<String> domainPrefix = AppConfig.DEFAULTS.cognitoDomainPrefix();
            private AppConfig.CognitoMfa mfa = AppConfig.DEFAULTS.cognitoMfa();

            private Builder() { }

            public Builder pageOrigins(List<String> value) {
                this.pageOrigins = List.copyOf(value);
                return this;
            }

            public Builder scopes(String value) {
                this.scopes = value;
                return this;
            }

            public Builder domainPrefix(Optional<String> value) {
                this.domainPrefix = value;
                return this;
            }

            public Builder mfa(AppConfig.CognitoMfa value) {
                this.mfa = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("CognitoSignIn.Props.pageOrigins", pageOrigins), scopes, domainPrefix,
                        mfa);
            }
        }
    }

    public CognitoSignIn(Construct scope, String id, Props props) {
        super(scope, id);
        this.scopes = props.scopes();
        this.pageOrigins = List.copyOf(props.pageOrigins());
        // The pool holds people's identities: it outlives the stack, like the uploads do.
        this.userPool = UserPool.Builder.create(this, "UserPool")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                .mfa(props.mfa() == AppConfig.CognitoMfa.REQUIRED ? Mfa.REQUIRED : Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .featurePlan(FeaturePlan.ESSENTIALS)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        String prefix = props.domainPrefix().orElse("multipart-upload-" + Aws.ACCOUNT_ID);
        this.domain = userPool.addDomain("HostedDomain", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(prefix).build())
                .build());

        List<String> redirectUrls = pageOrigins.stream().map(origin -> origin + "/").collect(Collectors.toList());
        this.client = userPool.addClient("WebClient", UserPoolClientOptions.builder()
                .generateSecret(false)
                // SRP only, for scripted sign-in (the ops smoke test); the page itself uses the hosted sign-in.
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).build())
                        .scopes(Arrays.stream(scopes.split(" ")).map(OAuthScope::custom).collect(Collectors.toList()))
                        .callbackUrls(redirectUrls)
                        .logoutUrls(redirectUrls)
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .enableTokenRevocation(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.hours(12))
                .build());

        List<NagPackSuppression> suppressions = new ArrayList<>();
        suppressions.add(NagPackSuppression.builder().id("AwsSolutions-COG3")
                .reason("Cognito threat protection (advanced security) needs the Plus feature plan, billed per "
                        + "active user; no self sign-up, a strong password policy and TOTP cover the main risks, and "
                        + "deployers who need adaptive authentication can switch the plan on.")
                .build());
        if (props.mfa() != AppConfig.CognitoMfa.REQUIRED) {
            suppressions.add(NagPackSuppression.builder().id("AwsSolutions-COG2")
                    .reason("The deployer set cognitoMfa=OPTIONAL in cdk.json: users may enrol a TOTP factor, "
                            + "but are not forced to.")
                    .build());
        }
        NagSuppressions.addResourceSuppressions(userPool, suppressions);
    }

    public String userPoolId() {
        return userPool.getUserPoolId();
    }

    /** Settings for the JWT authorizer and the page: Cognito access tokens carry the app client id as client_id. */
    public SignInSettings settings() {
        String region = Stack.of(this).getRegion();
        String baseUrl = domain.baseUrl();
        String signOutUrl = baseUrl + "/logout?client_id=" + client.getUserPoolClientId() + "&logout_uri="
                + pageOrigins.get(0) + "/";
        return SignInSettings.builder()
                .issuer(userPool.getUserPoolProviderUrl())
                .audience(client.getUserPoolClientId())
                .clientId(client.getUserPoolClientId())
                .scopes(scopes)
                .signOutUrl(Optional.of(signOutUrl))
                .connectOrigins(List.of("https://cognito-idp." + region + ".amazonaws.com", baseUrl))
                .build();
    }
}
