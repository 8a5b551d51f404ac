package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
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
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;
import software.constructs.Construct;

/**
 * A Cognito user pool for the page's users: no self sign-up (an administrator invites users), email sign-in, a
 * strong password policy, TOTP multi-factor sign-in, and one public app client that signs in with the authorization
 * code grant and PKCE through the hosted sign-in domain.
 */
public final class CognitoSignIn extends Construct {
    /** The resource server that stands for the credentials API in the user pool. */
    public static final String RESOURCE_SERVER_ID = "multipart-upload-sts";
    /** The API's one scope, as defined on {@link #RESOURCE_SERVER_ID}. */
    public static final String API_SCOPE_NAME = "upload";
    /** The scope every API route requires, as Cognito writes it into access tokens. */
    public static final String API_SCOPE = RESOURCE_SERVER_ID + "/" + API_SCOPE_NAME;

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
     * @param scopes       space-separated OAuth scopes the page asks for besides {@link #API_SCOPE}; default
     *                     {@code openid email profile}
     * @param domainPrefix hosted domain prefix, unique in the region (the app derives it from the stack prefix and
     *                     the account); required
     * @param mfa          whether every user must use a TOTP code; default {@code REQUIRED}
     */
    public record Props(List<String> pageOrigins, String scopes, String domainPrefix, AppConfig.CognitoMfa mfa) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private List<String> pageOrigins;
            private String scopes = AppConfig.DEFAULTS.signInScopes();
            private String domainPrefix;
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

            public Builder domainPrefix(String value) {
                this.domainPrefix = value;
                return this;
            }

            public Builder mfa(AppConfig.CognitoMfa value) {
                this.mfa = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("CognitoSignIn.Props.pageOrigins", pageOrigins), scopes,
                        Required.prop("CognitoSignIn.Props.domainPrefix", domainPrefix), mfa);
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

        this.domain = userPool.addDomain("HostedDomain", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(props.domainPrefix()).build())
                .build());

        // The API's scope: Cognito puts custom scopes only into access tokens, so requiring it on every route
        // refuses ID tokens, which would otherwise pass the JWT authorizer (their aud is the client id too).
        ResourceServerScope upload = ResourceServerScope.Builder.create()
                .scopeName(API_SCOPE_NAME)
                .scopeDescription("Start uploads and refresh their credentials through the credentials API")
                .build();
        UserPoolResourceServer api = userPool.addResourceServer("ApiResourceServer",
                UserPoolResourceServerOptions.builder()
                        .identifier(RESOURCE_SERVER_ID)
                        .userPoolResourceServerName("multipart-upload-sts credentials API")
                        .scopes(List.of(upload))
                        .build());
        List<OAuthScope> clientScopes = new ArrayList<>();
        Arrays.stream(scopes.split(" ")).map(OAuthScope::custom).forEach(clientScopes::add);
        clientScopes.add(OAuthScope.resourceServer(api, upload));

        List<String> redirectUrls = pageOrigins.stream().map(origin -> origin + "/").collect(Collectors.toList());
        this.client = userPool.addClient("WebClient", UserPoolClientOptions.builder()
                .generateSecret(false)
                // SRP only besides refresh: the page uses the hosted sign-in. Tokens from SRP sign-in carry no custom
                // scope, so they cannot call the API; scripts use an access token from the hosted sign-in.
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).build())
                        .scopes(clientScopes)
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
                .signInScopes(scopes)
                .apiScope(API_SCOPE)
                .signOutUrl(Optional.of(signOutUrl))
                .connectOrigins(List.of("https://cognito-idp." + region + ".amazonaws.com", baseUrl))
                .build();
    }
}
